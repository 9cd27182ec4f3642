"""A reminder's history, on the patient's phone and in the therapist's patient detail: hep's
dispatcher decides three days of occurrences (no device yet; a push that reached one device and
failed on the other; quiet hours; the daily cap; a pause; already done; missed after downtime)
and both screens give each a plain reason at the time it came due on the patient's clock. And
the 7-day adherence figure with the week before beside it."""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.e2e.browsing import assert_accessible, open_screen, screenshot, serve_axe
from tests.e2e.conftest import ZONE, HepServer, Person, World
from tests.push_service import BrowserSubscription, FakePushService, Reply

pytestmark = pytest.mark.e2e

# What the screens say for each of the dispatcher's outcomes ("sent" depends on the pushes).
REASONS = {
    "grouped": "Sent together with another reminder",
    "done": "Not sent: already done",
    "paused": "Not sent: paused",
    "quiet": "Not sent: quiet hours",
    "capped": "Not sent: daily limit reached",
    "missed": "Missed (server was down)",
    "no_subscription": "Not sent: no device has notifications on",
}


@pytest.fixture
def push_service() -> Iterator[FakePushService]:
    service = FakePushService().start()
    try:
        yield service
    finally:
        service.stop()


def at(day: dt.date, clock: str) -> dt.datetime:
    """`clock` on `day` in the patient's zone, as UTC."""
    local = dt.datetime.combine(day, dt.time.fromisoformat(clock), ZoneInfo(ZONE))
    return local.astimezone(dt.UTC)


def dispatch(server: HepServer, now: dt.datetime) -> Any:
    """One full dispatcher pass (decide, then send) in-process, as the scheduler would run it
    at `now`; asyncio gets a thread of its own, away from Playwright's sync API."""
    from hep.db import Database
    from hep.reminders.dispatch import run_once
    from hep.reminders.passes import DispatchSettings

    def work() -> Any:
        app = server.app()
        return run_once(Database.sessionmaker(app), now, DispatchSettings.from_app(app))

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(work).result(timeout=60)


@contextlib.contextmanager
def in_process(server: HepServer, person: Person) -> Iterator[tuple[Any, Any]]:
    """A session on the server's database and the person's user row; commits at the end."""
    from hep.db import Database
    from hep.models import User

    with Database.sessionmaker(server.app())() as session:
        owner = session.get(User, uuid.UUID(person.id))
        assert owner is not None
        yield session, owner
        session.commit()


def rewind(server: HepServer, person: Person, reminder_ids: list[str], now: dt.datetime) -> None:
    """Reschedule reminders as if they had been set at `now` (days ago)."""
    from hep.reminders.rules import update_reminder

    with in_process(server, person) as (session, owner):
        for rid in reminder_ids:
            update_reminder(session, owner, uuid.UUID(rid), {}, now)


def set_pause(server: HepServer, reminder_id: str, until: dt.date | None) -> None:
    """A pause the dispatcher has to honour by itself: written straight to the row, as if it
    landed after the occurrence was scheduled (the API would move next_fire_at past it)."""
    from hep.db import Database
    from hep.models import Reminder

    with Database.sessionmaker(server.app())() as session:
        reminder = session.get(Reminder, uuid.UUID(reminder_id))
        assert reminder is not None
        reminder.paused_until = until
        reminder.pause_reason = "away" if until else ""
        session.commit()


def log_on_the_day(server: HepServer, person: Person, item_key: str, days: list[dt.date]) -> None:
    """Done on each of `days` (at noon there), in-process with that day's clock: the API's
    edit window does not reach back two weeks."""
    from hep.checkins import put_check_in

    with in_process(server, person) as (session, owner):
        for day in days:
            body = {"item_key": uuid.UUID(item_key), "local_date": day, "state": "done"}
            put_check_in(session, owner, uuid.uuid4(), body, now=at(day, "12:00"), window_days=7)


def subscribe(person: Person, service: FakePushService, path: str) -> None:
    keys = BrowserSubscription.create()
    person.send(
        "POST",
        "/api/push/subscriptions",
        {"endpoint": service.url(path), "keys": {"p256dh": keys.p256dh, "auth": keys.auth}},
        expect=201,
    )


def reason(entry: dict[str, Any]) -> str:
    if entry["outcome"] != "sent":
        return REASONS[entry["outcome"]]
    sent = entry["pushes"]["sent"]
    return f"Sent to {sent} device" + ("s" if sent != 1 else "")


def clock(fire_at: str) -> str:
    """HH:MM of an API timestamp on the patient's clock."""
    return dt.datetime.fromisoformat(fire_at).astimezone(ZoneInfo(ZONE)).strftime("%H:%M")


def assert_history_shows(listing: Locator, entries: list[dict[str, Any]]) -> None:
    """Every occurrence, newest first, at its local time with its reason (and failures)."""
    items = listing.get_by_role("listitem")
    expect(items).to_have_count(len(entries))
    shown = items.all_inner_texts()
    for text, entry in zip(shown, entries, strict=True):
        assert clock(entry["fire_at"]) in text, (text, entry)
        assert reason(entry) in text, (text, entry)
        failed = entry["pushes"]["failed"]
        assert ("Failed on" in text) == bool(failed), (text, entry)
        if failed:
            assert f"Failed on {failed} device" in text, (text, entry)
    stamps = items.locator("time").evaluate_all("els => els.map(e => e.dateTime)")
    assert [dt.datetime.fromisoformat(s) for s in stamps] == [
        dt.datetime.fromisoformat(e["fire_at"]) for e in entries
    ]


