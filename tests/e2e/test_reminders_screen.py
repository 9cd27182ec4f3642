"""The reminders screen shows what is true: only the fields of the kind of reminder being made,
a history with nothing but its entries (on the patient's phone and in the therapist's view),
and a warning whenever this phone would get no reminder, even with notifications allowed."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.browsing import assert_accessible, open_screen, screenshot, serve_axe
from tests.e2e.conftest import HepServer, World
from tests.e2e.test_reminder_history import at, dispatch, rewind

pytestmark = pytest.mark.e2e


def test_the_form_shows_only_the_fields_of_the_chosen_kind_of_reminder(world: World) -> None:
    therapist = world.therapist()
    patient = world.patient_of(therapist)
    context = world.context(patient)
    serve_axe(context)
    page = world.page(context)
    open_screen(page, "/reminders?new=1", "Reminders")
    form = page.locator("form", has=page.get_by_role("heading", name="New reminder"))

    # "At set times" is chosen: times, and no interval window
    expect(form.get_by_role("radio", name="At set times")).to_be_checked()
    expect(form.get_by_label("Reminder time").first).to_be_visible()
    for label in ("Every (minutes)", "From", "Until"):
        expect(form.get_by_label(label, exact=True)).to_be_hidden()

    form.get_by_role("radio", name="Every few minutes in a window").check()
    for label in ("Every (minutes)", "From", "Until"):
        expect(form.get_by_label(label, exact=True)).to_be_visible()
    expect(form.get_by_label("Reminder time").first).to_be_hidden()
    expect(form.get_by_role("button", name="Add a time")).to_be_hidden()
    assert_accessible(page, "reminder form, interval")


def history_texts(page: Page, scope: str, title: str) -> list[str]:
    """Open a reminder's history inside `scope` and answer its lines as a person reads them."""
    box = page.locator(scope, has=page.get_by_role("button", name=f"History of {title}"))
    box.get_by_role("button", name=f"History of {title}").click()
    listing = box.get_by_role("list", name=f"History of {title}")
    expect(listing.get_by_role("listitem").first).to_be_visible()
    panel = listing.locator("xpath=..")
    return [line.strip() for line in panel.inner_text().splitlines() if line.strip()]


def test_a_reminders_history_shows_its_entries_and_no_stray_words(
    world: World, server: HepServer
) -> None:
    therapist = world.therapist()
    patient = world.patient_of(therapist, name="Hana History")
    yesterday = dt.date.fromisoformat(patient.get("/api/today")["date"]) - dt.timedelta(days=1)
    reminder = patient.send(
        "POST",
        "/api/reminders",
        {"label": "Walk", "rule": {"type": "times", "times": ["10:00"]}},
        expect=201,
    )
    rewind(server, patient, [reminder["id"]], at(yesterday, "00:00"))
    dispatch(server, at(yesterday, "10:00") + dt.timedelta(seconds=5))

    # the phone and the patient share a zone: no "Times in ..." note, and nothing in its place
    page = world.page(world.context(patient))
    open_screen(page, "/reminders", "Reminders")
    lines = history_texts(page, "article", "Walk")
    assert lines[0] == "History of Walk"
    assert "null" not in lines and "undefined" not in lines, lines
    assert any("Not sent: no device has notifications on" in line for line in lines), lines

    desk = world.page(world.context(therapist, viewport={"width": 1280, "height": 900}))
    open_screen(desk, f"/patients/{patient.id}", "Hana History")
    lines = history_texts(desk, "li", "Walk")
    assert "null" not in lines and "undefined" not in lines, lines
    patient.send("DELETE", f"/api/reminders/{reminder['id']}", expect=204)


def test_with_notifications_allowed_but_no_device_registered_the_screen_says_so(
    world: World,
) -> None:
    therapist = world.therapist()
    patient = world.patient_of(therapist)
    context = world.context(patient)
    context.grant_permissions(["notifications"], origin=world.base)
    serve_axe(context)
    page = world.page(context)
    open_screen(page, "/reminders", "Reminders")
    banner = page.locator(".banner", has_text=re.compile("not registered", re.I))
    expect(banner).to_be_visible()
    expect(banner.get_by_role("link")).to_have_attribute("href", "#/notifications")
    assert_accessible(page, "reminders, phone not registered")
    screenshot(page, "patient-reminders-not-registered")


