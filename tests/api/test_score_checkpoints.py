"""Strength and streaks look at the whole history, but a recompute walks only from a weekly
checkpoint (hep.adherence.score_all). A carried walk must give exactly what a walk from the
first day gives, and whatever it cannot see (a back-dated check-in, a changed prescription)
must void it."""

from __future__ import annotations

import datetime as dt
import random
import uuid
from typing import Any

import pytest
from sqlalchemy import delete, func, select, update

import hep.adherence as adherence_module
from hep.adherence import adherence, checkpoint_day
from hep.checkins import put_check_in
from hep.db import db, upsert
from hep.habits import create_habit, update_habit
from hep.models import AdherenceSnapshot, Exercise, Role, ScoreCheckpoint, User
from hep.programs import prescribe, revise, view
from tests.conftest import PASSWORD, Cast

START = dt.date(2026, 1, 5)  # a Monday
WINDOW = 10_000  # these tests write history directly, whatever its age


def at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC)


class History:
    """A patient with a twice-daily item, a Mon/Wed/Fri item, a numeric habit and a 3-a-week
    habit, logged day by day from seeded random choices: done, partial, skipped, missed."""

    def __init__(self, cast: Cast) -> None:
        self.therapist = cast.user(Role.THERAPIST)
        self.patient = cast.user(Role.PATIENT)
        cast.link(self.therapist, self.patient)
        ex = db.session.scalars(select(Exercise.id).order_by(Exercise.name).limit(2)).all()
        self.items = [
            {"exercise_id": ex[0], "times_per_day": 2},
            {"exercise_id": ex[1], "weekdays": 0b0010101},
        ]
        self.program = prescribe(
            db.session,
            self.therapist,
            self.patient.id,
            {"title": "Neck", "start_date": START, "items": self.items},
            at(START),
        )
        self.keys = [item.item_key for item, _ in view(db.session, self.program).items]
        water = {"kind": "hydration", "name": "Water", "target": 8, "direction": "at_least"}
        walk = {"kind": "movement", "name": "Walk", "per_week": 3}
        self.water = create_habit(
            db.session, self.patient, water | {"start_date": START}, at(START)
        )
        self.walk = create_habit(db.session, self.patient, walk | {"start_date": START}, at(START))
        db.session.commit()
        self.rng = random.Random(7)

    def log(
        self,
        day: dt.date,
        client_id: uuid.UUID | None = None,
        now: dt.datetime | None = None,
        **body: Any,
    ) -> None:
        put_check_in(
            db.session,
            self.patient,
            client_id or uuid.uuid4(),
            {"local_date": day, "state": "done"} | body,
            now=now or at(day),
            window_days=WINDOW,
        )

    def live_for(self, days: int) -> dt.date:
        """`days` days lived from START; returns the day after them."""
        for offset in range(days):
            self.live(START + dt.timedelta(days=offset))
        return START + dt.timedelta(days=days)

    def live(self, day: dt.date) -> None:
        """One day as a patient might log it (or not)."""
        rng = self.rng
        for key in self.keys:
            for _ in range(2):
                roll = rng.random()
                if roll < 0.55:
                    self.log(day, item_key=key)
                elif roll < 0.65:
                    self.log(day, item_key=key, state="partial")
                elif roll < 0.7:
                    self.log(day, item_key=key, state="skipped", skip_reason="sore")
        if rng.random() < 0.8:
            self.log(day, habit_id=self.water.id, value=rng.randint(3, 10))
        if rng.random() < 0.45:
            self.log(day, habit_id=self.walk.id)
        db.session.commit()

    def checkpoint(self) -> ScoreCheckpoint | None:
        db.session.expire_all()
        return db.session.get(ScoreCheckpoint, self.patient.id)

    def read(self, today: dt.date) -> dict[str, Any]:
        """Adherence as served: from the checkpoint when there is a valid one."""
        document = adherence(db.session, self.patient, today)
        db.session.commit()
        return document

    def from_first_day(self, today: dt.date) -> dict[str, Any]:
        """Adherence walked from the first day, leaving the stored checkpoint as it was."""
        kept = self.checkpoint()
        row = None
        if kept is not None:
            row = {c: getattr(kept, c) for c in ("patient_id", "day", "fingerprint", "walks")}
        mine = ScoreCheckpoint.patient_id == self.patient.id
        db.session.execute(delete(ScoreCheckpoint).where(mine))
        document = adherence(db.session, self.patient, today)
        db.session.execute(delete(ScoreCheckpoint).where(mine))
        if row is not None:
            upsert(db.session, ScoreCheckpoint, [row])
        db.session.commit()
        return document