def open_history(page: Page, scope: Locator, title: str) -> Locator:
    """Open a reminder's history with the keyboard; answers its list."""
    button = scope.get_by_role("button", name=f"History of {title}")
    expect(button).to_have_attribute("aria-expanded", "false")
    button.focus()
    page.keyboard.press("Enter")
    expect(button).to_have_attribute("aria-expanded", "true")
    heading = scope.get_by_role("heading", name=f"History of {title}")
    # focus lands on the history's heading once it is in
    expect(heading).to_be_focused()
    return scope.get_by_role("list", name=f"History of {title}")


def fits_the_phone(page: Page, name: str) -> None:
    width = page.viewport_size["width"] if page.viewport_size else 0
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width, name


def shoot(page: Page, name: str) -> None:
    """A full-page picture from the top (the fixed bars would land mid-page otherwise)."""
    page.evaluate("() => window.scrollTo(0, 0)")
    screenshot(page, name)


def test_reminder_history_gives_a_reason_for_every_occurrence(
    world: World, server: HepServer, push_service: FakePushService
) -> None:
    therapist = world.therapist()
    patient = world.patient_of(therapist, name="Rhea Reminded")
    today = dt.date.fromisoformat(patient.get("/api/today")["date"])
    d0, d1, d2 = (today - dt.timedelta(days=n) for n in (4, 3, 2))
    exercises = {e["slug"]: e["id"] for e in therapist.get("/api/exercises?page_size=100")}
    program = therapist.send(
        "POST",
        f"/api/patients/{patient.id}/programs",
        {
            "title": "Neck",
            "start_date": (today - dt.timedelta(days=13)).isoformat(),
            "items": [{"exercise_id": exercises["chin-tucks"], "times_per_day": 1}],
        },
    )
    item = program["items"][0]["item_key"]
    # the week before the last: four days of seven done
    log_on_the_day(server, patient, item, [today - dt.timedelta(days=n) for n in (7, 8, 10, 12)])

    routine = patient.send(
        "POST",
        "/api/reminders",
        {
            "label": "Neck routine",
            "target": {"kind": "program", "program_id": program["id"]},
            "rule": {"type": "times", "times": ["08:00", "13:00", "20:00"]},
            "skip_if_done": True,
        },
        expect=201,
    )
    water = patient.send(
        "POST",
        "/api/reminders",
        {"label": "Drink water", "rule": {"type": "times", "times": ["13:00"]}},
        expect=201,
    )
    # both set up four days ago, before the first 08:00
    rewind(server, patient, [routine["id"], water["id"]], at(d0, "00:00"))
    second = dt.timedelta(seconds=5)

    # day 0: no device yet; then two devices, one of which has gone; then quiet hours
    dispatch(server, at(d0, "08:00") + second)
    subscribe(patient, push_service, "/phone")
    subscribe(patient, push_service, "/old-tablet")
    push_service.reply("/old-tablet", Reply(status=410))
    dispatch(server, at(d0, "13:00") + second)
    assert len(push_service.to("/phone")) == 1
    settings = "/api/me/notification-settings"
    patient.send("PATCH", settings, {"quiet_start": "19:00", "quiet_end": "07:00"})
    dispatch(server, at(d0, "20:00") + second)

    # day 1: one push a day at most, then a pause over the evening
    patient.send("PATCH", settings, {"quiet_start": None, "quiet_end": None, "daily_cap": 1})
    dispatch(server, at(d1, "08:00") + second)
    dispatch(server, at(d1, "13:00") + second)
    patient.send("PATCH", settings, {"daily_cap": 6})
    set_pause(server, routine["id"], d1)
    dispatch(server, at(d1, "20:00") + second)
    set_pause(server, routine["id"], None)

    # day 2: the routine is done early; the server is down from before 13:00 until 20:00
    patient.send(
        "PUT",
        f"/api/check-ins/{uuid.uuid4()}",
        {"item_key": item, "local_date": d2.isoformat(), "state": "done"},
    )
    dispatch(server, at(d2, "08:00") + second)
    dispatch(server, at(d2, "20:00") + second)
    assert len(push_service.to("/phone")) == 2

    history = patient.get(f"/api/reminders/{routine['id']}/history?page_size=20")
    water_history = patient.get(f"/api/reminders/{water['id']}/history?page_size=20")
    # at 13:00 on day 0 one push carried both reminders: which one owns it is the server's pick
    carried, rode_along = sorted((history[-2], water_history[-1]), key=lambda e: e["outcome"])
    assert (carried["outcome"], rode_along["outcome"]) == ("grouped", "sent")
    assert rode_along["pushes"] == {"sent": 1, "failed": 1, "pending": 0}
    assert [e["outcome"] for e in history[:-2] + history[-1:]] == [
        "done",
        "missed",
        "done",
        "paused",
        "capped",
        "sent",
        "quiet",
        "no_subscription",
    ]
    assert [e["outcome"] for e in water_history[:-1]] == ["missed", "capped"]
    assert history[5]["pushes"] == {"sent": 1, "failed": 0, "pending": 0}

    # the patient's phone, on another clock than the account's: times stay on the account's
    phone = world.context(patient, timezone_id="America/New_York")
    serve_axe(phone)
    page = world.page(phone)
    open_screen(page, "/reminders", "Reminders")
    card = page.locator("article", has=page.get_by_role("heading", name="Neck routine"))
    listing = open_history(page, card, "Neck routine")
    assert_history_shows(listing, history)
    expect(card.get_by_text("Times in Europe/Berlin.")).to_be_visible()
    water_card = page.locator("article", has=page.get_by_role("heading", name="Drink water"))
    assert_history_shows(open_history(page, water_card, "Drink water"), water_history)
    assert_accessible(page, "patient-reminder-history")
    fits_the_phone(page, "patient-reminder-history")
    shoot(page, "patient-reminder-history")
    # closing hides it again, and the button says so
    card.get_by_role("button", name="History of Neck routine").click()
    expect(listing).to_be_hidden()

    # the 7-day figure with the week before
    adherence = patient.get("/api/adherence")
    assert adherence["percent_prev_7_days"] is not None
    previous = f"week before {int(adherence['percent_prev_7_days'] + 0.5)}%"
    open_screen(page, "/progress", "Progress")
    tile = page.locator(".tile", has_text="last 7 days")
    expect(tile).to_contain_text(f"{int(adherence['percent_7_days'] + 0.5)}%")
    expect(tile).to_contain_text(previous)

    # the therapist's patient detail, at phone size and on a third clock
    desk = world.context(therapist, timezone_id="Asia/Tokyo")
    serve_axe(desk)
    page = world.page(desk)
    open_screen(page, f"/patients/{patient.id}", "Rhea Reminded")
    expect(page.locator(".tile", has_text="last 7 days")).to_contain_text(previous)
    section = page.locator(".card", has=page.get_by_role("heading", name="Reminders", exact=True))
    item_of = section.get_by_role("listitem").filter(has_text=re.compile("^Neck routine"))
    assert_history_shows(open_history(page, item_of, "Neck routine"), history)
    water_item = section.get_by_role("listitem").filter(has_text=re.compile("^Drink water"))
    assert_history_shows(open_history(page, water_item, "Drink water"), water_history)
    assert_accessible(page, "therapist-reminder-history")
    fits_the_phone(page, "therapist-reminder-history")
    shoot(page, "therapist-reminder-history")

    # nothing of these stays due for a later dispatcher pass in this server
    for reminder in (routine, water):
        patient.send("DELETE", f"/api/reminders/{reminder['id']}", expect=204)


