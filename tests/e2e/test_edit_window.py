"""The edit window is the server's (HEP_CHECKIN_EDIT_DAYS, here 3 days): the PWA reads it from
the API, offers exactly those days to fill in, and shows an older day as it was logged, read
only, with a sentence saying why, rather than buttons the server would refuse."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.browsing import assert_accessible, open_screen, screenshot, serve_axe
from tests.e2e.conftest import HepServer, World, running_hep
from tests.e2e.test_reminder_history import log_on_the_day

pytestmark = pytest.mark.e2e

WINDOW = 3


@pytest.fixture(scope="module")
def short_window(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HepServer]:
    tmp = tmp_path_factory.mktemp("hep-short-window")
    with running_hep(tmp, settings={"HEP_CHECKIN_EDIT_DAYS": str(WINDOW)}) as hep:
        yield hep


@pytest.fixture
def world(short_window: HepServer, playwright_instance: Any, browser: Any) -> Iterator[World]:
    w = World(short_window.base, playwright_instance, browser)
    yield w
    w.close()
    assert not w.page_errors, f"JavaScript errors in the page: {w.page_errors}"


def test_a_day_past_the_servers_window_is_shown_read_only(
    world: World, short_window: HepServer
) -> None:
    therapist = world.therapist()
    patient = world.patient_of(therapist)
    today = dt.date.fromisoformat(patient.get("/api/today")["date"])
    exercises = {e["slug"]: e for e in therapist.get("/api/exercises?page_size=100")}
    program = therapist.send(
        "POST",
        f"/api/patients/{patient.id}/programs",
        {
            "title": "Neck",
            "start_date": (today - dt.timedelta(days=10)).isoformat(),
            "items": [{"exercise_id": exercises["chin-tucks"]["id"]}],
        },
    )
    key = program["items"][0]["item_key"]
    old = today - dt.timedelta(days=WINDOW + 2)
    log_on_the_day(short_window, patient, key, [old])
    assert patient.get("/api/me")["rules"]["checkin_edit_days"] == WINDOW

    context = world.context(patient)
    serve_axe(context)
    page = world.page(context)

    # Today offers the window's days and no further back
    open_screen(page, "/today", "Today")
    oldest = (today - dt.timedelta(days=WINDOW)).isoformat()
    expect(page.get_by_label("Pick a day to fill in")).to_have_attribute("min", oldest)
    open_screen(page, f"/day/{oldest}", "")
    expect(page.locator("article button[data-role=done]")).to_have_count(1)
    expect(page.get_by_role("link", name="Earlier day")).to_have_count(0)

    # an older day: what was logged, no controls, and why
    open_screen(page, f"/day/{old.isoformat()}", "")
    card = page.locator("article", has=page.get_by_role("heading", name="Chin tucks"))
    expect(card).to_contain_text("1 of 3 sessions")
    expect(card.get_by_role("button")).to_have_count(0)
    expect(
        page.get_by_text(f"only the last {WINDOW} days can be filled in or changed")
    ).to_be_visible()
    assert_accessible(page, "a day past the edit window")
    screenshot(page, "patient-day-past-the-window")

    # the exercise screen for that day teaches, but does not offer to log
    open_screen(page, f"/exercise/{key}?date={old.isoformat()}", "Chin tucks")
    expect(page.get_by_role("button", name="Save session")).to_have_count(0)
    expect(
        page.get_by_text(f"only the last {WINDOW} days can be filled in or changed")
    ).to_be_visible()

    # History and the pain diary offer the same days
    open_screen(page, "/history", "History")
    expect(page.get_by_text(f"You can fill in or correct the last {WINDOW} days.")).to_be_visible()
    expect(page.get_by_role("link", name="Fill in")).to_have_count(WINDOW + 1)
    open_screen(page, "/pain", "Pain diary")
    expect(page.get_by_label("Day").locator("option")).to_have_count(WINDOW + 1)
