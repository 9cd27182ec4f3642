"""A reminder's history: every occurrence with the dispatcher's decision, for the patient and
their therapist."""

from __future__ import annotations

import datetime as dt
import uuid

from hep.checkins import put_check_in
from hep.db import db
from hep.habits import add_starter
from hep.models import Role
from hep.reminders.rules import create_reminder
from tests.conftest import Cast
from tests.reminders.test_dispatch import MONDAY, patient, settings, tick, times_rule

__all__ = ["patient", "settings"]  # fixtures shared with the dispatcher's tests


def test_the_history_shows_each_decision_newest_first(app, cast: Cast, patient, settings):
    therapist = cast.user(Role.THERAPIST)
    cast.link(therapist, patient)
    habit = add_starter(db.session, patient, "downtime", MONDAY)
    reminder = create_reminder(
        db.session,
        patient,
        {"rule": times_rule("08:00", "20:00"), "target": {"kind": "habit", "habit_id": habit.id}},
        MONDAY,
    )
    db.session.commit()
    tick(app, MONDAY + dt.timedelta(hours=1, minutes=1), settings)
    put_check_in(
        db.session,
        patient,
        uuid.uuid4(),
        {"habit_id": habit.id, "local_date": dt.date(2026, 3, 2), "state": "done"},
        now=MONDAY + dt.timedelta(hours=2),
        window_days=7,
    )
    db.session.commit()
    tick(app, MONDAY + dt.timedelta(hours=13, minutes=1), settings)

    mine = cast.client(patient).get(f"/api/reminders/{reminder.id}/history").get_json()
    assert [(h["local_date"], h["outcome"]) for h in mine] == [
        ("2026-03-02", "done"),  # 20:00: already logged, not sent
        ("2026-03-02", "sent"),  # 08:00
    ]
    assert mine[0]["fire_at"] == "2026-03-02T19:00:00+00:00"
    assert mine[0]["pushes"] == {"sent": 0, "failed": 0, "pending": 0}
    assert mine[1]["pushes"]["sent"] + mine[1]["pushes"]["pending"] == 1  # one device
    theirs = cast.client(therapist).get(
        f"/api/patients/{patient.id}/reminders/{reminder.id}/history?page_size=1"
    )
    assert theirs.status_code == 200 and theirs.get_json() == mine[:1]
