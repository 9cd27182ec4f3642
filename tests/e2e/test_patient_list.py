"""The therapist's patient list, searched and filtered on the server: typing a part of a name
or email and choosing an attention reason narrow the list; the page stays accessible."""

from __future__ import annotations

import uuid

import pytest
from playwright.sync_api import expect

from tests.e2e.browsing import assert_accessible, open_screen, serve_axe
from tests.e2e.conftest import World

pytestmark = pytest.mark.e2e

DESK = {"width": 1280, "height": 900}


def test_a_therapist_finds_patients_by_name_and_by_reason(world: World) -> None:
    therapist = world.therapist()
    joanna = world.patient_of(therapist, name="Joanna Logs")
    world.patient_of(therapist, name="Ann Quiet")
    world.patient_of(therapist, name="Bo Quiet")
    water = joanna.send("POST", "/api/habits", {"kind": "hydration", "name": "Water"})
    today = joanna.get("/api/today")["date"]
    joanna.send(
        "PUT",
        f"/api/check-ins/{uuid.uuid4()}",
        {"habit_id": water["id"], "local_date": today, "state": "done"},
    )
    context = world.context(therapist, viewport=DESK)
    serve_axe(context)
    page = world.page(context)
    open_screen(page, "/patients", "Patients")
    listing = page.get_by_role("list", name="Patients, most in need of attention first")
    expect(listing.locator("a.name")).to_have_count(3)

    page.get_by_label("Find a patient").fill("joa")
    expect(listing.locator("a.name")).to_have_text(["Joanna Logs"])
    page.get_by_label("Find a patient").fill("")
    page.get_by_label("Needing attention for").select_option("not logging")
    expect(listing.locator("a.name")).to_have_text(["Ann Quiet", "Bo Quiet"])
    page.get_by_label("Find a patient").fill("bo")
    expect(listing.locator("a.name")).to_have_text(["Bo Quiet"])
    assert_accessible(page, "patient list, searched")
