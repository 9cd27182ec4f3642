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
