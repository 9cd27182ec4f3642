"""Email in the PWA against a real SMTP server: "Forgot password?" from the sign-in page to a
new password through the mailed link; a patient whose phone gets no pushes chooses email
reminders. Both screens are axe-clean and photographed at 360 px."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from playwright.sync_api import expect
from sqlalchemy import create_engine, update
from sqlalchemy.orm import sessionmaker

from hep.mail.outbox import send_pending
from hep.mail.smtp import MailSettings
from hep.models import User
from tests.e2e.browsing import assert_accessible, open_screen, screenshot, serve_axe
from tests.e2e.conftest import HepServer, World, running_hep
from tests.mail_server import MailServer, mail_server

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.filterwarnings("ignore:Session.login_data:DeprecationWarning"),
]


@pytest.fixture(scope="module")
def smtp(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MailServer]:
    with mail_server(tmp_path_factory.mktemp("smtp")) as server:
        yield server


@pytest.fixture(scope="module")
def mailing_hep(tmp_path_factory: pytest.TempPathFactory, smtp: MailServer) -> Iterator[HepServer]:
    settings = {f"HEP_{k}": str(v) for k, v in smtp.config().items()}
    with running_hep(tmp_path_factory.mktemp("hep-mail"), settings=settings) as hep:
        yield hep


@pytest.fixture
def world(mailing_hep: HepServer, playwright_instance: Any, browser: Any) -> Iterator[World]:
    w = World(mailing_hep.base, playwright_instance, browser)
    yield w
    w.close()
    assert not w.page_errors, f"JavaScript errors in the page: {w.page_errors}"


def _factory(hep: HepServer) -> Any:
    return sessionmaker(create_engine(hep.database_url), expire_on_commit=False)


def deliver(hep: HepServer, smtp: MailServer) -> None:
    settings = MailSettings.from_config(smtp.config())
    assert settings is not None
    # Playwright's sync API keeps an event loop in this thread: the mail tick gets its own
    with ThreadPoolExecutor(1) as pool:
        pool.submit(send_pending, _factory(hep), settings, dt.datetime.now(dt.UTC)).result()


def test_forgot_password_from_the_sign_in_page_to_a_new_password(
    world: World, mailing_hep: HepServer, smtp: MailServer
) -> None:
    therapist = world.therapist()
    context = world.context()
    serve_axe(context)
    page = world.page(context)
    page.set_viewport_size({"width": 360, "height": 740})
    open_screen(page, "/sign-in", "Sign in")
    page.get_by_role("link", name="Forgot password?").click()
    expect(page.locator("main h1")).to_have_text("Forgot your password?")
    assert_accessible(page, "forgot password")
    screenshot(page, "forgot-password")
    page.get_by_label("Email").fill(therapist.email)
    page.get_by_role("button", name="Send me a link").click()
    expect(page.locator("main [role=status]")).to_contain_text("a link to choose a new password")
    screenshot(page, "forgot-password-sent")

    deliver(mailing_hep, smtp)
    [message] = smtp.for_address(therapist.email)
    text = message.get_body(("plain",)).get_content()
    link = re.search(r"(/#/reset/[A-Za-z0-9_-]+)", text)
    assert link, text
    page.goto(link.group(1))
    expect(page.locator("main h1")).to_have_text("Choose a new password")
    assert_accessible(page, "choose a new password")
    screenshot(page, "reset-password")
    page.get_by_label("New password").fill("a fresh and long passphrase")
    page.get_by_role("button", name="Save and sign in").click()
    page.wait_for_function("() => !location.hash.startsWith('#/reset')")
    expect(page.locator("main h1")).not_to_have_text("Choose a new password")
    # the link worked once
    page.goto(link.group(1))
    expect(page.locator("main h1")).to_have_text("This link no longer works")


def email_screen_of_a_confirmed_patient(world: World, hep: HepServer) -> tuple[Any, Any]:
    """A therapist's patient whose address is confirmed, on the Email screen at 360 px."""
    therapist = world.therapist()
    patient = world.patient_of(therapist)
    with _factory(hep)() as session:
        session.execute(
            update(User)
            .where(User.email == patient.email)
            .values(email_verified_at=dt.datetime.now(dt.UTC))
        )
        session.commit()
    context = world.context(patient)
    serve_axe(context)
    page = world.page(context)
    page.set_viewport_size({"width": 360, "height": 740})
    open_screen(page, "/email", "Email")
    return patient, page


