"""Working out step proposals (hep.steps): which program items have earned their next step
or need their previous one. The scheduler goes through every patient with steps in batches;
a check-in rating an exercise that has steps has its patient worked out at once."""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from hep.adherence import Subject, load_logs, load_subjects, percent, score_subject
from hep.db import insert_first
from hep.models import (
    CheckIn,
    Exercise,
    PatientCareRules,
    Program,
    ProgramItem,
    ProgramVersion,
    StepProposal,
    User,
)
from hep.steps import (
    StepRules,
    apply_proposal,
    dose_words,
    item_state,
    step_names,
    step_rules,
)
from hep.timezones import local_date

BATCH = 200

_HAS_STEPS = (ProgramItem.next_step.is_not(None)) | (ProgramItem.previous_step.is_not(None))
_CURRENT = (
    select(Program.patient_id)
    .join(
        ProgramVersion,
        (ProgramVersion.program_id == Program.id)
        & (ProgramVersion.version == Program.current_version),
    )
    .join(ProgramItem, ProgramItem.version_id == ProgramVersion.id)
    .where(Program.archived_at.is_(None), _HAS_STEPS)
)


def candidates(session: Session, after: uuid.UUID | None, limit: int) -> list[uuid.UUID]:
    """Patients with an item that has a step in a current program, by id, after `after`."""
    query = _CURRENT.distinct().order_by(Program.patient_id).limit(limit)
    if after is not None:
        query = query.where(Program.patient_id > after)
    return list(session.scalars(query))


@dataclass(frozen=True)
class Rated:
    """One rated session of an item."""

    day: dt.date
    state: str
    pain: int | None
    difficulty: int | None
    at: dt.datetime

    def shown(self) -> dict[str, Any]:
        return {
            "date": self.day.isoformat(),
            "state": self.state,
            "pain": self.pain,
            "difficulty": self.difficulty,
        }


@dataclass
class Found:
    """What a batch needs of one item in a current version."""

    program: Program
    item: ProgramItem
    name: str
    since: ProgramVersion  # the first version with its current exercise and dose

    def first_day(self, tz_name: str) -> dt.date:
        """The first day of its current exercise and dose (a version counts from the day it
        was made, or its start)."""
        made = self.since
        if made.version == 1:
            return made.start_date
        return max(made.start_date, local_date(made.created_at, tz_name))


def _load_items(session: Session, programs: Sequence[Program]) -> list[Found]:
    """The items with steps of these programs' current versions, and since when each has
    had its exercise and dose (an older version with the same counts): one query."""
    by_id = {p.id: p for p in programs}
    rows = session.execute(
        select(ProgramVersion, ProgramItem, Exercise.name)
        .join(ProgramItem, ProgramItem.version_id == ProgramVersion.id)
        .join(Exercise, Exercise.id == ProgramItem.exercise_id)
        .where(ProgramVersion.program_id.in_(list(by_id)))
        .order_by(ProgramVersion.program_id, ProgramVersion.version)
    ).all()
    history: dict[tuple[uuid.UUID, uuid.UUID], list[tuple[ProgramVersion, ProgramItem]]] = (
        defaultdict(list)
    )
    names = {}
    for version, item, name in rows:
        history[(version.program_id, item.item_key)].append((version, item))
        names[item.id] = name
    found = []
    for (program_id, _), versions in history.items():
        program = by_id[program_id]
        version, item = versions[-1]
        if version.version != program.current_version or not (item.next_step or item.previous_step):
            continue
        since = version
        for earlier, older in reversed(versions[:-1]):
            if earlier.version != since.version - 1 or item_state(older) != item_state(item):
                break
            since = earlier
        found.append(Found(program, item, names[item.id], since))
    return found


_SESSIONS = select(
    CheckIn.owner_id,
    CheckIn.item_key,
    CheckIn.local_date,
    CheckIn.state,
    CheckIn.pain,
    CheckIn.difficulty,
    CheckIn.created_at,
)


