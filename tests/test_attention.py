"""The attention reasons (hep.attention), each from a hand-computed history, with the
thresholds of the clinic and of the patient; one definition for the list's order, its
explanation and the alerts; acknowledgements that hold until something new happens."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from flask import Flask
from sqlalchemy import select

from hep import alerts, caseload
from hep.acknowledgements import acknowledge, reasons_now
from hep.care_rules import set_clinic_rules, set_patient_rules
from hep.checkins import put_check_in, put_pain
from hep.clinics import clinics_of
from hep.db import db
from hep.models import (
    AdherenceSnapshot,
    AttentionAlert,
    Exercise,
    NotificationSettings,
    PushSubscription,
    Role,
    User,
)
from hep.pauses import start_pause
from hep.programs import prescribe, view
from hep.reminders.rules import create_reminder
from tests.conftest import Cast
from tests.reminders.test_decisions import times_rule

NOW = dt.datetime(2026, 3, 12, 15, 0, tzinfo=dt.UTC)  # a Thursday
TODAY = NOW.date()
WINDOW = 60


def ago(days: int, hours: int = 0) -> dt.datetime:
    return NOW - dt.timedelta(days=days, hours=hours)


class Case:
    """A therapist's patient with a daily program of two exercises since three weeks ago,
    done every day (so no other reason holds) unless a test logs otherwise."""

    def __init__(self, cast: Cast, name: str = "Pat", therapist: User | None = None) -> None:
        self.therapist = therapist or cast.user(Role.THERAPIST)
        self.patient = cast.user(Role.PATIENT, name)
        cast.link(self.therapist, self.patient)
        exercises = db.session.scalars(select(Exercise.id).order_by(Exercise.name).limit(2)).all()
        self.program = prescribe(
            db.session,
            self.therapist,
            self.patient.id,
            {
                "title": "Daily",
                "start_date": TODAY - dt.timedelta(days=21),
                "items": [{"exercise_id": e, "times_per_day": 1} for e in exercises],
            },
            ago(21),
        )
        self.keys = [i.item_key for i, _ in view(db.session, self.program).items]
        db.session.commit()
        self.logged: set[tuple[uuid.UUID, int]] = set()

    def log(self, days_ago: int, key: int = 0, *, at: dt.datetime | None = None, **body: Any):
        """A session of exercise `key` (0 or 1), `days_ago` days before today."""
        self.logged.add((self.keys[key], days_ago))
        put_check_in(
            db.session,
            self.patient,
            uuid.uuid4(),
            {
                "item_key": self.keys[key],
                "local_date": TODAY - dt.timedelta(days=days_ago),
                "state": "done",
            }
            | body,
            now=at or ago(days_ago, 3) + dt.timedelta(seconds=len(self.logged)),
            window_days=WINDOW,
        )
        db.session.commit()

    def fill(self) -> None:
        """Every other session of the last three weeks done, painless."""
        for key in range(2):
            for days_ago in range(22):
                if (self.keys[key], days_ago) not in self.logged:
                    self.log(days_ago, key)

    def reasons(self, now: dt.datetime = NOW) -> dict[str, bool]:
        """reason -> acknowledged, as the therapist's panel reads them."""
        found = reasons_now(db.session, self.patient, now)
        db.session.commit()
        return {r["reason"]: r["acknowledged"] for r in found}

    def since(self, column: str) -> dt.datetime | None:
        db.session.expire_all()
        found: dt.datetime | None = getattr(
            db.session.get(AdherenceSnapshot, self.patient.id), column
        )
        return found


def test_a_patient_doing_everything_painlessly_needs_no_attention(cast: Cast):
    case = Case(cast)
    case.fill()
    assert case.reasons() == {}


def test_high_pain_in_a_check_in_or_the_diary_at_or_above_the_threshold(cast: Cast):
    case = Case(cast)
    case.log(8, pain=9)  # more than a week ago: out of the window
    case.log(2, pain=6)
    case.fill()
    assert case.reasons() == {}
    put_pain(db.session, case.patient, TODAY, {"score": 7}, now=ago(0, 1), window_days=WINDOW)
    db.session.commit()
    assert case.reasons() == {"high pain": False}
    assert case.since("high_pain_since") == ago(0, 1)
    # the patient's own threshold (set by the team) says 6 is high too; the clinic's says 8
    clinic = clinics_of(db.session, case.therapist)[0][0]
    set_clinic_rules(db.session, case.therapist, clinic.id, {"high_pain": 8}, "", NOW)
    db.session.commit()
    assert case.reasons() == {}
    set_patient_rules(
        db.session,
        case.therapist,
        case.patient.id,
        {"thresholds": {"high_pain": 6}, "auto_progress": False, "auto_regress": False},
        NOW,
    )
    db.session.commit()
    assert case.reasons() == {"high pain": False}
    assert case.since("high_pain_since") == ago(0, 1)  # the latest entry at or above 6


