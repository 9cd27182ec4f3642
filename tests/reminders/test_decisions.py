"""The dispatcher decides each occurrence at send time and records every decision (claimed
and decided batch by batch, as a pass does)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import threading
import uuid
from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from sqlalchemy import func, select

from hep.adherence import today_view
from hep.channels.push import PushSettings
from hep.checkins import put_check_in
from hep.db import Database, db
from hep.habits import add_starter
from hep.models import (
    Delivery,
    Exercise,
    NotificationSettings,
    Occurrence,
    Program,
    ProgramItem,
    PushSubscription,
    Reminder,
    Role,
    User,
)
from hep.programs import prescribe, revise, view
from hep.push.keys import generate_vapid_keys
from hep.push.subscriptions import policy_from_config
from hep.reminders.batches import decide_batch
from hep.reminders.claims import claim_reminders
from hep.reminders.passes import DispatchSettings, TickReport
from hep.reminders.rules import create_reminder, reschedule_all, snooze, update_settings
from tests.conftest import Cast

# Monday 2 March 2026, 07:00 in Berlin is 06:00 UTC
MONDAY = dt.datetime(2026, 3, 2, 6, 0, tzinfo=dt.UTC)
T = dt.time


def dispatch_settings(app: Flask) -> DispatchSettings:
    push = PushSettings(
        private_key=generate_vapid_keys().private_pem(),
        subject="mailto:test@example.org",
        policy=policy_from_config(app.config),
    )
    return DispatchSettings(
        grace=dt.timedelta(minutes=30), base_url="http://localhost", channels=(push,)
    )


@pytest.fixture
def settings(app: Flask) -> DispatchSettings:
    return dispatch_settings(app)


@pytest.fixture
def patient(cast: Cast):
    user = cast.user(Role.PATIENT, timezone="Europe/Berlin")
    db.session.add(
        PushSubscription(
            user_id=user.id,
            endpoint=f"http://127.0.0.1:9/{uuid.uuid4().hex}",
            p256dh="x",
            auth="y",
            created_at=MONDAY,
        )
    )
    db.session.commit()
    return user


def times_rule(*times: str, weekdays=(1, 2, 3, 4, 5, 6, 7)) -> dict:
    return {
        "type": "times",
        "times": [T.fromisoformat(t) for t in times],
        "weekdays": list(weekdays),
    }


def tick(app: Flask, now: dt.datetime, settings: DispatchSettings) -> TickReport:
    """Claim and decide everything due (nothing is sent)."""
    report = TickReport()
    factory = Database.sessionmaker(app)
    channels = [channel.open() for channel in settings.channels]
    while True:
        with factory() as session:
            ids = claim_reminders(session, now, settings)
            if not ids:
                return report
            decide_batch(session, ids, now, settings, channels, report)


def outcomes() -> list[str]:
    db.session.rollback()  # a new snapshot: dispatchers wrote through other sessions
    return list(db.session.scalars(select(Occurrence.outcome).order_by(Occurrence.fire_at)))


def test_a_due_reminder_is_decided_once_and_gets_a_delivery(app, patient, settings):
    reminder = create_reminder(db.session, patient, {"rule": times_rule("08:00")}, MONDAY)
    db.session.commit()
    assert reminder.next_fire_at == dt.datetime(2026, 3, 2, 7, 0, tzinfo=dt.UTC)
    assert tick(app, MONDAY + dt.timedelta(minutes=59), settings).decided == 0
    at = MONDAY + dt.timedelta(hours=1, seconds=5)
    assert tick(app, at, settings).outcomes == {"sent": 1}
    assert tick(app, at, settings).decided == 0
    assert outcomes() == ["sent"]
    assert db.session.scalar(select(func.count()).select_from(Delivery)) == 1
    db.session.refresh(reminder)
    assert reminder.next_fire_at == dt.datetime(2026, 3, 3, 7, 0, tzinfo=dt.UTC)
    assert reminder.claimed_until is None


def done_after_the_first_push(app, patient, settings) -> Reminder:
    """A habit reminded at 08:00 and 20:00 Berlin time, logged done in between; both decided."""
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
    return reminder


def test_skip_if_done_is_decided_at_send_time(app, patient, settings):
    done_after_the_first_push(app, patient, settings)
    assert outcomes() == ["sent", "done"]


def test_quiet_hours_and_the_daily_cap_hold_pushes_back(app, patient, settings):
    update_settings(
        db.session, patient, {"quiet_start": T(21, 0), "quiet_end": T(7, 30), "daily_cap": 2}
    )
    create_reminder(
        db.session,
        patient,
        {"rule": times_rule("07:00", "08:00", "09:00", "10:00")},
        MONDAY - dt.timedelta(hours=1),
    )
    db.session.commit()
    for hour in (6, 7, 8, 9):
        tick(app, dt.datetime(2026, 3, 2, hour, 0, 30, tzinfo=dt.UTC), settings)
    assert outcomes() == ["quiet", "sent", "sent", "capped"]


def test_an_account_without_settings_has_the_default_quiet_hours(app, patient, settings):
    db.session.delete(db.session.get_one(NotificationSettings, patient.id))
    create_reminder(db.session, patient, {"rule": times_rule("06:30", "07:00", "22:00")}, MONDAY)
    db.session.commit()
    for at in ("2026-03-02T21:00:30", "2026-03-03T05:30:30", "2026-03-03T06:00:30"):
        tick(app, dt.datetime.fromisoformat(at).replace(tzinfo=dt.UTC), settings)
    assert outcomes() == ["quiet", "quiet", "sent"]  # 22:00 and 06:30 Berlin are quiet


def test_a_paused_reminder_sends_nothing_until_the_pause_ends(app, patient, settings):
    create_reminder(
        db.session,
        patient,
        {
            "rule": times_rule("08:00"),
            "paused_until": dt.date(2026, 3, 3),
            "pause_reason": "flare-up",
        },
        MONDAY,
    )
    db.session.commit()
    reminder = db.session.scalars(select(Reminder)).one()
    assert reminder.next_fire_at == dt.datetime(2026, 3, 4, 7, 0, tzinfo=dt.UTC)


def test_after_three_hours_down_stale_occurrences_are_missed_and_the_latest_is_sent(
    app, patient, settings
):
    create_reminder(
        db.session,
        patient,
        {
            "rule": {
                "type": "interval",
                "every_minutes": 30,
                "start": T(8),
                "end": T(17),
                "weekdays": [1],
            }
        },
        MONDAY,
    )
    db.session.commit()
    # down from 08:00 to 11:10 Berlin (10:10 UTC): 08:00 .. 10:30 are stale, 11:00 is in the window
    report = tick(app, dt.datetime(2026, 3, 2, 10, 10, tzinfo=dt.UTC), settings)
    assert report.outcomes == {"missed": 6, "sent": 1}
    assert outcomes()[-1] == "sent"
    assert db.session.scalar(select(func.count()).select_from(Delivery)) == 1


def test_reminders_due_together_share_one_push(app, patient, settings):
    for _ in range(3):
        create_reminder(db.session, patient, {"rule": times_rule("08:00")}, MONDAY)
    db.session.commit()
    tick(app, MONDAY + dt.timedelta(hours=1, seconds=1), settings)
    assert sorted(outcomes()) == ["grouped", "grouped", "sent"]
    assert db.session.scalar(select(func.count()).select_from(Delivery)) == 1


def test_snooze_fires_again_after_the_chosen_minutes(app, patient, settings):
    reminder = create_reminder(db.session, patient, {"rule": times_rule("08:00")}, MONDAY)
    db.session.commit()
    fired = MONDAY + dt.timedelta(hours=1, seconds=1)
    tick(app, fired, settings)
    # from the push: the occurrence it was about comes again 10 minutes later
    snooze(db.session, patient, reminder.id, 10, fired, due_at=fired)
    db.session.commit()
    tick(app, fired + dt.timedelta(minutes=10, seconds=1), settings)
    assert outcomes() == ["sent", "sent"]
    db.session.refresh(reminder)
    assert reminder.next_fire_at == dt.datetime(2026, 3, 3, 7, 0, tzinfo=dt.UTC)


def test_changing_timezone_moves_future_occurrences_without_a_duplicate_today(
    app, patient, settings
):
    create_reminder(db.session, patient, {"rule": times_rule("08:00")}, MONDAY)
    db.session.commit()
    tick(app, MONDAY + dt.timedelta(hours=1, seconds=1), settings)  # 08:00 Berlin served
    # flying west: at 09:30 Berlin it is 03:30 in New York, whose 08:00 is still ahead today
    patient.timezone = "America/New_York"
    reschedule_all(db.session, patient, "Europe/Berlin", MONDAY + dt.timedelta(hours=2, minutes=30))
    db.session.commit()
    reminder = db.session.scalars(select(Reminder)).one()
    assert reminder.next_fire_at == dt.datetime(
        2026, 3, 3, 13, 0, tzinfo=dt.UTC
    )  # 08:00 EST tomorrow


def test_two_dispatchers_racing_decide_each_occurrence_once(app, patient, settings):
    for _ in range(40):
        create_reminder(db.session, patient, {"rule": times_rule("08:00")}, MONDAY)
    db.session.commit()
    at = MONDAY + dt.timedelta(hours=1, seconds=1)
    small = dataclasses.replace(settings, batch=5)
    errors: list[BaseException] = []

    def run() -> None:
        try:
            tick(app, at, small)
        except BaseException as exc:  # surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    rows = db.session.execute(select(Occurrence.reminder_id, Occurrence.outcome)).all()
    assert len(rows) == 40 and len({r for r, _ in rows}) == 40  # each reminder decided once
    pushes = sum(1 for _, outcome in rows if outcome == "sent")
    # the owner is decided by one pass at a time: one push carries all 40
    assert {o for _, o in rows} <= {"sent", "grouped"} and pushes == 1
    assert db.session.scalar(select(func.count()).select_from(Delivery)) == pushes


def test_a_killed_dispatchers_claim_expires_and_another_sends_once(app, patient, settings):
    create_reminder(db.session, patient, {"rule": times_rule("08:00")}, MONDAY)
    db.session.commit()
    at = MONDAY + dt.timedelta(hours=1, seconds=1)
    with Database.sessionmaker(app)() as session:
        assert len(claim_reminders(session, at, settings)) == 1  # then "killed"
    assert tick(app, at + dt.timedelta(seconds=30), settings).decided == 0  # lease still held
    assert tick(app, at + settings.lease + dt.timedelta(seconds=1), settings).outcomes == {
        "sent": 1
    }
    assert outcomes() == ["sent"]


def test_a_disabled_account_gets_no_pushes(app, patient, settings):
    from hep.accounts import set_active

    create_reminder(db.session, patient, {"rule": times_rule("08:00")}, MONDAY)
    set_active(db.session, patient, False)
    db.session.commit()
    tick(app, MONDAY + dt.timedelta(hours=1, seconds=1), settings)
    assert outcomes() == ["paused"]
    assert db.session.scalar(select(func.count()).select_from(Delivery)) == 0


# a program that runs Wednesday 4 to Friday 6 March 2026 (Berlin), one exercise every day
START, END = dt.date(2026, 3, 4), dt.date(2026, 3, 6)


def program_for(patient, cast: Cast, end: dt.date | None = END) -> Program:
    therapist = cast.user(Role.THERAPIST)
    cast.link(therapist, patient)
    exercise = db.session.scalars(select(Exercise).where(Exercise.built_in).limit(1)).one()
    spec = {"title": "Neck", "start_date": START, "end_date": end}
    spec["items"] = [{"exercise_id": exercise.id}]
    return prescribe(db.session, therapist, patient.id, spec, MONDAY)


def eight_oclock(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, T(8), tzinfo=ZoneInfo("Europe/Berlin")).astimezone(dt.UTC)


def program_reminder(patient, program: Program, **extra) -> Reminder:
    target = {"kind": "program", "program_id": program.id}
    body = {"rule": times_rule("08:00"), "target": target} | extra
    reminder = create_reminder(db.session, patient, body, MONDAY)
    db.session.commit()
    return reminder


def test_a_program_reminder_sleeps_until_the_program_starts_and_stops_after_it_ends(
    app, patient, cast, settings
):
    reminder = program_reminder(patient, program_for(patient, cast))
    assert reminder.next_fire_at == eight_oclock(START)
    for day in range(2, 9):  # Monday 2 to Sunday 8 March, each day just after 08:00
        tick(app, eight_oclock(dt.date(2026, 3, day)) + dt.timedelta(seconds=5), settings)
    assert outcomes() == ["sent", "sent", "sent"]  # Wednesday, Thursday, Friday
    db.session.refresh(reminder)
    assert reminder.next_fire_at is None  # the dispatcher is not woken for it again


@pytest.mark.parametrize(
    ("day", "due"),
    [
        (dt.date(2026, 3, 3), False),  # the day before the start
        (START, True),
        (END, True),
        (dt.date(2026, 3, 7), False),  # the day after the end
    ],
)
def test_today_and_the_dispatcher_agree_on_what_is_due(app, patient, cast, settings, day, due):
    reminder = program_reminder(patient, program_for(patient, cast), skip_if_done=False)
    # as a reminder scheduled before the program's dates changed would be
    reminder.next_fire_at = eight_oclock(day)
    db.session.commit()
    listed = [e for e in today_view(db.session, patient, day)["entries"] if e["kind"] == "item"]
    assert bool(listed) is due
    tick(app, eight_oclock(day) + dt.timedelta(seconds=5), settings)
    assert outcomes() == ["sent" if due else "not_due"]
    db.session.refresh(reminder)
    following = {
        dt.date(2026, 3, 3): eight_oclock(START),
        START: eight_oclock(START + dt.timedelta(days=1)),
        END: None,
        dt.date(2026, 3, 7): None,
    }
    assert reminder.next_fire_at == following[day]


def test_a_program_reminder_on_a_weekday_with_nothing_due_is_not_due_rather_than_done(
    app, patient, cast, settings
):
    program = program_for(patient, cast)
    item = db.session.scalars(select(ProgramItem)).one()
    item.weekdays = 0b0000100  # Wednesday only
    reminder = program_reminder(patient, program)
    reminder.next_fire_at = eight_oclock(END)
    db.session.commit()
    assert today_view(db.session, patient, END)["entries"] == []
    tick(app, eight_oclock(END) + dt.timedelta(seconds=5), settings)
    assert outcomes() == ["not_due"]


def test_extending_an_ended_program_wakes_its_reminders(app, patient, cast, settings):
    program = program_for(patient, cast)
    reminder = program_reminder(patient, program)
    saturday = eight_oclock(dt.date(2026, 3, 7))
    reminder.next_fire_at = saturday
    db.session.commit()
    tick(app, saturday + dt.timedelta(seconds=5), settings)
    db.session.refresh(reminder)
    assert reminder.next_fire_at is None
    therapist = db.session.get_one(User, program.therapist_id)
    current = view(db.session, program)
    revise(
        db.session,
        therapist,
        program.id,
        {
            "start_date": START,
            "end_date": dt.date(2026, 3, 20),
            "items": [{"exercise_id": e.id, "item_key": i.item_key} for i, e in current.items],
        },
        saturday + dt.timedelta(hours=1),
    )
    db.session.commit()
    db.session.refresh(reminder)
    assert reminder.next_fire_at == eight_oclock(dt.date(2026, 3, 8))