def evaluate(session: Session, patient_ids: Sequence[uuid.UUID], now: dt.datetime) -> Counter[str]:
    """Work out the proposals of these patients' items, applying them at once where the
    patient's therapist allowed it. Their programs are locked first, so racing evaluators
    (the scheduler, a check-in) and taps never both take a step. Flushes."""
    report: Counter[str] = Counter()
    programs = list(
        session.scalars(
            select(Program)
            .where(Program.patient_id.in_(list(patient_ids)), Program.archived_at.is_(None))
            .order_by(Program.id)
            .with_for_update(key_share=True)
        )
    )
    items = _load_items(session, programs) if programs else []
    if not items:
        return report
    patients = {p.id: p for p in session.scalars(select(User).where(User.id.in_(patient_ids)))}
    decided: dict[tuple[uuid.UUID, uuid.UUID], dt.datetime] = {}
    open_now: set[tuple[uuid.UUID, uuid.UUID]] = set()
    for program_id, key, status, decided_at in session.execute(
        select(
            StepProposal.program_id,
            StepProposal.item_key,
            StepProposal.status,
            StepProposal.decided_at,
        ).where(StepProposal.program_id.in_([p.id for p in programs]))
    ):
        if status == "open":
            open_now.add((program_id, key))
        elif decided_at is not None and status in ("applied", "dismissed"):
            decided[(program_id, key)] = max(decided.get((program_id, key), decided_at), decided_at)
    automatic = {
        row.patient_id: row
        for row in session.scalars(
            select(PatientCareRules).where(PatientCareRules.patient_id.in_(list(patients)))
        )
    }
    ids = list(patients)
    tz = {pid: patients[pid].timezone for pid in ids}
    subjects = load_subjects(session, ids, tz)
    today_of = {pid: local_date(now, tz[pid]) for pid in ids}
    longest = max(step_rules(f.item.step_rules).progress_days for f in items)
    start = min(today_of.values()) - dt.timedelta(days=longest)
    logs = load_logs(session, ids, start, max(today_of.values()))
    sessions: dict[tuple[uuid.UUID, uuid.UUID | None], list[Rated]] = defaultdict(list)
    for owner, item_key, day, state, pain, difficulty, at in session.execute(
        _SESSIONS.where(
            CheckIn.owner_id.in_(ids),
            CheckIn.item_key.in_([f.item.item_key for f in items]),
            CheckIn.local_date >= start,
            CheckIn.deleted_at.is_(None),
            CheckIn.state != "skipped",
        ).order_by(CheckIn.local_date, CheckIn.created_at)
    ):
        sessions[(owner, item_key)].append(Rated(day, state, pain, difficulty, at))
    names = step_names(session, [f.item for f in items])
    for found in items:
        program, item = found.program, found.item
        pair = (program.id, item.item_key)
        if pair in open_now:
            continue
        patient = patients[program.patient_id]
        subject = next(
            (
                s
                for s in subjects.get(patient.id, [])
                if s.id == item.item_key and s.program_id == program.id
            ),
            None,
        )
        today = today_of[patient.id]
        if subject is None or not subject.runs_on(today):
            continue  # its program has not started, or has ended
        last = decided.get(pair)
        since = found.first_day(patient.timezone)
        if last is not None:
            since = max(since, local_date(last, patient.timezone) + dt.timedelta(days=1))
        rated = [s for s in sessions.get((patient.id, item.item_key), []) if s.day >= since]
        if last is not None:
            rated = [s for s in rated if s.at > last]
        proposal = _propose(found, subject, rated, logs.get(patient.id, {}), since, today, names)
        if proposal is None:
            continue
        proposal.patient_id = patient.id
        proposal.created_at = now
        if not insert_first(session, proposal):
            continue
        report[proposal.direction] += 1
        settings = automatic.get(patient.id)
        allowed = settings is not None and (
            settings.auto_progress if proposal.direction == "progress" else settings.auto_regress
        )
        if allowed:
            apply_proposal(session, proposal, None, now)
            report[f"{proposal.direction} applied"] += 1
    session.flush()
    return report