def test_a_carried_walk_gives_exactly_what_a_walk_from_the_first_day_gives(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
):
    history = History(cast)
    read_from: list[dt.date] = []
    load_logs = adherence_module.load_logs

    def spy(session: Any, ids: Any, start: dt.date, end: dt.date) -> Any:
        read_from.append(start)
        return load_logs(session, ids, start, end)

    monkeypatch.setattr(adherence_module, "load_logs", spy)
    day = START
    while day < START + dt.timedelta(days=70):
        history.live(day)
        day += dt.timedelta(days=1)
    first = history.read(day)
    assert history.checkpoint().day == checkpoint_day(day)
    days_read = 0
    while day < START + dt.timedelta(days=130):
        history.live(day)
        # a correction of two days ago, as the edit window allows
        history.log(day - dt.timedelta(days=2), habit_id=history.walk.id)
        before = history.checkpoint()
        assert before is not None
        carried = history.read(day)
        assert read_from[-1] == before.day  # carried: only the weeks since were read
        assert history.checkpoint().day == checkpoint_day(day)  # moved up when a week passed
        assert carried == history.from_first_day(day)
        days_read += 1
        day += dt.timedelta(days=1)
    assert days_read == 60
    # the history is varied enough to mean something: streaks, strengths and misses all differ
    subjects = carried["subjects"]
    assert len({s["strength"] for s in subjects}) == 4 and first != carried
    assert any(s["best_streak"] > s["current_streak"] for s in subjects)


def test_the_walk_starts_from_the_checkpoint_it_finds(cast: Cast):
    history = History(cast)
    today = history.live_for(60)
    honest = history.read(today)
    checkpoint = history.checkpoint()
    assert checkpoint is not None
    # a checkpoint saying every walk stood at full strength on a long streak...
    forged = {key: [1.0, 40, 40] for key in checkpoint.walks}
    checkpoint.walks = forged
    db.session.commit()
    lifted = history.read(today)
    # ... is carried: the scores differ, so the stored walk is what a recompute starts from
    assert [s["best_streak"] for s in lifted["subjects"]] != [
        s["best_streak"] for s in honest["subjects"]
    ]
    assert all(s["best_streak"] >= 40 for s in lifted["subjects"])


def test_a_check_in_written_before_the_checkpoint_voids_it(cast: Cast):
    history = History(cast)
    today = history.live_for(80)
    history.read(today)
    mark = history.checkpoint().day

    # on or after the checkpoint day: the walk before it is unchanged, so it stays
    history.log(mark, habit_id=history.walk.id)
    db.session.commit()
    assert history.checkpoint() is not None

    # before it (an operator's wider edit window, or a clock set back): it goes
    history.log(mark - dt.timedelta(days=3), item_key=history.keys[0], state="partial")
    db.session.commit()
    assert history.checkpoint() is None
    assert history.read(today) == history.from_first_day(today)

    # deleting a back-dated check-in voids it too
    from hep.checkins import delete_check_in

    old = uuid.uuid4()
    history.log(mark - dt.timedelta(days=9), old, at(today), habit_id=history.water.id)
    db.session.commit()
    history.read(today)
    assert history.checkpoint() is not None
    delete_check_in(db.session, history.patient, old, now=at(today), window_days=WINDOW)
    db.session.commit()
    assert history.checkpoint() is None
    assert history.read(today) == history.from_first_day(today)


