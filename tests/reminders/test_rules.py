"""Reminder rules: when a reminder next fires after a change."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from hep.db import db
from hep.models import Role
from hep.reminders.rules import create_reminder
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
