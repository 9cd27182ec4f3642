"""A patient's habits as they meet them: an amount a day cannot hold is refused beside the
field (and never counts as done), a habit is changed from the Habits screen, and the log of
who looked at their records says how often instead of repeating itself."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.browsing import assert_accessible, open_screen, serve_axe
from tests.e2e.conftest import World

pytestmark = pytest.mark.e2e


def test_an_amount_past_what_a_day_holds_is_refused_beside_it(world: World) -> None:
    therapist = world.therapist()
    patient = world.patient_of(therapist)
    patient.send("POST", "/api/habits/starters/sleep")
    context = world.context(patient)
    serve_axe(context)
    page = world.page(context)
    open_screen(page, "/today", "Today")
    card = page.locator("article", has=page.get_by_role("heading", name="Sleep"))
    card.get_by_role("button", name="Enter amount for Sleep").click()
    card.get_by_label("Total for the day (hours)").fill("99999")
    card.get_by_role("button", name="Save").click()
    expect(card.locator(".field-error")).to_have_text("Amount: at most 24 hours in a day.")
    expect(card).not_to_have_class("is-done")
    assert_accessible(page, "today, an amount refused")
    assert patient.get("/api/check-ins") == []
    card.get_by_label("Total for the day (hours)").fill("7.5")
    card.get_by_role("button", name="Save").click()
    expect(
        page.locator("article.is-done", has=page.get_by_role("heading", name="Sleep"))
    ).to_be_visible()


def test_a_patient_changes_a_habit_and_its_target_is_bounded(world: World) -> None:
    therapist = world.therapist()
    patient = world.patient_of(therapist)
    patient.send("POST", "/api/habits/starters/water")
    page = world.page(world.context(patient))
    open_screen(page, "/habits", "Habits")
    row = page.locator("li", has=page.get_by_role("button", name="Change Drink water"))
    row.get_by_role("button", name="Change Drink water").click()
    expect(row.get_by_label("Name")).to_have_value("Drink water")
    expect(row.get_by_text("At most 40 glasses a day.")).to_be_visible()
    row.get_by_label("Name").fill("Water with meals")
    row.get_by_label("Target").fill("6")
    row.get_by_role("button", name="Save habit").click()
    expect(page.locator(".toast", has_text="Saved: Water with meals")).to_be_visible()
    [habit] = patient.get("/api/habits")
    assert (habit["name"], habit["target"], habit["unit"]) == ("Water with meals", 6, "glasses")


def test_the_access_log_counts_repeated_looks(world: World) -> None:
    therapist = world.therapist("Dr Often")
    patient = world.patient_of(therapist)
    for _ in range(3):
        therapist.get(f"/api/patients/{patient.id}/habits")
    page = world.page(world.context(patient))
    open_screen(page, "/account", "More")
    log = page.locator(".card", has=page.get_by_role("heading", name="Who looked at my data"))
    expect(log.get_by_text("looked at your habits 3 times")).to_be_visible()