def test_a_write_landing_during_the_walk_leaves_no_checkpoint(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
):
    history = History(cast)
    today = history.live_for(50)
    load_logs = adherence_module.load_logs

    def racing(session: Any, ids: Any, start: dt.date, end: dt.date) -> Any:
        # another request's write commits after the version was read, before the logs are
        session.execute(
            update(User)
            .where(User.id == history.patient.id)
            .values(stats_version=User.stats_version + 1)
        )
        return load_logs(session, ids, start, end)

    monkeypatch.setattr(adherence_module, "load_logs", racing)
    history.read(today)
    assert history.checkpoint() is None
    monkeypatch.setattr(adherence_module, "load_logs", load_logs)
    history.read(today)
    assert history.checkpoint() is not None


def test_a_changed_prescription_walks_from_the_first_day_again(cast: Cast):
    history = History(cast)
    today = history.live_for(75)
    history.read(today)
    before = history.checkpoint().fingerprint

    # a new program version (the pace of strength follows the latest weekdays)
    items = [
        {"item_key": history.keys[0], "exercise_id": history.items[0]["exercise_id"]},
        {
            "item_key": history.keys[1],
            "exercise_id": history.items[1]["exercise_id"],
            "weekdays": 0b0001010,
        },
    ]
    revise(db.session, history.therapist, history.program.id, {"items": items}, at(today))
    db.session.commit()
    revised = history.read(today)
    assert history.checkpoint().fingerprint != before
    assert revised == history.from_first_day(today)

    # a habit's target, which changes how every past day of it is judged
    update_habit(db.session, history.patient, history.water.id, {"target": 5})
    db.session.commit()
    retargeted = history.read(today)
    assert retargeted == history.from_first_day(today)
    water = next(s for s in retargeted["subjects"] if s["name"] == "Water")
    assert water != next(s for s in revised["subjects"] if s["name"] == "Water")

    # the patient's timezone, which moves the local day each version took effect
    patient = db.session.get_one(User, history.patient.id)
    patient.timezone = "Pacific/Kiritimati"
    db.session.commit()
    assert history.read(today) == history.from_first_day(today)


def test_best_streaks_older_than_a_year_are_kept(cast: Cast):
    therapist, patient = cast.user(Role.THERAPIST), cast.user(Role.PATIENT)
    cast.link(therapist, patient)
    long_ago = START - dt.timedelta(days=500)
    habit = create_habit(
        db.session,
        patient,
        {"kind": "stress", "name": "Downtime", "start_date": long_ago},
        at(long_ago),
    )
    for offset in range(20):
        put_check_in(
            db.session,
            patient,
            uuid.uuid4(),
            {
                "habit_id": habit.id,
                "local_date": long_ago + dt.timedelta(days=offset),
                "state": "done",
            },
            now=at(long_ago + dt.timedelta(days=30)),
            window_days=WINDOW,
        )
    db.session.commit()
    document = adherence(db.session, patient, START)
    (downtime,) = document["subjects"]
    assert (downtime["best_streak"], downtime["current_streak"]) == (20, 0)


def test_deleting_the_account_removes_its_checkpoint(cast: Cast):
    history = History(cast)
    history.live_for(40)
    phone = cast.client(history.patient)
    assert phone.get("/api/adherence").status_code == 200
    owned = ScoreCheckpoint.patient_id == history.patient.id
    assert db.session.scalar(select(func.count()).select_from(ScoreCheckpoint).where(owned)) == 1
    assert phone.delete("/api/me", json={"password": PASSWORD}).status_code == 204
    db.session.rollback()
    for model in (ScoreCheckpoint, AdherenceSnapshot):
        rows = select(func.count()).select_from(model).where(model.patient_id == history.patient.id)
        assert db.session.scalar(rows) == 0
