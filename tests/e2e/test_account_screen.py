"""Deleting an account from the app: a wrong password is said beside the field before anything
is asked for good, and the end is a page that says the account is gone."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.browsing import assert_accessible, open_screen, serve_axe
from tests.e2e.conftest import PASSWORD, World

pytestmark = pytest.mark.e2e


def test_deleting_checks_the_password_first_and_ends_on_a_page_saying_so(world: World) -> None:
    therapist = world.therapist()
    patient = world.patient_of(therapist)
    context = world.context(patient)
    serve_axe(context)
    page = world.page(context)
    open_screen(page, "/account", "More")
    form = page.locator("form", has=page.get_by_role("button", name="Delete my account"))
    form.get_by_label("Your password, to confirm").fill("not my password at all")
    form.get_by_role("button", name="Delete my account").click()
    expect(form.locator(".field-error")).to_have_text("The password is wrong.")
    expect(page.get_by_role("dialog")).to_have_count(0)

    form.get_by_label("Your password, to confirm").fill(PASSWORD)
    form.get_by_role("button", name="Delete my account").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_role("button", name="Delete everything").click()
    expect(page.locator("main h1")).to_have_text("Your account is deleted")
    expect(page.get_by_role("link", name="Back to the start")).to_be_visible()
    assert_accessible(page, "account deleted")
    r = world.api_client().post(
        "/api/auth/login", data={"email": patient.email, "password": PASSWORD}
    )
    assert r.status == 401
