"""Reminder rules: when a reminder next fires after a change."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from hep.db import db
from hep.errors import Conflict, Invalid
from hep.models import Role
from hep.reminders.rules import create_reminder, snooze, update_reminder
from tests.conftest import NOW, Cast

RULE = {"type": "times", "times": [dt.time(8)]}


@pytest.mark.parametrize("zone", ["UTC", "Pacific/Kiritimati", "Pacific/Pago_Pago"])
@pytest.mark.parametrize("days_before_the_end", [0, 1, 5, 9])
def test_a_pause_to_the_calendars_last_days_is_scheduled_without_overflow(
    cast: Cast, zone: str, days_before_the_end: int
):
    patient = cast.user(Role.PATIENT, timezone=zone)
    until = dt.date.max - dt.timedelta(days=days_before_the_end)
    reminder = create_reminder(db.session, patient, {"rule": RULE, "paused_until": until}, NOW)
    # nothing left to fire once the calendar ends; else the first push after the pause
    fires = reminder.next_fire_at
    assert fires is None or fires.astimezone(ZoneInfo(zone)).date() > until
    if days_before_the_end == 0:
        assert fires is None


def test_a_pause_moves_the_next_push_to_the_day_after(cast: Cast):
    patient = cast.user(Role.PATIENT, timezone="Europe/Berlin")
    until = dt.date(2026, 3, 10)
    reminder = create_reminder(db.session, patient, {"rule": RULE, "paused_until": until}, NOW)
    assert reminder.next_fire_at == dt.datetime(2026, 3, 11, 7, tzinfo=dt.UTC)


def test_a_snooze_delays_the_next_push_and_never_brings_it_forward(cast: Cast):
    patient = cast.user(Role.PATIENT, timezone="Europe/Berlin")
    reminder = create_reminder(db.session, patient, {"rule": RULE}, NOW)
    due = dt.datetime(2026, 3, 3, 7, tzinfo=dt.UTC)  # 08:00 in Berlin
    assert reminder.next_fire_at == due
    night = dt.datetime(2026, 3, 3, 0, 45, tzinfo=dt.UTC)  # 01:45 in Berlin
    snooze(db.session, patient, reminder.id, 60, night)
    assert reminder.next_fire_at == due + dt.timedelta(hours=1)


def test_a_snooze_from_a_push_comes_again_after_the_minutes_chosen(cast: Cast):
    patient = cast.user(Role.PATIENT, timezone="Europe/Berlin")
    reminder = create_reminder(db.session, patient, {"rule": RULE}, NOW)
    pushed = dt.datetime(2026, 3, 3, 7, tzinfo=dt.UTC)
    reminder.next_fire_at = pushed + dt.timedelta(days=1)  # as the dispatcher left it
    tapped = pushed + dt.timedelta(minutes=3)
    snooze(db.session, patient, reminder.id, 15, tapped, due_at=pushed)
    assert reminder.next_fire_at == tapped + dt.timedelta(minutes=15)


def test_a_reminder_with_nothing_coming_cannot_be_snoozed(cast: Cast):
    patient = cast.user(Role.PATIENT)
    reminder = create_reminder(db.session, patient, {"rule": RULE}, NOW)
    reminder.next_fire_at = None  # its program has ended
    with pytest.raises(Conflict):
        snooze(db.session, patient, reminder.id, 60, NOW)


def test_a_pause_that_ended_before_today_is_refused(cast: Cast):
    # 23:30 UTC on 1 March is already 2 March in Berlin: 1 March is in the past there
    patient = cast.user(Role.PATIENT, timezone="Europe/Berlin")
    late = dt.datetime(2026, 3, 1, 23, 30, tzinfo=dt.UTC)
    reminder = create_reminder(db.session, patient, {"rule": RULE}, late)
    with pytest.raises(Invalid) as refused:
        update_reminder(
            db.session, patient, reminder.id, {"paused_until": dt.date(2026, 3, 1)}, late
        )
    assert refused.value.errors == {"paused_until": ["Paused until: today or a later day."]}
    assert reminder.paused_until is None
    kept = update_reminder(
        db.session, patient, reminder.id, {"paused_until": dt.date(2026, 3, 2)}, late
    )
    assert kept.paused_until == dt.date(2026, 3, 2)
