"""Weekly check-ins: the week's figures against logs counted by hand (a week across the
spring DST change, and a time zone change), answers by week, and when the patient is asked."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest
from sqlalchemy import select

from hep.accounts import update_profile
from hep.checkins import put_check_in
from hep.db import db
from hep.errors import Conflict, Invalid
from hep.habits import create_habit
from hep.models import Exercise, Reminder, Role, User, WeeklyReview
from hep.programs import prescribe, revise, view
from hep.weekly_reviews import (
    ReviewAnswer,
    barrier_counts,
    change_schedule,
    put_review,
    review_week,
    reviews_of,
    schedule_of,
    skip_reasons,
    week_figures,
)
from tests.conftest import PASSWORD, Cast

EVERY_DAY, MON_WED_FRI = 0b1111111, 0b0010101


def exercises(n: int) -> list[Exercise]:
    return list(db.session.scalars(select(Exercise).where(Exercise.owner_id.is_(None)).limit(n)))


def log(patient: User, day: dt.date, state: str = "done", **subject: Any) -> None:
    """A check-in written on the day itself (inside the edit window)."""
    body = {"local_date": day, "state": state, **subject}
    if state == "skipped":
        body["skip_reason"] = subject.pop("reason", "pain")
        body.pop("reason", None)
    at = dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC)
    put_check_in(db.session, patient, uuid.uuid4(), body, now=at, window_days=7)


def answer(**changes: Any) -> ReviewAnswer:
    base: dict[str, Any] = {
        "sessions_done": 0,
        "habits_met": 0,
        "barriers": (),
        "barrier_note": "",
        "confidence": 7,
    }
    return ReviewAnswer(**(base | changes))


@pytest.fixture
def therapist_and_patient(cast: Cast) -> tuple[User, User]:
    therapist = cast.user(Role.THERAPIST)
    patient = cast.user(Role.PATIENT, timezone="Europe/Berlin")
    cast.link(therapist, patient)
    return therapist, patient


def test_a_week_across_the_dst_change_counts_as_counted_by_hand(therapist_and_patient):
    therapist, patient = therapist_and_patient
    a, b = exercises(2)
    # Berlin moves to summer time on Sunday 2026-03-29 at 01:00 UTC
    program = prescribe(
        db.session,
        therapist,
        patient.id,
        {
            "title": "Back",
            "start_date": dt.date(2026, 3, 23),
            "items": [
                {"exercise_id": a.id, "times_per_day": 2, "weekdays": EVERY_DAY},
                {"exercise_id": b.id, "times_per_day": 1, "weekdays": MON_WED_FRI},
            ],
        },
        dt.datetime(2026, 3, 20, 10, tzinfo=dt.UTC),
    )
    key_a, key_b = (item.item_key for item, _ in view(db.session, program).items)
    # 23:30 UTC on Saturday is 00:30 on Sunday in Berlin: A drops to once a day from Sunday
    revise(
        db.session,
        therapist,
        program.id,
        {
            "items": [
                {"exercise_id": a.id, "item_key": key_a, "times_per_day": 1},
                {"exercise_id": b.id, "item_key": key_b, "weekdays": MON_WED_FRI},
            ]
        },
        dt.datetime(2026, 3, 28, 23, 30, tzinfo=dt.UTC),
    )
    habit = create_habit(
        db.session,
        patient,
        {"kind": "movement", "name": "Walk", "start_date": dt.date(2026, 3, 1)},
        dt.datetime(2026, 3, 1, 9, tzinfo=dt.UTC),
    )
    water = create_habit(
        db.session,
        patient,
        {
            "kind": "hydration",
            "name": "Water",
            "target": 8,
            "direction": "at_least",
            "unit": "glasses",
            "start_date": dt.date(2026, 3, 1),
        },
        dt.datetime(2026, 3, 1, 9, tzinfo=dt.UTC),
    )
    weekly = create_habit(
        db.session,
        patient,
        {"kind": "stress", "name": "Yoga", "per_week": 3, "start_date": dt.date(2026, 3, 1)},
        dt.datetime(2026, 3, 1, 9, tzinfo=dt.UTC),
    )
    d = [dt.date(2026, 3, 23) + dt.timedelta(days=n) for n in range(7)]  # Monday .. Sunday
    for when, state in [(0, "done"), (0, "done"), (1, "done"), (1, "partial")]:
        log(patient, d[when], state, item_key=key_a)
    for _ in range(3):  # three on a day of two: two count
        log(patient, d[3], item_key=key_a)
    log(patient, d[6], item_key=key_a)
    log(patient, d[2], "skipped", item_key=key_b, reason="pain")
    log(patient, d[4], "partial", item_key=key_b)
    for n in (0, 1, 2, 6):
        log(patient, d[n], habit_id=habit.id)
    for n, glasses in [(0, 8), (1, 5), (2, 4), (2, 4), (6, 10)]:
        log(patient, d[n], "partial", habit_id=water.id, value=glasses)
    for n in (1, 3):
        log(patient, d[n], habit_id=weekly.id)
    db.session.commit()

    figures = week_figures(db.session, patient, d[6])
    # A: twice a day Monday to Saturday, once on Sunday (13); B: Monday, Wednesday, Friday (3)
    assert figures.sessions_planned == 16
    # A: 2 + 1.5 + 2 (of three) + 1; B: skipped, then half
    assert figures.sessions_logged == 7.0
    # walk 7 days, water 7 days, yoga's 3 a week; met: walk 4, water 3 (8, 4+4, 10), yoga 2
    assert (figures.habits_planned, figures.habits_met) == (17, 9)
    assert skip_reasons(db.session, patient.id, d[0], d[6])["pain"] == 1


def test_a_time_zone_change_moves_the_week_and_the_day_a_revision_counts_from(cast: Cast):
    therapist = cast.user(Role.THERAPIST)
    patient = cast.user(Role.PATIENT, timezone="Asia/Tokyo")
    cast.link(therapist, patient)
    [a] = exercises(1)
    program = prescribe(
        db.session,
        therapist,
        patient.id,
        {
            "title": "Neck",
            "start_date": dt.date(2026, 6, 8),
            "items": [{"exercise_id": a.id, "times_per_day": 1, "weekdays": EVERY_DAY}],
        },
        dt.datetime(2026, 6, 1, tzinfo=dt.UTC),
    )
    [key] = (item.item_key for item, _ in view(db.session, program).items)
    # Wednesday 20:00 UTC: Thursday 05:00 in Tokyo, still Wednesday in New York
    revise(
        db.session,
        therapist,
        program.id,
        {"items": [{"exercise_id": a.id, "item_key": key, "times_per_day": 3}]},
        dt.datetime(2026, 6, 10, 20, tzinfo=dt.UTC),
    )
    week = [dt.date(2026, 6, 8) + dt.timedelta(days=n) for n in range(7)]  # Mon 8 .. Sun 14
    for day in week:
        log(patient, day, item_key=key)
    db.session.commit()
    # in Tokyo: once a day Monday to Wednesday, three times from Thursday
    assert week_figures(db.session, patient, week[6]).sessions_planned == 3 + 4 * 3
    assert week_figures(db.session, patient, week[6]).sessions_logged == 7.0

    # Saturday 20:00 UTC is Sunday morning in Tokyo: this week is the one to answer
    saturday_night = dt.datetime(2026, 6, 13, 20, tzinfo=dt.UTC)
    assert review_week(7, dt.date(2026, 6, 14)) == week[6]
    review, created = put_review(
        db.session, patient, week[6], answer(sessions_done=7), now=saturday_night, window_days=7
    )
    assert created and review.sessions_planned == 15
    db.session.rollback()

    update_profile(
        db.session,
        patient,
        changes={"timezone": "America/New_York"},
        current_session_id=None,
        hasher=cast.app.extensions["hep_hasher"],
        now=saturday_night,
    )
    db.session.commit()
    # in New York the revision was made on Wednesday, and it is still Saturday there
    assert week_figures(db.session, patient, week[6]).sessions_planned == 2 + 5 * 3
    with pytest.raises(Invalid) as refused:
        put_review(db.session, patient, week[6], answer(), now=saturday_night, window_days=7)
    assert "week_end" in (refused.value.errors or {})
    assert review_week(7, dt.date(2026, 6, 13)) == dt.date(2026, 6, 7)


def test_the_same_answer_again_changes_nothing_and_another_answer_is_kept(
    therapist_and_patient,
):
    _, patient = therapist_and_patient
    create_habit(
        db.session,
        patient,
        {"kind": "movement", "name": "Walk", "start_date": dt.date(2026, 1, 1)},
        dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
    )
    sunday, now = dt.date(2026, 3, 1), dt.datetime(2026, 3, 1, 18, tzinfo=dt.UTC)
    given = answer(habits_met=5, barriers=("pain", "no_time"), barrier_note="busy", confidence=6)
    first, created = put_review(db.session, patient, sunday, given, now=now, window_days=7)
    db.session.commit()
    assert created and first.barriers == ["no_time", "pain"]  # the list's own order
    later = now + dt.timedelta(hours=1)
    again, created = put_review(
        db.session,
        patient,
        sunday,
        answer(habits_met=5, barriers=("no_time", "pain"), barrier_note="busy", confidence=6),
        now=later,
        window_days=7,
    )
    assert not created and again.id == first.id and again.updated_at == now
    changed, _ = put_review(
        db.session, patient, sunday, answer(habits_met=7, confidence=9), now=later, window_days=7
    )
    db.session.commit()
    assert (changed.habits_met, changed.confidence, changed.barriers) == (7, 9, [])
    assert changed.updated_at == later
    assert db.session.scalar(select(WeeklyReview.id).where(WeeklyReview.owner_id == patient.id))


def test_answers_beyond_the_plan_or_the_window_are_refused(therapist_and_patient):
    _, patient = therapist_and_patient
    sunday, now = dt.date(2026, 3, 1), dt.datetime(2026, 3, 1, 18, tzinfo=dt.UTC)
    with pytest.raises(Invalid) as refused:
        put_review(
            db.session,
            patient,
            sunday,
            answer(sessions_done=1, habits_met=1),
            now=now,
            window_days=7,
        )
    assert set(refused.value.errors or {}) == {"sessions_done", "habits_met"}
    with pytest.raises(Invalid) as refused:
        put_review(
            db.session, patient, sunday, answer(barriers=("pain", "pain")), now=now, window_days=7
        )
    assert set(refused.value.errors or {}) == {"barriers"}
    with pytest.raises(Invalid):
        put_review(db.session, patient, dt.date(2026, 3, 2), answer(), now=now, window_days=7)
    with pytest.raises(Conflict):
        put_review(db.session, patient, dt.date(2026, 2, 15), answer(), now=now, window_days=7)


def test_barriers_are_counted_over_the_weeks(therapist_and_patient):
    _, patient = therapist_and_patient
    for week, barriers in [(0, ("pain", "forgot")), (1, ("pain",)), (2, ())]:
        sunday = dt.date(2026, 2, 15) + dt.timedelta(weeks=week)
        now = dt.datetime.combine(sunday, dt.time(18), tzinfo=dt.UTC)
        put_review(db.session, patient, sunday, answer(barriers=barriers), now=now, window_days=7)
    db.session.commit()
    reviews = reviews_of(db.session, patient.id, dt.date(2026, 2, 1), dt.date(2026, 3, 31))
    assert [r.week_end.day for r in reviews] == [15, 22, 1]
    counts = barrier_counts(reviews)
    assert counts["pain"] == 2 and counts["forgot"] == 1 and counts["motivation"] == 0


def test_the_review_day_comes_with_its_own_reminder_which_follows_it(therapist_and_patient):
    _, patient = therapist_and_patient
    now = dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC)  # a Monday
    schedule = schedule_of(db.session, patient, now)
    db.session.commit()
    reminder = db.session.get_one(Reminder, schedule.reminder_id)
    assert (schedule.weekday, schedule.time) == (7, "19:00")
    assert (reminder.target_kind, reminder.times, reminder.weekdays) == ("review", ["19:00"], 64)
    # Sunday 19:00 in Berlin (winter time) is 18:00 UTC
    assert reminder.next_fire_at == dt.datetime(2026, 3, 8, 18, tzinfo=dt.UTC)
    assert schedule_of(db.session, patient, now).reminder_id == reminder.id  # made once

    change_schedule(db.session, patient, 5, dt.time(17, 30), True, now)
    db.session.commit()
    db.session.refresh(reminder)
    assert (reminder.times, reminder.weekdays) == (["17:30"], 16)
    assert reminder.next_fire_at == dt.datetime(2026, 3, 6, 16, 30, tzinfo=dt.UTC)

    change_schedule(db.session, patient, 5, dt.time(17, 30), False, now)
    db.session.commit()
    assert db.session.get(Reminder, reminder.id) is None
    assert schedule_of(db.session, patient, now).reminder_id is None
    # removed by the patient: not made again behind their back, but back when asked for
    again = change_schedule(db.session, patient, 1, dt.time(8), True, now)
    assert db.session.get_one(Reminder, again.reminder_id).weekdays == 1


def test_the_export_holds_the_answers_and_deleting_the_account_removes_them(
    cast: Cast, therapist_and_patient
):
    _, patient = therapist_and_patient
    sunday, now = dt.date(2026, 3, 1), dt.datetime(2026, 3, 1, 18, tzinfo=dt.UTC)
    schedule_of(db.session, patient, now)
    put_review(
        db.session, patient, sunday, answer(barrier_note="a busy week"), now=now, window_days=7
    )
    db.session.commit()
    client = cast.client(patient)
    exported = client.get("/api/me/export").get_json()["weekly_reviews"]
    assert exported["asked_on"] == {"weekday": 7, "time": "19:00"}
    assert [(w["week_end"], w["barrier_note"]) for w in exported["weeks"]] == [
        ("2026-03-01", "a busy week")
    ]
    assert client.delete("/api/me", json={"password": PASSWORD}).status_code == 204
    db.session.rollback()
    assert db.session.scalar(select(WeeklyReview.id)) is None