def test_pain_during_one_exercise_rising_over_its_last_sessions(cast: Cast):
    case = Case(cast)
    for days_ago, pain in ((4, 2), (3, 3), (2, 3)):  # up by 1 only: not enough
        case.log(days_ago, pain=pain)
    case.fill()
    assert case.reasons() == {}
    case.log(1, pain=4)  # the last three: 3, 3, 4: up by 1
    assert case.reasons() == {}
    case.log(0, pain=5)  # 3, 4, 5: never lower, up by 2
    assert case.reasons() == {"exercise pain rising": False}
    rising = case.since("exercise_pain_since")
    case.log(0, 1, pain=5)  # the other exercise's one session proves nothing
    assert case.reasons() == {"exercise pain rising": False}
    assert case.since("exercise_pain_since") == rising


def test_a_dip_breaks_the_rise_and_the_clinic_can_ask_for_less(cast: Cast):
    case = Case(cast)
    for days_ago, pain in ((2, 2), (1, 4), (0, 3)):  # 2, 4, 3: not never lower
        case.log(days_ago, pain=pain)
    case.fill()
    assert case.reasons() == {}
    clinic = clinics_of(db.session, case.therapist)[0][0]
    set_clinic_rules(
        db.session, case.therapist, clinic.id, {"rising_sessions": 2, "rising_points": 1}, "", NOW
    )
    db.session.commit()
    assert case.reasons() == {}  # the last two: 4, 3
    case.log(0, pain=4)  # a second session today: 3, 4
    assert case.reasons() == {"exercise pain rising": False}


def test_too_hard_on_repeated_sessions_of_one_exercise(cast: Cast):
    case = Case(cast)
    case.log(3, difficulty=5)
    case.log(2, difficulty=3)
    case.log(1, difficulty=3)
    case.fill()
    assert case.reasons() == {}  # once in the last three rated
    case.log(0, difficulty=5)
    assert case.reasons() == {}  # the last three: 3, 3, 5
    case.log(0, 1, difficulty=5)  # another exercise: still once each
    assert case.reasons() == {}
    case.log(0, difficulty=5, at=NOW - dt.timedelta(minutes=1))  # 3, 5, 5
    assert case.reasons() == {"too hard": False}


def test_repeated_skips_for_pain(cast: Cast):
    case = Case(cast)
    case.log(9, state="skipped", skip_reason="pain")  # out of the week
    case.log(3, state="skipped", skip_reason="no_time")
    case.log(2, state="skipped", skip_reason="pain")
    case.fill()
    reasons = case.reasons()
    assert "skipping for pain" not in reasons
    case.log(1, 1, state="skipped", skip_reason="pain")
    assert "skipping for pain" in case.reasons()


def test_a_patient_reminders_cannot_reach(app: Flask, cast: Cast):
    case = Case(cast)
    case.fill()
    assert case.reasons() == {}  # no reminders: nothing to reach them with
    create_reminder(db.session, case.patient, {"rule": times_rule("08:00")}, NOW)
    db.session.commit()
    assert case.reasons() == {"cannot get reminders": False}
    began = case.since("unreachable_since")
    assert began == NOW
    case.log(0, 1)  # a write: recomputed an hour later, it still holds since then
    assert case.reasons(NOW + dt.timedelta(hours=1)) == {"cannot get reminders": False}
    assert case.since("unreachable_since") == began
    subscription = PushSubscription(
        user_id=case.patient.id,
        endpoint=f"https://fcm.googleapis.com/{uuid.uuid4().hex}",
        p256dh="k",
        auth="a",
        created_at=NOW,
    )
    db.session.add(subscription)
    db.session.commit()
    assert case.reasons() == {}
    db.session.delete(subscription)
    db.session.commit()
    assert case.reasons() == {"cannot get reminders": False}
    # a confirmed address that gets email reminders reaches them too
    patient = db.session.get_one(User, case.patient.id)
    patient.email_verified_at = NOW
    db.session.commit()
    assert case.reasons() == {"cannot get reminders": False}  # confirmed, not chosen
    db.session.get_one(NotificationSettings, patient.id).email_reminders = "fallback"
    db.session.commit()
    assert case.reasons() == {}


def test_a_flare_up_asks_for_a_look(cast: Cast):
    case = Case(cast)
    case.fill()
    pause = start_pause(db.session, case.patient, "flare_up", ago(0, 2), window_days=WINDOW)
    db.session.commit()
    assert case.reasons() == {"flare-up": False}
    assert case.since("flare_up_since") == pause.started_at
    start_pause(db.session, case.patient, "away", ago(0, 1), window_days=WINDOW)
    db.session.commit()
    assert case.reasons() == {}


