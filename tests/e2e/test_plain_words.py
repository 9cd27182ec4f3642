"""Words a person could take for an error or a promise: strength beside "% done" is explained
where it is shown (to the patient and to the therapist) and called strength for exercises and
habits alike; sign-up promises nothing hep cannot do yet."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.browsing import assert_accessible, open_screen, screenshot, serve_axe
from tests.e2e.conftest import World

pytestmark = pytest.mark.e2e

EXPLAINED = re.compile(r"strength grows with steady practice.*a missed day only dents it", re.I)


def test_strength_is_explained_where_it_is_shown(world: World) -> None:
    therapist = world.therapist()
    patient = world.patient_of(therapist, name="Nell New")
    world.program(therapist, patient, ["chin-tucks"])
    patient.send("POST", "/api/habits/starters/water")

    phone = world.context(patient)
    serve_axe(phone)
    page = world.page(phone)
    open_screen(page, "/progress", "Progress")
    expect(page.get_by_role("heading", name="Habit strength")).to_have_count(0)
    card = page.locator(".card", has=page.get_by_role("heading", name="Strength", exact=True))
    expect(card).to_contain_text(EXPLAINED)
    expect(card).to_contain_text("Chin tucks")
    assert_accessible(page, "progress, strength explained")
    screenshot(page, "patient-progress-new")

    desk = world.context(therapist, viewport={"width": 1280, "height": 900})
    serve_axe(desk)
    page = world.page(desk)
    open_screen(page, f"/patients/{patient.id}", "Nell New")
    table = page.get_by_role("region", name="Adherence by exercise and habit")
    expect(table.get_by_role("columnheader", name="Strength")).to_be_visible()
    expect(table).to_contain_text(EXPLAINED)
    assert_accessible(page, "therapist patient, strength explained")


def test_signing_up_alone_promises_no_therapist_link(world: World) -> None:
    page = world.page(world.context())
    open_screen(page, "/sign-up", "Create an account")
    expect(page.locator("main")).not_to_contain_text(re.compile("link a therapist", re.I))
    expect(page.locator("main")).to_contain_text("invitation link")
