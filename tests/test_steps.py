"""Progression and regression (hep.steps, hep.progressions) from hand-computed histories:
proposed when the criteria hold and not otherwise, never twice while one is open, only on
newer evidence after a decision, applied as a new version (by a tap, or by hep where the
therapist allows it), superseded by a change of the program."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import select

from hep import caseload
from hep.care_rules import set_patient_rules
from hep.checkins import put_check_in
from hep.db import db
from hep.models import Exercise, Program, ProgramVersion, Role, StepProposal, User
from hep.programs import prescribe, revise, view
from hep.progressions import run
from hep.steps import apply_proposal, dismiss_proposal
from tests.conftest import Cast

NOW = dt.datetime(2026, 4, 20, 18, 0, tzinfo=dt.UTC)
TODAY = NOW.date()
WINDOW = 60


def ago(days: int) -> dt.datetime:
    return NOW - dt.timedelta(days=days, hours=6)


class Case:
    """A patient 20 days into a daily program of one exercise (10 reps) whose next step is
    15 reps and whose previous step is another exercise."""

    def __init__(self, cast: Cast, started: int = 20, **care: Any) -> None:
        self.therapist = cast.user(Role.THERAPIST, "Dr Step")
        self.patient = cast.user(Role.PATIENT)
        cast.link(self.therapist, self.patient)
        self.exercise, self.easier = db.session.scalars(
            select(Exercise).order_by(Exercise.name).limit(2)
        ).all()
        item = {
            "exercise_id": self.exercise.id,
            "times_per_day": 1,
            "sets": 1,
            "reps": 10,
            "next_step": {"reps": 15},
            "previous_step": {"exercise_id": self.easier.id},
        } | care
        self.program = prescribe(
            db.session,
            self.therapist,
            self.patient.id,
            {"title": "Neck", "start_date": TODAY - dt.timedelta(days=started), "items": [item]},
            ago(started),
        )
        db.session.commit()
        self.key = view(db.session, self.program).items[0][0].item_key

    def log(self, days_ago: int, state: str = "done", **body: Any) -> None:
        put_check_in(
            db.session,
            self.patient,
            uuid.uuid4(),
            {
                "item_key": self.key,
                "local_date": TODAY - dt.timedelta(days=days_ago),
                "state": state,
            }
            | body,
            now=ago(days_ago),
            window_days=WINDOW,
        )
        db.session.commit()

    def run(self, now: dt.datetime = NOW) -> list[StepProposal]:
        run(db.session, now)
        db.session.expire_all()
        return list(db.session.scalars(select(StepProposal).order_by(StepProposal.created_at)))

    def current(self) -> Any:
        program = db.session.get_one(Program, self.program.id)
        return view(db.session, program)


def test_two_weeks_of_the_full_dose_with_little_pain_propose_the_next_step(cast: Cast):
    case = Case(cast)
    for days_ago in range(14):
        case.log(days_ago, pain=2 if days_ago % 2 else 1, difficulty=3)
    (proposal,) = case.run()
    assert (proposal.direction, proposal.status, proposal.step) == (
        "progress",
        "open",
        {"exercise_id": None, "reps": 15},
    )
    assert proposal.evidence["percent"] == 100.0
    assert len(proposal.evidence["sessions"]) == 14
    assert proposal.words.endswith(f"move on to {case.exercise.name} (15 times).")
    assert case.run() == [proposal]  # no repeat while it is open
    rows = caseload.patient_list(db.session, case.therapist, NOW, offset=0, limit=5)
    assert "ready to progress" in rows[0]["attention"]
    apply_proposal(db.session, proposal, case.therapist, NOW)
    db.session.commit()
    current = case.current()
    item = current.items[0][0]
    assert (current.version.version, item.reps, item.item_key) == (2, 15, case.key)
    assert item.next_step is None
    assert item.previous_step == {
        "exercise_id": str(case.exercise.id),
        "sets": 1,
        "reps": 10,
        "hold_seconds": case.exercise.hold_seconds,
        "duration_seconds": case.exercise.duration_seconds,
        "times_per_day": 1,
        "load_note": "",
    }
    assert current.version.change_note == "Moved on a step"
    assert (proposal.applied_version, proposal.decided_by_name) == (2, "Dr Step")
    # applying again (a second tap) makes no other version
    apply_proposal(db.session, proposal, case.therapist, NOW)
    db.session.commit()
    assert case.current().version.version == 2


def test_no_progression_with_pain_difficulty_a_short_history_or_too_little_done(cast: Cast):
    sore = Case(cast)
    hard = Case(cast)
    short = Case(cast, started=10)
    lax = Case(cast)
    for days_ago in range(14):
        sore.log(days_ago, pain=4 if days_ago == 5 else 1)
        hard.log(days_ago, difficulty=4 if days_ago == 9 else 2)
        if days_ago <= 10:
            short.log(days_ago, pain=0)
        if days_ago not in (3, 8, 11):  # 11 of 14: 78.6%
            lax.log(days_ago, pain=0)
    assert sore.run() == []
    lax.log(3, state="partial")  # half a session more: 82.1%
    (proposal,) = lax.run()
    assert proposal.patient_id == lax.patient.id and proposal.evidence["percent"] == 82.1


def test_pain_on_two_of_the_last_three_sessions_proposes_the_step_back(cast: Cast):
    case = Case(cast)
    for days_ago, pain in ((5, 2), (3, 7), (2, 3), (1, 6)):
        case.log(days_ago, pain=pain)
    (proposal,) = case.run()
    assert proposal.direction == "regress"
    assert [s["pain"] for s in proposal.evidence["sessions"]] == [7, 3, 6]
    assert proposal.words == (
        f"{case.exercise.name}: pain was 7 and 6 out of 10 in 2 of the last 3 sessions, "
        f"so it steps back to {case.easier.name}."
    )
    rows = caseload.patient_list(db.session, case.therapist, NOW, offset=0, limit=5)
    assert "step back" in rows[0]["attention"]
    dismiss_proposal(db.session, case.therapist, proposal, "Pain from gardening", NOW)
    db.session.commit()
    later = NOW + dt.timedelta(days=1)
    assert case.run(later) == [proposal]  # the same sessions never propose it again
    for _ in range(2):  # two painful sessions after the decision
        put_check_in(
            db.session,
            case.patient,
            uuid.uuid4(),
            {"item_key": case.key, "local_date": TODAY + dt.timedelta(days=1), "state": "done"}
            | {"pain": 8},
            now=later,
            window_days=WINDOW,
        )
    db.session.commit()
    assert [p.direction for p in case.run(later)] == ["regress", "regress"]


def test_hep_steps_back_at_once_when_allowed_and_says_so(cast: Cast):
    case = Case(cast)
    set_patient_rules(
        db.session,
        case.therapist,
        case.patient.id,
        {"thresholds": {}, "auto_progress": False, "auto_regress": True},
        NOW,
    )
    db.session.commit()
    case.log(2, pain=9)
    case.log(1, pain=6)
    (proposal,) = case.run()
    assert (proposal.status, proposal.auto, proposal.decided_by_name) == ("applied", True, "hep")
    current = case.current()
    item = current.items[0][0]
    assert item.exercise_id == case.easier.id and item.reps == case.easier.reps
    assert item.next_step is not None and item.next_step["exercise_id"] == str(case.exercise.id)
    assert current.version.created_by is None and "by hep" in current.version.change_note
    rows = caseload.patient_list(db.session, case.therapist, NOW, offset=0, limit=5)
    assert "step back" in rows[0]["attention"]  # always reported


def test_a_program_changed_by_hand_supersedes_the_proposal(cast: Cast):
    case = Case(cast)
    for days_ago in range(3):
        case.log(days_ago, pain=8)
    (proposal,) = case.run()
    items = [
        {
            "item_key": case.key,
            "exercise_id": case.exercise.id,
            "reps": 6,
            "previous_step": {"exercise_id": case.easier.id},
        }
    ]
    revise(db.session, case.therapist, case.program.id, {"items": items}, NOW)
    db.session.commit()
    db.session.refresh(proposal)
    assert proposal.status == "superseded"
    assert apply_proposal(db.session, proposal, case.therapist, NOW).status == "superseded"
    db.session.commit()
    versions = db.session.scalars(
        select(ProgramVersion.version).where(ProgramVersion.program_id == case.program.id)
    ).all()
    assert sorted(versions) == [1, 2]
    assert db.session.get_one(User, case.patient.id)