def _propose(
    found: Found,
    subject: Subject,
    rated: Sequence[Rated],
    logs: Any,
    since: dt.date,
    today: dt.date,
    names: dict[str, str],
) -> StepProposal | None:
    item = found.item
    rules = step_rules(item.step_rules)
    if item.previous_step:
        scored = [s for s in rated if s.pain is not None][-rules.regress_window :]
        high = [s for s in scored if (s.pain or 0) >= rules.regress_pain]
        if len(high) >= rules.regress_sessions:
            told = " and ".join(str(s.pain) for s in high)
            back = _step_text(item.previous_step, found, names)
            if len(scored) == 1:
                where = "in the last session"
            elif len(high) == len(scored):
                where = f"in each of the last {len(scored)} sessions"
            else:
                where = f"in {len(high)} of the last {len(scored)} sessions"
            words = f"{found.name}: pain was {told} out of 10 {where}, so it steps back to {back}."
            return _made(found, "regress", item.previous_step, scored, words, rules, None)
    if item.next_step:
        first = today - dt.timedelta(days=rules.progress_days - 1)
        if first < since:
            return None
        window = [s for s in rated if s.day >= first]
        share = percent([score_subject(subject, logs, first, today)], first, today)
        if not window or share is None or share < rules.progress_share:
            return None
        pains = [s.pain for s in window if s.pain is not None]
        hard = [s.difficulty for s in window if s.difficulty is not None]
        if max(pains, default=0) > rules.progress_max_pain:
            return None
        if max(hard, default=0) > rules.progress_max_difficulty:
            return None
        words = (
            f"{found.name}: {share:g}% of the dose done over the last {rules.progress_days} "
            f"days, pain at most {max(pains, default=0)} out of 10 and never hard, so it can "
            f"move on to {_step_text(item.next_step, found, names)}."
        )
        return _made(found, "progress", item.next_step, window, words, rules, share)
    return None


def _step_text(step: dict[str, Any], found: Found, names: dict[str, str]) -> str:
    other = step.get("exercise_id")
    name = names.get(other, "another exercise") if other else found.name
    dose = dose_words(step)
    return f"{name} ({dose})" if dose else name


def _made(
    found: Found,
    direction: str,
    step: dict[str, Any],
    shown: Sequence[Rated],
    words: str,
    rules: StepRules,
    share: float | None,
) -> StepProposal:
    return StepProposal(
        program_id=found.program.id,
        item_key=found.item.item_key,
        direction=direction,
        status="open",
        from_version=found.program.current_version,
        step=step,
        evidence={
            "from": item_state(found.item),
            "exercise": found.name,
            "sessions": [s.shown() for s in shown],
            "percent": share,
            "rules": dataclasses.asdict(rules),
        },
        words=words,
    )


def after_check_in(
    session: Session, patient: User, item_key: uuid.UUID, now: dt.datetime
) -> Counter[str]:
    """A check-in rated an exercise: if it has steps, work its patient out now."""
    has_steps = session.scalar(
        _CURRENT.where(Program.patient_id == patient.id, ProgramItem.item_key == item_key).limit(1)
    )
    return evaluate(session, [patient.id], now) if has_steps else Counter()


def run(session: Session, now: dt.datetime, batch: int = BATCH) -> Counter[str]:
    """The scheduler's part: every patient with steps, a batch at a time (each committed)."""
    report: Counter[str] = Counter()
    after: uuid.UUID | None = None
    while True:
        ids = candidates(session, after, batch)
        if not ids:
            break
        report.update(evaluate(session, ids, now))
        session.commit()
        after = ids[-1]
        if len(ids) < batch:
            break
    return report
