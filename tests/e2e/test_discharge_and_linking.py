"""Discharge and the patients a therapist links, in the browser: a discharge with a note moves
the patient to the discharged list and tells them plainly on Today, re-admission brings the
program's end back; a program is ended by a last day and another archived; adding an address
that has an account reads exactly like adding a new one, and the request it sends is accepted
from Today. Every screen is axe-clean and photographed at 360 px and at desktop width."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.browsing import DESK, PHONE, both_sizes, confirm, open_screen, serve_axe
from tests.e2e.conftest import PASSWORD, ZONE, World

pytestmark = pytest.mark.e2e


def test_a_discharge_and_a_readmission(world: World) -> None:
    dana = world.therapist("Dana Reyes")
    pat = world.patient_of(dana, name="Pat Lee")
    program = world.program(dana, pat, ["chin-tucks"])
    world.program(dana, pat, ["doorway-pec-stretch"])
    desk_context = world.context(dana, viewport=DESK)
    serve_axe(desk_context)
    desk = world.page(desk_context)

    open_screen(desk, f"/patients/{pat.id}", "Pat Lee")
    card = desk.locator("[data-role=discharge]")
    card.get_by_text("Discharge Pat Lee").click()
    note = "Goals met: sitting an hour without neck pain."
    card.get_by_label("Discharge note (optional)").fill(note)
    card.get_by_role("button", name="Discharge").click()
    expect(desk.get_by_role("dialog")).to_contain_text("Their programs end")
    confirm(desk, "Discharge")
    banner = desk.locator("[data-role=discharge]")
    expect(banner.get_by_role("heading", name="Discharged")).to_be_visible()
    expect(banner).to_contain_text("Goals met")
    both_sizes(desk, "therapist-patient-discharged")
    ended = dana.get(f"/api/programs/{program['id']}")["end_date"]
    assert ended is not None

    # off the attention list, on the discharged one
    open_screen(desk, "/patients", "Patients")
    expect(desk.get_by_role("link", name="Pat Lee")).to_have_count(0)
    desk.get_by_role("link", name="Discharged").click()
    expect(desk.locator("main h1")).to_have_text("Discharged patients")
    expect(desk.get_by_role("link", name="Pat Lee")).to_be_visible()
    both_sizes(desk, "therapist-discharged-list")

    # the patient is told plainly, on Today and with their care team
    phone_context = world.context(pat, viewport=PHONE)
    serve_axe(phone_context)
    phone = world.page(phone_context)
    open_screen(phone, "/today", "Today")
    expect(phone.locator("[data-role=discharged]")).to_contain_text("Dana Reyes discharged you")
    both_sizes(phone, "patient-today-discharged")
    open_screen(phone, "/care-team", "Your care team")
    expect(phone.locator("[data-role=discharged]")).to_contain_text("Goals met")
    both_sizes(phone, "patient-care-team-discharged")

    # re-admission: back on the list, the program's old end (none) back
    desk.get_by_role("link", name="Pat Lee").click()
    desk.get_by_role("button", name="Re-admit").click()
    confirm(desk, "Re-admit")
    expect(desk.get_by_role("heading", name="Discharged")).to_have_count(0)
    assert dana.get(f"/api/programs/{program['id']}")["end_date"] is None
    phone.reload()
    expect(phone.locator("main")).not_to_contain_text("discharged you")

    # a program ends by a last day; another is archived and read under Archived programs
    chin = desk.locator("[data-role=program]", has=desk.get_by_text("Chin tucks", exact=True))
    chin.get_by_text("End or archive").click()
    last_day = dana.get(f"/api/programs/{program['id']}")["start_date"]
    chin.get_by_label("Last day").fill(last_day)
    chin.get_by_role("button", name=re.compile("^End program")).click()
    expect(desk.get_by_text(f"ends on {last_day}")).to_be_visible()
    assert dana.get(f"/api/programs/{program['id']}")["end_date"] == last_day
    stretch = desk.locator("[data-role=program]", has=desk.get_by_text("Doorway chest stretch"))
    stretch.get_by_text("End or archive").click()
    stretch.get_by_role("button", name=re.compile("^Archive program")).click()
    confirm(desk, "Archive")
    programs = desk.locator("[data-role=program]")
    expect(programs.filter(has_text="Doorway chest stretch")).to_have_count(0)
    desk.get_by_role("button", name="Archived programs").click()
    archived = programs.filter(has_text="Archived")
    expect(archived).to_contain_text("Doorway chest stretch")


def added_text(page: Page, name: str, email: str) -> str:
    form = page.locator("form", has=page.get_by_role("heading", name="Add a patient"))
    link = form.locator("[data-role=invite-url]")
    before = link.input_value() if link.count() else ""
    form.get_by_label("Name").fill(name)
    form.get_by_label("Email").fill(email)
    form.get_by_role("button", name="Add and get invite link").click()
    expect(link).to_have_value(re.compile("#/invite/"))
    expect(link).not_to_have_value(before)
    shown = form.locator(".link-box").evaluate("box => box.parentElement.innerText")
    url = form.locator("[data-role=invite-url]").input_value()
    text = str(shown).replace(name, "NAME").replace(email, "EMAIL").replace(url, "URL")
    # made a moment apart, the two links may expire a minute apart
    return re.sub(r"\d{1,2} \w+,? \d{1,2}:\d{2}", "WHEN", text)


def test_an_address_with_an_account_reads_alike_and_its_request_is_accepted(
    world: World,
) -> None:
    dana = world.therapist("Dana Reyes")
    lee_email = f"lee-{uuid.uuid4().hex[:6]}@example.org"
    lee = world.api_client()
    r = lee.post(
        "/api/auth/signup/patient",
        data={"email": lee_email, "name": "Lee Alone", "password": PASSWORD, "timezone": ZONE},
    )
    assert r.status == 201, r.text()

    desk_context = world.context(dana, viewport=DESK)
    serve_axe(desk_context)
    desk = world.page(desk_context)
    open_screen(desk, "/patients", "Patients")
    # a refused address shows beside its field, and goes with the next success
    form = desk.locator("form", has=desk.get_by_role("heading", name="Add a patient"))
    form.get_by_label("Name").fill("Nobody")
    form.get_by_label("Email").fill("not an address")
    form.get_by_role("button", name="Add and get invite link").click()
    email_field = form.locator(".field", has=desk.get_by_label("Email"))
    expect(email_field.locator(".field-error")).not_to_be_empty()
    fresh = added_text(desk, "Noor Ahmed", f"noor-{uuid.uuid4().hex[:6]}@example.org")
    expect(form.locator(".field-error")).to_have_count(0)
    existing = added_text(desk, "Lee as typed", lee_email)
    # the same words either way: the screen never tells whether an account exists
    assert existing == fresh, (existing, fresh)
    both_sizes(desk, "therapist-patient-added")

    # Lee sees the request on Today and accepts it on the care team screen
    phone_context = world.context(viewport=PHONE)
    serve_axe(phone_context)
    phone = world.page(phone_context)
    phone.goto("/#/sign-in")
    phone.get_by_label("Email").fill(lee_email)
    phone.get_by_label("Password", exact=True).fill(PASSWORD)
    phone.get_by_role("button", name="Sign in").click()
    expect(phone.locator("main h1")).to_have_text("Today")
    request = phone.locator("[data-role=link-request]")
    expect(request).to_contain_text("Dana Reyes asks to join your care team")
    both_sizes(phone, "patient-today-link-request")
    request.get_by_role("link", name="Answer").click()
    expect(phone.locator("main h1")).to_have_text("Your care team")
    both_sizes(phone, "patient-link-request")
    phone.get_by_role("button", name="Accept Dana Reyes").click()
    expect(phone.get_by_role("dialog")).to_contain_text("sees your programs, check-ins, pain diary")
    confirm(phone, "Accept")
    expect(phone.locator("li[data-member='Dana Reyes']")).to_contain_text("Lead")
    expect(phone.locator("[data-role=link-request]")).to_have_count(0)

    desk.reload()
    expect(desk.get_by_role("link", name="Lee Alone")).to_be_visible()
