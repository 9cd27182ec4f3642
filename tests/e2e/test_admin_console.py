"""The site admin's console in the browser: accounts searched and paged, one disabled (its
session ends) and enabled again, a role change the server refuses shown beside the role and
one it takes, a sign-in link for a locked-out user, the audit log filtered and downloaded as
CSV, and a clinic's people; no screen offers health data. Axe-clean, photographed at 360 px
and at desktop width."""

from __future__ import annotations

import csv
import io
import re
import uuid
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.browsing import DESK, both_sizes, confirm, open_screen, serve_axe
from tests.e2e.conftest import PASSWORD, ZONE, HepServer, Person, World

pytestmark = pytest.mark.e2e


def site_admin(server: HepServer, world: World, name: str) -> Person:
    """A site admin made as `hep create-admin` makes one, signed in through the API."""
    from hep.clock import utcnow
    from hep.db import db
    from hep.models import Role
    from hep.roles import create_account

    email = f"admin-{uuid.uuid4().hex[:8]}@example.org"
    app = server.app()
    with app.app_context():
        made = create_account(
            db.session,
            None,
            email=email,
            name=name,
            role=Role.ADMIN,
            timezone=ZONE,
            password=PASSWORD,
            hasher=app.extensions["hep_hasher"],
            now=utcnow(),
        )
        db.session.commit()
        user_id = str(made.id)
    return Person(email, name, "admin", world.sign_in(Person(email, name, "admin", None)), user_id)


def search(page: Any, text: str) -> None:
    """Search the accounts and wait for the answer (the list before it looks alike)."""
    page.get_by_label("Name or email").fill(text)
    page.get_by_role("button", name="Search").click()
    expect(page).to_have_url(re.compile(r"q=" + re.escape(text.replace(" ", "+")) + r"($|&)"))
    expect(page.locator("li[data-account]").first).to_contain_text(text)


def test_the_admin_console_searches_disables_changes_roles_and_exports_the_audit_log(
    server: HepServer, world: World
) -> None:
    ada = site_admin(server, world, "Ada Admin")
    mark = uuid.uuid4().hex[:6]
    theo = world.therapist(f"Theo {mark}")
    bo = ada.send(
        "POST",
        "/api/admin/users",
        {
            "email": f"bo-{mark}@example.org",
            "name": f"Bo {mark}",
            "password": PASSWORD,
            "role": "admin",
        },
    )
    for n in range(26):
        signup = world.api_client().post(
            "/api/auth/signup/patient",
            data={
                "email": f"z{n}-{mark}@example.org",
                "name": f"Zed {mark} {n:02}",
                "password": PASSWORD,
            },
        )
        assert signup.status == 201, signup.text()

    context = world.context(ada, viewport=DESK)
    serve_axe(context)
    page = world.page(context)
    open_screen(page, "/admin/accounts", "Accounts")
    # an admin is offered no patient's screens, and asking for one leads back to the console
    expect(page.locator("#nav")).not_to_contain_text("Patients")
    # (the console's screen is drawn again after the redirect: wait for the new one, or the
    # search below would type into the screen about to be replaced)
    page.evaluate("() => { document.querySelector('main h1').dataset.before = '1'; }")
    page.goto("/#/patients")
    expect(page.locator("main h1:not([data-before])")).to_have_text("Accounts")
    expect(page).to_have_url(re.compile(r"#/admin/accounts$"))

    # search, a page at a time
    search(page, f"Zed {mark}")
    expect(page.locator("li[data-account]")).to_have_count(25)
    page.get_by_role("link", name="Next page").click()
    expect(page.locator("li[data-account]")).to_have_count(1)
    expect(page.locator("li[data-account]")).to_contain_text(f"Zed {mark} 25")

    # disable: the session ends; enable again
    search(page, f"Theo {mark}")
    row = page.locator(f"li[data-account='{theo.email}']")
    expect(page.locator("li[data-account]")).to_have_count(1)
    both_sizes(page, "admin-accounts")
    row.get_by_role("button", name=f"Disable account of Theo {mark}").click()
    confirm(page, "Disable")
    expect(row.locator(".badge-alert")).to_have_text("Disabled")
    assert theo.api.get("/api/me").status == 401
    row.get_by_role("button", name=f"Enable account of Theo {mark}").click()
    expect(row.locator(".badge-alert")).to_have_count(0)

    # a therapist with a clinic stays a therapist: the server says why, beside the role
    row.get_by_label(f"Role of Theo {mark}").select_option("admin")
    row.get_by_role("button", name=f"Change role of Theo {mark}").click()
    expect(row.locator(".field-error")).not_to_be_empty()
    # another admin becomes a therapist
    search(page, f"Bo {mark}")
    bo_row = page.locator(f"li[data-account='{bo['email']}']")
    bo_row.get_by_label(f"Role of Bo {mark}").select_option("therapist")
    bo_row.get_by_role("button", name=f"Change role of Bo {mark}").click()
    expect(bo_row.locator(".badge").first).to_have_text("Therapist")

    # a sign-in link for a locked-out user
    search(page, f"Theo {mark}")
    row.get_by_role("button", name=f"Make a sign-in link for Theo {mark}").click()
    expect(row.locator("[data-role=invite-url]")).to_have_value(
        re.compile(r"#/sign-in-link/[\w-]+$")
    )

    # the audit log, filtered, and the same filter as CSV
    open_screen(page, "/admin/audit-log", "Audit log")
    page.get_by_label("What").select_option(label="An account disabled")
    page.get_by_label("Who (a part of a name)").fill(f"Theo {mark}")
    page.get_by_role("button", name="Show").click()
    expect(page.locator("li[data-action]")).to_have_count(1)
    expect(page.locator("li[data-action]")).to_contain_text(f"about Theo {mark}")
    both_sizes(page, "admin-audit-log")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download CSV").click()
    rows = list(csv.DictReader(io.StringIO(download.value.path().read_text(encoding="utf-8"))))
    assert [(r["action"], r["actor_name"], r["subject_name"]) for r in rows] == [
        ("account_disabled", "Ada Admin", f"Theo {mark}")
    ]

    # clinics and their people, without a caseload (health data)
    open_screen(page, "/clinics", "Clinics")
    page.get_by_label("Find a clinic by name").fill(f"Theo {mark}")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name=f"Theo {mark}").click()
    expect(page.locator("main h1")).to_have_text(f"Theo {mark}")
    expect(page.locator("li[data-member]")).to_contain_text(theo.email)
    expect(page.get_by_role("link", name="Caseload")).to_have_count(0)
    both_sizes(page, "admin-clinic")
    open_screen(page, "/clinics", "Clinics")
    both_sizes(page, "admin-clinics")
