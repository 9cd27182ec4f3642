"""Local dates at midnight: 'today' and 'future' depend on the patient's zone, not UTC."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from hep.adherence import today_view
from hep.checkins import put_check_in
from hep.db import db
from hep.errors import Invalid
from hep.habits import add_starter
from hep.models import Role
from tests.conftest import Cast

# 03:00 UTC on 2 March: still 1 March in New York, already 2 March afternoon in Auckland
INSTANT = dt.datetime(2026, 3, 2, 3, 0, tzinfo=dt.UTC)


def test_a_date_that_is_tomorrow_in_new_york_is_refused_but_fine_in_auckland(cast: Cast):
    ny = cast.user(Role.PATIENT, timezone="America/New_York")
    akl = cast.user(Role.PATIENT, timezone="Pacific/Auckland")
    for user, allowed in ((ny, False), (akl, True)):
        habit = add_starter(db.session, user, "water", INSTANT - dt.timedelta(days=3))
        body = {"habit_id": habit.id, "local_date": dt.date(2026, 3, 2), "state": "done"}
        if allowed:
            put_check_in(db.session, user, uuid.uuid4(), body, now=INSTANT, window_days=7)
        else:
            with pytest.raises(Invalid):
                put_check_in(db.session, user, uuid.uuid4(), body, now=INSTANT, window_days=7)


def test_a_check_in_late_in_the_local_evening_counts_for_that_local_day(cast: Cast):
    ny = cast.user(Role.PATIENT, timezone="America/New_York")
    habit = add_starter(db.session, ny, "downtime", INSTANT - dt.timedelta(days=3))
    # 23:30 in New York on 1 March is 04:30 UTC on 2 March
    late = dt.datetime(2026, 3, 2, 4, 30, tzinfo=dt.UTC)
    body = {"habit_id": habit.id, "local_date": dt.date(2026, 3, 1), "state": "done"}
    put_check_in(db.session, ny, uuid.uuid4(), body, now=late, window_days=7)
    db.session.commit()
    march_1 = today_view(db.session, ny, dt.date(2026, 3, 1))["entries"]
    march_2 = today_view(db.session, ny, dt.date(2026, 3, 2))["entries"]
    assert [e["done"] for e in march_1] == [True]
    assert [e["done"] for e in march_2] == [False]
