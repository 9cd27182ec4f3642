"""Pauses of the whole account act through the one due rule (Subject.dose_on): Today, the
reminder dispatcher, adherence percentages, strength and streaks agree, with hand-computed
histories across each mode; the checkpointed walk stays what a full walk gives."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from flask import Flask
from sqlalchemy import select

from hep.adherence import adherence, today_view
from hep.checkins import put_check_in
from hep.db import db
from hep.habits import create_habit
from hep.models import Exercise, Pause, Role, User
from hep.pauses import end_pause, start_pause
from hep.programs import prescribe, view
from hep.reminders.rules import create_reminder
from tests.conftest import Cast
from tests.reminders.test_decisions import dispatch_settings, outcomes, tick, times_rule

D0 = dt.date(2026, 3, 2)  # a Monday
WINDOW = 10_000  # these tests write history directly, whatever its age
M = 0.5 ** (1 / 13)  # a daily subject's strength multiplier (Loop's pace, once a day)


def day(n: int) -> dt.date:
    return D0 + dt.timedelta(days=n)


def at(n: int, hour: int = 12) -> dt.datetime:
    return dt.datetime.combine(day(n), dt.time(hour), tzinfo=dt.UTC)


def strength(done_days: int) -> float:
    """The strength after `done_days` due days all done, from zero: 1 - M^n, as served."""
    return round((1 - M**done_days) * 100, 1)


class Patient:
    """A patient with a daily program of the given items (flags per item), from D0."""

    def __init__(self, cast: Cast, *items: dict[str, Any]) -> None:
        self.therapist = cast.user(Role.THERAPIST)
        self.user = cast.user(Role.PATIENT)
        cast.link(self.therapist, self.user)
        exercises = db.session.scalars(select(Exercise.id).order_by(Exercise.name)).all()
        specs = [
            {"exercise_id": exercises[n], "times_per_day": 1} | spec for n, spec in enumerate(items)
        ]
        self.program = prescribe(
            db.session,
            self.therapist,
            self.user.id,
            {"title": "Daily", "start_date": D0, "items": specs},
            at(0, 8),
        )
        self.keys = [i.item_key for i, _ in view(db.session, self.program).items]
        db.session.commit()

    def log(self, n: int, key: uuid.UUID | None = None, **body: Any) -> None:
        subject = {"habit_id": body.pop("habit_id")} if "habit_id" in body else {}
        put_check_in(
            db.session,
            self.user,
            uuid.uuid4(),
            {"local_date": day(n), "state": "done"} | (subject or {"item_key": key}) | body,
            now=at(n),
            window_days=WINDOW,
        )
        db.session.commit()

    def pause(self, mode: str, first: int, last: int | None, now: int | None = None) -> Pause:
        found = start_pause(
            db.session,
            self.user,
            mode,
            at(first if now is None else now, 7),
            window_days=WINDOW,
            first_day=day(first),
            last_day=day(last) if last is not None else None,
        )
        db.session.commit()
        return found

    def scores(self, today: int) -> dict[str, Any]:
        document = adherence(db.session, db.session.get_one(User, self.user.id), day(today))
        db.session.commit()
        return document

    def today(self, n: int) -> dict[str, Any]:
        return today_view(db.session, db.session.get_one(User, self.user.id), day(n))


def subject(document: dict[str, Any], n: int = 0) -> dict[str, Any]:
    found: dict[str, Any] = document["subjects"][n]
    return found


def test_unwell_days_count_neither_as_done_nor_missed(cast: Cast):
    # D0-D4 done, unwell D5-D8 (nothing logged), D9 and D10 done; today D10
    patient = Patient(cast, {})
    (key,) = patient.keys
    for n in (0, 1, 2, 3, 4, 9, 10):
        patient.log(n, key)
    before = patient.scores(10)
    patient.pause("unwell", 5, 8, now=5)
    paused = patient.scores(10)
    # without the pause: D5-D8 missed, so the streak is D9-D10 and the week is 3 of 7
    assert (subject(before)["current_streak"], subject(before)["best_streak"]) == (2, 5)
    assert before["percent_7_days"] == round(100 * 3 / 7, 1)
    # with it: seven due days in a row, all done; the week's due days are D4, D9 and D10
    assert (subject(paused)["current_streak"], subject(paused)["best_streak"]) == (7, 7)
    assert paused["percent_7_days"] == 100.0
    assert paused["percent_28_days"] == 100.0
    assert subject(paused)["strength"] == strength(7)  # frozen over the pause
    marked = {d["date"]: d["paused"] for d in paused["daily"] if d["paused"]}
    assert marked == {day(n).isoformat(): "unwell" for n in range(5, 9)}
    for d in paused["daily"]:
        if d["paused"]:
            assert (d["expected"], d["percent"]) == (0, None)


def test_today_shows_the_pause_and_nothing_due_while_unwell_or_away(cast: Cast):
    patient = Patient(cast, {"keep_in_flare": True, "minimum_dose": True})
    water = create_habit(db.session, patient.user, {"kind": "hydration", "name": "Water"}, at(0))
    db.session.commit()
    assert len(patient.today(3)["entries"]) == 2
    pause = patient.pause("away", 3, 4)
    shown = patient.today(3)
    assert shown["entries"] == [] and shown["paused_items"] == 1
    assert shown["pause"]["id"] == pause.id and shown["pause"]["active"]
    after = patient.today(5)  # the day after the pause: everything again, the pause is over
    assert {e["kind"] for e in after["entries"]} == {"item", "habit"}
    assert after["pause"] is None and after["paused_items"] == 0
    assert water.id in {e.get("habit_id") for e in after["entries"]}


def test_a_flare_up_keeps_only_the_gentle_items_due(cast: Cast):
    # A is kept during a flare-up, B is not; flare-up D3-D5; A done every day, B on D0-D2, D6
    patient = Patient(cast, {"keep_in_flare": True}, {})
    gentle, other = patient.keys
    for n in range(7):
        patient.log(n, gentle)
    for n in (0, 1, 2, 6):
        patient.log(n, other)
    patient.pause("flare_up", 3, 5, now=3)
    flare = patient.today(4)
    assert [e["item_key"] for e in flare["entries"]] == [gentle]
    assert flare["paused_items"] == 1 and flare["pause"]["mode"] == "flare_up"
    scores = patient.scores(6)
    # expected: A 7 days + B 4 days = 11 sessions, all done
    assert scores["percent_7_days"] == 100.0
    by_key = {s["id"]: s for s in scores["subjects"]}
    assert (by_key[gentle]["current_streak"], by_key[other]["current_streak"]) == (7, 4)
    assert by_key[other]["strength"] == strength(4)


def test_a_busy_week_keeps_only_the_minimum_dose(cast: Cast):
    patient = Patient(cast, {"minimum_dose": True}, {"keep_in_flare": True})
    minimum, other = patient.keys
    patient.pause("busy", 0, 6)
    assert [e["item_key"] for e in patient.today(2)["entries"]] == [minimum]
    patient.log(2, minimum)
    scores = patient.scores(2)
    # the week so far: the minimum dose on D0-D2, one of three done (today counts once logged)
    assert scores["percent_7_days"] == round(100 * 1 / 3, 1)
    assert {s["id"]: s["current_streak"] for s in scores["subjects"]} == {minimum: 1, other: 0}


def test_a_weekly_habit_is_judged_only_if_a_paused_week_met_its_target(cast: Cast):
    patient = Patient(cast, {})
    walk = create_habit(
        db.session,
        patient.user,
        {"kind": "movement", "name": "Walk", "per_week": 3, "start_date": D0},
        at(0),
    )
    db.session.commit()
    # week 1 (D0-D6) done three times; week 2 away Mon-Fri and done once; week 3 done three
    for n in (0, 2, 4, 12, 14, 15, 16):
        patient.log(n, habit_id=walk.id)
    never = patient.scores(21)
    patient.pause("away", 7, 11, now=7)
    paused = patient.scores(21)
    habit = next(s for s in never["subjects"] if s["kind"] == "habit")
    held = next(s for s in paused["subjects"] if s["kind"] == "habit")
    assert (habit["current_streak"], habit["best_streak"]) == (1, 1)  # week 2 broke it
    assert (held["current_streak"], held["best_streak"]) == (2, 2)  # week 2 waits
    pace = 0.5 ** (7 * (3 / 7) ** 0.5 / 13)  # a weekly subject's multiplier
    assert held["strength"] == round((1 - pace**2) * 100, 1)
    assert held["percent_28_days"] == 100.0  # 6 of 6 (week 2 left out)


def test_saying_it_is_over_makes_everything_due_from_today(cast: Cast):
    patient = Patient(cast, {})
    pause = patient.pause("flare_up", 1, None)  # until the patient says it is over
    assert patient.today(4)["entries"] == []
    end_pause(db.session, db.session.get_one(User, patient.user.id), pause.id, at(4))
    db.session.commit()
    assert (pause.first_day, pause.last_day) == (day(1), day(3))
    assert len(patient.today(4)["entries"]) == 1
    # saying it again changes nothing
    end_pause(db.session, db.session.get_one(User, patient.user.id), pause.id, at(5))
    db.session.commit()
    assert pause.last_day == day(3)


def test_a_new_pause_ends_the_one_before_and_a_planned_one_is_dropped(cast: Cast):
    patient = Patient(cast, {})
    first = patient.pause("busy", 0, None)
    planned = patient.pause("away", 10, 12, now=1)
    now = patient.pause("unwell", 3, None)
    assert (first.first_day, first.last_day) == (day(0), day(2))
    assert planned.last_day is not None and planned.last_day < planned.first_day  # dropped
    assert now.last_day is None
    modes = [patient.today(n).get("pause", {}) or {} for n in (1, 4, 11)]
    assert [m.get("mode") for m in modes] == ["busy", "unwell", "unwell"]


def test_reminders_record_paused_while_unwell_and_for_items_a_flare_up_leaves_out(
    app: Flask, cast: Cast
):
    patient = Patient(cast, {"keep_in_flare": True}, {})
    gentle, other = patient.keys
    rule = {"rule": times_rule("09:00")}
    whole = {"kind": "program", "program_id": patient.program.id}
    for target in (whole, whole | {"item_keys": [other]}, {"kind": "none"}):
        create_reminder(db.session, patient.user, rule | {"target": target}, at(0, 6))
    db.session.commit()
    settings = dispatch_settings(app)
    patient.pause("flare_up", 1, 1, now=0)
    patient.pause("unwell", 2, 2, now=0)
    got: list[list[str]] = []
    for n in (0, 1, 2, 3):
        tick(app, at(n, 9), settings)
        got.append(sorted(outcomes()[3 * n :]))
    # no push subscription: a reminder that would go says no_subscription
    assert got == [
        ["no_subscription"] * 3,
        ["no_subscription", "no_subscription", "paused"],  # flare-up: only the other item
        ["paused", "paused", "paused"],  # unwell: nothing at all
        ["no_subscription"] * 3,
    ]
    assert gentle  # the whole program's reminder had the gentle item to remind of


def test_a_walk_carried_across_pauses_gives_what_a_walk_from_the_first_day_gives(cast: Cast):
    from tests.api.test_score_checkpoints import START, History
    from tests.api.test_score_checkpoints import at as noon

    history = History(cast)
    today = history.live_for(45)

    def pause(mode: str, first: dt.date, last: dt.date | None, now: dt.date) -> Pause:
        found = start_pause(
            db.session,
            db.session.get_one(User, history.patient.id),
            mode,
            noon(now),
            window_days=WINDOW,
            first_day=first,
            last_day=last,
        )
        db.session.commit()
        return found

    # a pause long before the checkpoint, and an open one that will span it
    pause("away", START + dt.timedelta(days=5), START + dt.timedelta(days=9), START)
    spanning = pause("flare_up", today - dt.timedelta(days=2), None, today)
    for _ in range(46):
        history.live(today)
        assert history.read(today) == history.from_first_day(today)
        today += dt.timedelta(days=1)
    # the checkpoint is past the open pause's first day: it spans it
    history.read(today)
    kept = history.checkpoint()
    assert kept is not None and spanning.first_day < kept.day
    fingerprint = kept.fingerprint
    # it is over: the days it covered before the checkpoint are the same, the walk carries on
    end_pause(db.session, history.patient, spanning.id, noon(today))
    db.session.commit()
    assert history.read(today) == history.from_first_day(today)
    assert history.checkpoint().fingerprint == fingerprint
    for _ in range(3):
        history.live(today)
        assert history.read(today) == history.from_first_day(today)
        today += dt.timedelta(days=1)
    # a pause back-dated before the checkpoint (a wide edit window) voids it
    fingerprint = history.checkpoint().fingerprint
    pause("unwell", START + dt.timedelta(days=20), START + dt.timedelta(days=22), today)
    assert history.read(today) == history.from_first_day(today)
    assert history.checkpoint().fingerprint != fingerprint
