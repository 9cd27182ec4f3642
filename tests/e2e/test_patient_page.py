"""The therapist's page of one patient, as a therapist expects to use it: a reminder proposed
from there, a suggested habit changed and stopped (the patient's own ones left alone), the
check-ins grouped by day, corrections that name the exercise or habit and the day (a +1 tap is
not one), and a calendar that shows its dates."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from playwright.sync_api import expect

from tests.e2e.browsing import assert_accessible, open_screen, screenshot, serve_axe
from tests.e2e.conftest import World

pytestmark = pytest.mark.e2e

DESK = {"width": 1280, "height": 900}


def test_a_therapist_proposes_a_reminder_and_changes_a_suggested_habit(world: World) -> None:
    therapist = world.therapist()
    patient = world.patient_of(therapist, name="Rae Remind")
    world.program(therapist, patient, ["chin-tucks"])
    suggested = therapist.send(
        "POST",
        f"/api/patients/{patient.id}/habits",
        {
            "kind": "hydration",
            "name": "Water",
            "target": 6,
            "direction": "at_least",
            "unit": "glasses",
        },
    )
    patient.send("POST", "/api/habits", {"kind": "sleep", "name": "Own sleep"})
    context = world.context(therapist, viewport=DESK)
    serve_axe(context)
    page = world.page(context)
    open_screen(page, f"/patients/{patient.id}", "Rae Remind")

    page.get_by_role("button", name="Propose a reminder").click()
    form = page.locator("form", has=page.get_by_role("heading", name="Propose a reminder"))
    form.get_by_label("Label (optional)").fill("Chin tucks at lunch")
    form.get_by_label("Reminder time").first.fill("12:30")
    assert_accessible(page, "therapist, proposing a reminder")
    form.get_by_role("button", name="Propose reminder").click()
    expect(page.locator(".toast", has_text="Reminder proposed")).to_be_visible()
    [reminder] = patient.get("/api/reminders")
    assert reminder["label"] == "Chin tucks at lunch" and reminder["proposed_by_therapist"]

    habits = page.locator("li", has=page.get_by_text("Own sleep"))
    expect(habits.get_by_role("button", name="Change")).to_have_count(0)
    water = page.locator("li", has=page.get_by_role("button", name="Change Water"))
    water.get_by_role("button", name="Change Water").click()
    water.get_by_label("Target").fill("50")
    water.get_by_role("button", name="Save habit").click()
    expect(water.locator(".field-error")).to_have_text("Target: at most 40 glasses a day.")
    water.get_by_label("Target").fill("7")
    water.get_by_role("button", name="Save habit").click()
    expect(page.locator(".toast", has_text="Saved: Water")).to_be_visible()
    assert {h["name"]: h["target"] for h in patient.get("/api/habits")}["Water"] == 7

    page.locator("li", has=page.get_by_role("button", name="Stop Water")).get_by_role(
        "button", name="Stop Water"
    ).click()
    page.get_by_role("dialog").get_by_role("button", name="Stop").click()
    expect(page.locator(".toast", has_text="Stopped: Water")).to_be_visible()
    assert [h["name"] for h in patient.get("/api/habits")] == ["Own sleep"]
    assert suggested["suggested"]


def test_check_ins_come_by_day_and_corrections_name_what_and_when(world: World) -> None:
    therapist = world.therapist()
    patient = world.patient_of(therapist, name="Dee Days")
    program = world.program(therapist, patient, ["chin-tucks"])
    item = program["items"][0]["item_key"]
    water = patient.send(
        "POST",
        "/api/habits",
        {"kind": "hydration", "name": "Water", "target": 8, "direction": "at_least"},
    )
    today = dt.date.fromisoformat(patient.get("/api/today")["date"])
    yesterday = today - dt.timedelta(days=1)
    tapped, past = uuid.uuid4(), uuid.uuid4()
    for value in (1, 2, 3):  # +1 taps on Today
        patient.send(
            "PUT",
            f"/api/check-ins/{tapped}",
            {
                "habit_id": water["id"],
                "local_date": today.isoformat(),
                "state": "partial",
                "value": value,
            },
        )
    for pain in (5, 2):  # yesterday's session, its pain corrected today
        patient.send(
            "PUT",
            f"/api/check-ins/{past}",
            {"item_key": item, "local_date": yesterday.isoformat(), "state": "done", "pain": pain},
        )

    context = world.context(therapist, viewport=DESK)
    serve_axe(context)
    page = world.page(context)
    open_screen(page, f"/patients/{patient.id}", "Dee Days")
    recent = page.locator(".card", has=page.get_by_role("heading", name="Recent check-ins"))
    days = recent.locator("section.day-group h3").all_inner_texts()
    assert len(days) == 2, days
    first = recent.locator("section.day-group").first
    expect(first).to_contain_text("Water")
    expect(first).not_to_contain_text("Chin tucks")

    fixes = page.locator(".card", has=page.get_by_role("heading", name="Corrections"))
    expect(fixes.locator("li")).to_have_count(1)
    expect(fixes.locator("li")).to_contain_text("Chin tucks")
    expect(fixes.locator("li")).to_contain_text(days[1])
    expect(fixes.locator("li")).to_contain_text("pain 5 → 2")

    calendar = page.locator(".card", has=page.get_by_role("heading", name="Calendar"))
    numbers = calendar.locator("text.heat-day").all_text_contents()
    assert str(today.day) in numbers and str(yesterday.day) in numbers
    months = calendar.locator("text.heat-month").all_text_contents()
    assert months and all(months), months
    assert_accessible(page, "therapist patient page, by day")
    screenshot(page, "therapist-patient-by-day")


def test_two_versions_of_a_program_are_compared_on_its_history(world: World) -> None:
    therapist = world.therapist()
    patient = world.patient_of(therapist, name="Vera Versions")
    program = world.program(therapist, patient, ["chin-tucks", "doorway-pec-stretch"])
    chin, stretch = program["items"]
    therapist.send(
        "POST",
        f"/api/programs/{program['id']}/versions",
        {
            "title": "Neck only",
            "start_date": program["start_date"],
            "items": [
                {"item_key": chin["item_key"], "exercise_id": chin["exercise"]["id"], "sets": 4}
            ],
        },
    )
    context = world.context(therapist, viewport=DESK)
    serve_axe(context)
    page = world.page(context)
    open_screen(page, f"/programs/{program['id']}/versions", "History of Neck only")
    form = page.locator("form", has=page.get_by_role("heading", name="Compare two versions"))
    expect(form.get_by_label("From version")).to_have_value("1")
    expect(form.get_by_label("To version")).to_have_value("2")
    form.get_by_role("button", name="Compare").click()
    diff = page.locator(".card", has=page.get_by_role("heading", name="Version 1 → version 2"))
    expect(diff).to_contain_text("Title: Neck and shoulders → Neck only")
    changed = diff.locator("li", has_text="Chin tucks")
    expect(changed.first).to_contain_text("Changed")
    expect(changed.first).to_contain_text(f"Sets: {chin['sets']} → 4")
    expect(diff.locator("li", has_text=stretch["exercise"]["name"]).first).to_contain_text(
        "Removed"
    )
    assert_accessible(page, "program versions compared")