def test_not_logging_begins_three_days_after_the_last_check_in(cast: Cast):
    case = Case(cast)
    case.log(3, at=ago(3, 1))
    assert "not logging" in case.reasons()
    assert case.since("not_logging_since") == ago(0, 1)
    later = Case(cast, "Later")
    last = ago(3) + dt.timedelta(hours=2)
    later.log(3, at=last)
    assert "not logging" not in later.reasons()
    db.session.expire_all()
    # the snapshot goes stale when the patient turns quiet, not at the next midnight
    snapshot = db.session.get_one(AdherenceSnapshot, later.patient.id)
    assert snapshot.valid_until == last + dt.timedelta(days=3) == NOW + dt.timedelta(hours=2)
    assert "not logging" in later.reasons(NOW + dt.timedelta(hours=2, minutes=1))


def test_acknowledged_reasons_leave_the_top_until_something_new_happens(cast: Cast):
    therapist = cast.user(Role.THERAPIST)
    hurting = Case(cast, "Ann Hurting", therapist)
    skipping = Case(cast, "Zed Skipping", therapist)
    hurting.log(1, pain=8)
    hurting.fill()
    for days_ago in (1, 2):
        skipping.log(days_ago, 1, state="skipped", skip_reason="pain")
    skipping.fill()
    hurting.log(0, 1, difficulty=5)
    hurting.log(0, difficulty=5, at=NOW - dt.timedelta(hours=2))

    def page(now: dt.datetime = NOW) -> list[tuple[str, list[str], list[str]]]:
        rows = caseload.patient_list(db.session, therapist, now, offset=0, limit=10)
        db.session.commit()
        return [(r["name"], r["attention"], r["acknowledged"]) for r in rows]

    assert page() == [
        ("Ann Hurting", ["high pain"], []),
        ("Zed Skipping", ["skipping for pain"], []),
    ]
    hurting.log(1, 1, difficulty=5)  # too hard too: two reasons
    assert page()[0] == ("Ann Hurting", ["high pain", "too hard"], [])
    note = acknowledge(db.session, therapist, hurting.patient.id, "Called, eased it", NOW)
    db.session.commit()
    assert note.reasons == ["high pain", "too hard"]
    # acknowledged: below the patient with one open reason, the reasons still shown as such
    assert page() == [
        ("Zed Skipping", ["skipping for pain"], []),
        ("Ann Hurting", [], ["high pain", "too hard"]),
    ]
    later = NOW + dt.timedelta(hours=1)
    put_pain(db.session, hurting.patient, TODAY, {"score": 9}, now=later, window_days=WINDOW)
    db.session.commit()
    # something new: the new entry opens high pain again; too hard stays acknowledged
    assert page(later)[0] == ("Ann Hurting", ["high pain"], ["too hard"])


def test_the_order_and_the_reasons_shown_come_from_the_same_sql(cast: Cast):
    therapist = cast.user(Role.THERAPIST)
    cases = [Case(cast, f"P{n}", therapist) for n in range(4)]
    cases[0].log(0, pain=9)
    cases[1].log(0, pain=9)
    cases[1].log(0, difficulty=5)
    cases[1].log(1, difficulty=5)
    for case in cases[2:]:
        case.fill()
    rows = caseload.patient_list(db.session, therapist, NOW, offset=0, limit=10)
    opened = [len(r["attention"]) for r in rows]
    assert opened == sorted(opened, reverse=True) and opened[0] >= 3
    for r in rows:
        found = reasons_now(db.session, db.session.get_one(User, r["id"]), NOW)
        assert sorted(x["reason"] for x in found) == sorted(r["attention"] + r["acknowledged"])


def test_alerts_open_for_told_reasons_close_when_acknowledged_and_reopen_on_news(
    app: Flask, cast: Cast
):
    case = Case(cast)
    case.fill()
    put_pain(db.session, case.patient, TODAY, {"score": 8}, now=ago(0, 1), window_days=WINDOW)
    db.session.commit()
    case.reasons()  # the snapshot, as the scheduler keeps it fresh

    def open_alerts() -> list[str]:
        db.session.expire_all()
        return list(
            db.session.scalars(
                select(AttentionAlert.reason).where(AttentionAlert.cleared_at.is_(None))
            )
        )

    assert [a.reason for a in alerts.note_alerts(db.session, NOW)] == ["high pain"]
    assert alerts.note_alerts(db.session, NOW) == []  # once while it stays open
    db.session.commit()
    acknowledge(db.session, case.therapist, case.patient.id, "", NOW)
    db.session.commit()
    case.reasons()
    alerts.note_alerts(db.session, NOW)
    db.session.commit()
    assert open_alerts() == []
    later = NOW + dt.timedelta(minutes=30)
    put_pain(db.session, case.patient, TODAY, {"score": 9}, now=later, window_days=WINDOW)
    db.session.commit()
    case.reasons(later)
    assert [a.reason for a in alerts.note_alerts(db.session, later)] == ["high pain"]