def test_without_an_earlier_week_only_the_last_seven_days_show(world: World) -> None:
    therapist = world.therapist()
    patient = world.patient_of(therapist, name="Nia New")
    world.program(therapist, patient, ["chin-tucks"])
    assert patient.get("/api/adherence")["percent_prev_7_days"] is None
    page = world.page(world.context(patient))
    open_screen(page, "/progress", "Progress")
    tile = page.locator(".tile", has_text="last 7 days")
    expect(tile).to_be_visible()
    expect(tile).not_to_contain_text("week before")


def test_after_a_long_outage_older_occurrences_come_a_page_at_a_time(
    world: World, server: HepServer
) -> None:
    therapist = world.therapist()
    patient = world.patient_of(therapist, name="Ola Outage")
    yesterday = dt.date.fromisoformat(patient.get("/api/today")["date"]) - dt.timedelta(days=1)
    reminder = patient.send(
        "POST",
        "/api/reminders",
        {
            "label": "Posture breaks",
            "rule": {"type": "interval", "every_minutes": 10, "start": "09:00", "end": "13:00"},
        },
        expect=201,
    )
    rewind(server, patient, [reminder["id"]], at(yesterday, "00:00"))
    # the server comes back at two in the afternoon: every break of the morning was missed
    dispatch(server, at(yesterday, "14:00"))
    everything = patient.get(f"/api/reminders/{reminder['id']}/history?page_size=100")
    assert len(everything) > 20 and {e["outcome"] for e in everything} == {"missed"}

    page = world.page(world.context(patient))
    open_screen(page, "/reminders", "Reminders")
    card = page.locator("article", has=page.get_by_role("heading", name="Posture breaks"))
    listing = open_history(page, card, "Posture breaks")
    expect(listing.get_by_role("listitem")).to_have_count(20)
    older = card.get_by_role("button", name="Show older")
    older.focus()
    page.keyboard.press("Enter")
    assert_history_shows(listing, everything)
    # the keyboard carries on at the first older entry; there is nothing further back
    expect(listing.get_by_role("listitem").nth(20)).to_be_focused()
    expect(older).to_have_count(0)
    patient.send("DELETE", f"/api/reminders/{reminder['id']}", expect=204)