def test_quiet_hours_show_what_is_stored_and_errors_go_once_fixed(world: World) -> None:
    therapist = world.therapist()
    patient = world.patient_of(therapist)
    stored = patient.get("/api/me/notification-settings")
    context = world.context(patient)
    serve_axe(context)
    page = world.page(context)
    open_screen(page, "/reminders", "Reminders")
    form = page.locator("form", has=page.get_by_role("heading", name="Quiet hours and daily limit"))
    expect(form.get_by_label("Quiet from")).to_have_value(stored["quiet_start"])
    expect(form.get_by_label("Quiet until")).to_have_value(stored["quiet_end"])
    expect(form.get_by_label("Most reminders a day")).to_have_value(str(stored["daily_cap"]))

    cap = form.get_by_label("Most reminders a day")
    cap.fill("999")
    form.get_by_role("button", name="Save").click()
    error = form.locator(".field-error")
    expect(error).to_have_text("Most reminders a day: a whole number from 1 to 48.")
    expect(form.get_by_role("alert")).to_have_text("Check the highlighted fields.")
    assert_accessible(page, "quiet hours, a refused cap")
    cap.fill("5")
    form.get_by_role("button", name="Save").click()
    expect(page.locator(".toast")).to_contain_text("Saved.")
    expect(error).to_have_count(0)
    expect(form.locator(".form-alert")).to_have_text("")
    assert patient.get("/api/me/notification-settings")["daily_cap"] == 5

    # quiet hours turned off show as off: the form has no times of its own
    patient.send("PATCH", "/api/me/notification-settings", {"quiet_start": None, "quiet_end": None})
    open_screen(page, "/account", "More")
    open_screen(page, "/reminders", "Reminders")
    expect(form.get_by_label("Quiet from")).to_have_value("")
    expect(form.get_by_label("Quiet until")).to_have_value("")


def test_a_pause_until_a_past_day_is_refused_beside_the_day(world: World) -> None:
    therapist = world.therapist()
    patient = world.patient_of(therapist)
    patient.send(
        "POST",
        "/api/reminders",
        {"label": "Stretch", "rule": {"type": "times", "times": ["10:00"]}},
    )
    yesterday = dt.date.fromisoformat(patient.get("/api/today")["date"]) - dt.timedelta(days=1)
    page = world.page(world.context(patient))
    open_screen(page, "/reminders", "Reminders")
    card = page.locator("article", has=page.get_by_role("heading", name="Stretch"))
    card.get_by_role("button", name="Pause").click()
    card.get_by_label("Until (and including)").fill(yesterday.isoformat())
    card.get_by_role("button", name="Pause reminder").click()
    expect(card.locator(".field-error")).to_have_text("Paused until: today or a later day.")
    expect(page.locator(".toast", has_text="Reminder paused")).to_have_count(0)
    [reminder] = patient.get("/api/reminders")
    assert reminder["paused_until"] is None


def test_delaying_the_next_reminder_moves_it_later_and_says_when(world: World) -> None:
    therapist = world.therapist()
    patient = world.patient_of(therapist)
    made = patient.send(
        "POST", "/api/reminders", {"label": "Walk", "rule": {"type": "times", "times": ["23:50"]}}
    )
    page = world.page(world.context(patient))
    open_screen(page, "/reminders", "Reminders")
    card = page.locator("article", has=page.get_by_role("heading", name="Walk"))
    card.get_by_role("button", name="Delay next by 1 h").click()
    expect(page.locator(".toast")).to_contain_text("Next reminder:")
    [moved] = patient.get("/api/reminders")
    before = dt.datetime.fromisoformat(made["next_fire_at"])
    assert dt.datetime.fromisoformat(moved["next_fire_at"]) == before + dt.timedelta(hours=1)
