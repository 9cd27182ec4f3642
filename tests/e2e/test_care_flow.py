"""The whole care loop in two browsers: a therapist signs up and invites a patient, the patient
accepts on their phone, the therapist builds a program from the library, the patient ticks it
off (one tap, a partial dose with pain, a glass of water), and the therapist sees adherence."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import expect

from tests.e2e.browsing import open_screen, screenshot
from tests.e2e.conftest import PASSWORD, Person, World

pytestmark = pytest.mark.e2e


def test_a_therapist_invites_prescribes_and_sees_the_patient_adhere(world: World) -> None:
    therapist_ctx = world.context(viewport={"width": 1200, "height": 900})
    t = world.page(therapist_ctx)

    # the therapist signs up in the app
    open_screen(t, "/sign-up/therapist", "therapist account")
    t.get_by_label("Your name").fill("Dana Reyes")
    t.get_by_label("Email").fill(f"dana-{uuid.uuid4().hex[:6]}@example.org")
    t.get_by_label("Password", exact=True).fill(PASSWORD)
    t.get_by_role("button", name="Create account").click()
    expect(t.locator("main h1")).to_have_text("Patients")

    # adds a patient and gets the invite link to send
    patient_email = f"pat-{uuid.uuid4().hex[:6]}@example.org"
    form = t.locator("form", has=t.get_by_role("heading", name="Add a patient"))
    form.get_by_label("Name").fill("Pat Lee")
    form.get_by_label("Email").fill(patient_email)
    form.get_by_role("button", name="Add and get invite link").click()
    invite_url = t.locator("[data-role=invite-url]").input_value()
    assert re.fullmatch(rf"{re.escape(world.base)}/#/invite/[\w-]+", invite_url)

    # the patient opens the link on the phone, in a browser of their own
    phone = world.page(world.context())
    phone.goto(invite_url)
    expect(phone.locator("main h1")).to_have_text("Welcome, Pat Lee")
    expect(phone.get_by_text("Dana Reyes has set up hep")).to_be_visible()
    screenshot(phone, "patient-invite")
    phone.get_by_label("Choose a password").fill(PASSWORD)
    phone.get_by_role("button", name="Accept and continue").click()
    expect(phone.locator("main h1")).to_have_text("Welcome to hep")
    screenshot(phone, "patient-welcome-notifications")
    phone.get_by_role("link", name="Go to today's exercises").click()
    expect(phone.locator("main h1")).to_have_text("Today")
    expect(phone.get_by_text("Nothing is due today.")).to_be_visible()

    # the therapist builds a program from the library
    # (the list is open already: load it afresh, with the patient who just joined)
    t.reload()
    t.get_by_role("link", name="Pat Lee").click()
    expect(t.locator("main h1")).to_have_text("Pat Lee")
    t.get_by_role("link", name="New program").click()
    expect(t.locator("main h1")).to_have_text("New program for Pat Lee")
    search = t.get_by_label("Search exercises")
    for query, name in (("chin tuck", "Chin tucks"), ("doorway", "Doorway chest stretch")):
        search.fill(query)
        t.get_by_role("button", name=f"Add {name}", exact=True).click()
        editor = t.locator(".item-editor", has=t.locator("h3", has_text=name))
        # one session a day keeps the patient's side of the test short
        editor.get_by_label("Times a day").fill("1")
    expect(t.locator(".sticky-summary")).to_contain_text("2 exercises")
    expect(t.locator(".sticky-summary")).to_contain_text("min per session")
    screenshot(t, "therapist-program-builder")
    t.get_by_role("button", name="Save program").click()
    expect(t.locator(".form-alert")).to_be_empty()
    expect(t.locator("main h1")).to_have_text("Pat Lee")
    expect(t.get_by_role("heading", name=re.compile("Home program"))).to_be_visible()

    # the patient adds a water habit and ticks things off
    open_screen(phone, "/habits", "Habits")
    phone.get_by_role("button", name="Add Drink water").click()
    expect(phone.get_by_text("Added: Drink water")).to_be_visible()
    open_screen(phone, "/today", "Today")
    chin = phone.locator("article", has=phone.get_by_role("heading", name="Chin tucks"))
    chin.get_by_role("button", name=re.compile("^Done")).click()
    expect(chin).to_contain_text("1 of 1 session")
    expect(chin).to_have_class(re.compile("is-done"))

    stretch = phone.locator("article", has=phone.get_by_role("heading", name="Doorway chest"))
    stretch.get_by_role("button", name=re.compile("^Partly done")).click()
    stretch.get_by_role("radio", name="Part of it").check()
    stretch.get_by_label("Seconds done").fill("45")
    stretch.get_by_role("radio", name="3, mild").check()
    stretch.get_by_role("radio", name="4, Hard").check()
    stretch.get_by_role("button", name="Log this session").click()
    expect(stretch.get_by_role("button", name=re.compile("^Undo last"))).to_be_visible()

    water = phone.locator("article", has=phone.get_by_role("heading", name="Drink water"))
    water.get_by_role("button", name=re.compile(r"^\+1 glass")).click()
    expect(water).to_contain_text("1 of at least 8 glasses")
    screenshot(phone, "patient-today")

    patient = Person(patient_email, "Pat Lee", "patient", world.api_client())
    r = patient.api.post("/api/auth/login", data={"email": patient_email, "password": PASSWORD})
    assert r.ok
    logged = {(c["state"], c["value"], c["pain"], c["difficulty"]) for c in _check_ins(patient)}
    assert logged == {
        ("done", None, None, None),
        ("partial", 45.0, 3, 4),
        ("partial", 1.0, None, None),
    }

    # the therapist sees the patient's adherence
    t.reload()
    expect(t.locator("main h1")).to_have_text("Pat Lee")
    first_tile = t.locator(".tile strong").first
    expect(first_tile).to_have_text(re.compile(r"^\d+%$"))
    assert first_tile.inner_text() != "0%"
    expect(t.get_by_text("Chin tucks", exact=True).first).to_be_visible()
    screenshot(t, "therapist-patient-detail")
    open_screen(t, "/patients", "Patients")
    row = t.locator("li", has=t.get_by_role("link", name="Pat Lee"))
    expect(row).to_contain_text("Last check-in today")


def _check_ins(person: Person) -> list[dict[str, object]]:
    found: list[dict[str, object]] = person.get("/api/check-ins")
    return found