def test_a_patient_whose_phone_gets_no_pushes_chooses_email_reminders(
    world: World, mailing_hep: HepServer
) -> None:
    patient, page = email_screen_of_a_confirmed_patient(world, mailing_hep)
    expect(page.get_by_text("Confirmed: hep can email you.")).to_be_visible()
    expect(
        page.get_by_text("No phone of yours gets notifications from hep right now.", exact=False)
    ).to_be_visible()
    page.get_by_label("Email me when my phone cannot get them").check()
    expect(page.get_by_text("Saved.")).to_be_visible()
    assert patient.get("/api/me/notification-settings")["email_reminders"] == "fallback"
    assert_accessible(page, "email settings")
    screenshot(page, "email-reminders")


def test_a_patient_chooses_when_reminder_emails_come_and_message_emails(
    world: World, mailing_hep: HepServer
) -> None:
    patient, page = email_screen_of_a_confirmed_patient(world, mailing_hep)
    form = page.locator("form", has=page.get_by_role("heading", name="When reminder emails come"))
    times = form.get_by_label("Email time")
    expect(times).to_have_count(2)  # what the server stores until chosen
    assert [times.nth(i).input_value() for i in range(2)] == ["08:00", "18:00"]
    for _ in range(2):
        form.get_by_role("button", name="Add a time").click()
    expect(form.get_by_role("button", name="Add a time")).to_be_hidden()  # four at most
    times.nth(2).fill("12:00")
    times.nth(3).fill("12:00")
    form.get_by_role("button", name="Save times").click()
    expect(form.locator(".field-error")).to_have_text("Email times: each time once.")
    assert patient.get("/api/me/notification-settings")["email_digest_times"] == [
        "08:00",
        "18:00",
    ]
    screenshot(page, "email-times-refused")
    form.get_by_role("button", name="Remove").nth(3).click()
    times.nth(2).fill("12:30")
    form.get_by_role("button", name="Save times").click()
    expect(page.get_by_text("Saved.")).to_be_visible()
    expect(form.locator(".field-error")).to_have_count(0)
    assert patient.get("/api/me/notification-settings")["email_digest_times"] == [
        "08:00",
        "12:30",
        "18:00",
    ]
    page.get_by_label("Email me when my care team writes to me").check()
    expect(page.get_by_text("Saved.").first).to_be_visible()
    assert patient.get("/api/me/notification-settings")["email_notices"] is True
    assert_accessible(page, "email times")
    screenshot(page, "email-times")


def test_hep_mails_a_clinic_invite_and_a_patients_sign_in_link(
    world: World, mailing_hep: HepServer, smtp: MailServer
) -> None:
    therapist = world.therapist("Dana Reyes")
    patient = world.patient_of(therapist, name="Pat Lee")
    [clinic] = therapist.get("/api/clinics")
    context = world.context(therapist, viewport={"width": 1280, "height": 900})
    serve_axe(context)
    page = world.page(context)

    # a clinic's invite: the link is shown, then hep mails a new one (the first stops working)
    open_screen(page, f"/clinics/{clinic['id']}", clinic["name"])
    invites = page.locator("[data-role=invites]")
    invites.get_by_label("Their email").fill("sam.okafor@example.org")
    invites.get_by_role("button", name="Invite and get link").click()
    link = invites.locator("[data-role=invite-url]")
    expect(link).to_have_value(re.compile("#/join-clinic/"))
    first = link.input_value()
    invites.get_by_role("button", name="Email it from hep").click()
    expect(invites).to_contain_text("Sent to sam.okafor@example.org")
    assert_accessible(page, "clinic invite mailed")
    deliver(mailing_hep, smtp)
    [message] = smtp.for_address("sam.okafor@example.org")
    mailed = re.search(r"/#/join-clinic/[A-Za-z0-9_-]+", message.get_body(("plain",)).get_content())
    assert mailed and link.input_value().endswith(mailed.group(0)) and first != link.input_value()

    # a patient's sign-in link, mailed the same way
    open_screen(page, f"/patients/{patient.id}", "Pat Lee")
    box = page.locator("[data-role=sign-in-link]")
    box.get_by_role("button", name="Make a sign-in link for Pat Lee").click()
    expect(box.locator("[data-role=invite-url]")).to_have_value(re.compile("#/sign-in-link/"))
    box.get_by_role("button", name="Email it from hep").click()
    expect(box).to_contain_text(f"Sent to {patient.email}")
    screenshot(page, "therapist-sign-in-link-mailed")
    deliver(mailing_hep, smtp)
    [message] = smtp.for_address(patient.email)
    mailed = re.search(
        r"/#/sign-in-link/[A-Za-z0-9_-]+", message.get_body(("plain",)).get_content()
    )
    assert mailed and box.locator("[data-role=invite-url]").input_value().endswith(mailed.group(0))
