"""Today and adherence: what is due, what was done, and forgiving, prescription-aware scores.

Check-ins are aggregated per subject and day in SQL; schedules come from a handful of rows.
A query count that does not grow with history: each function issues a fixed number of queries."""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from sqlalchemy import (
    JSON,
    CompoundSelect,
    Date,
    String,
    and_,
    bindparam,
    case,
    func,
    literal,
    select,
    type_coerce,
    union_all,
)
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import BindParameter

from hep.db import dialect_insert
from hep.illustrations import illustration_url
from hep.library import exercise_name, exercise_words, translated_builtins
from hep.models import (
    CheckIn,
    Exercise,
    Habit,
    PainEntry,
    Program,
    ProgramItem,
    ProgramVersion,
    ScoreCheckpoint,
    User,
)
from hep.pause_periods import (
    NOTHING_DUE,
    Period,
    current_of,
    keeps,
    load_periods,
    mode_on,
    pause_view,
    pauses_of,
    periods_of,
)
from hep.timezones import local_date

# Strength and streaks look at the whole history. A recompute walks from a checkpoint: the
# Monday on or before this many days ago, older than any window a read shows (28 days) and any
# day a check-in may still change (HEP_CHECKIN_EDIT_DAYS; an older write drops the checkpoint).
CHECKPOINT_AGE = 35


def weekday_bit(day: dt.date) -> int:
    return 1 << day.weekday()


@dataclass(frozen=True)
class Dose:
    """What scoring needs of a program item in one version: the sessions, the weekdays, and
    whether it stays due in a flare-up (`flare`) or a busy week (`minimum`)."""

    times_per_day: int
    weekdays: int
    flare: bool = False
    minimum: bool = False


@dataclass
class Subject:
    """Something prescribed: a program item (by its stable key) or a habit."""

    kind: str  # "item" | "habit"
    id: uuid.UUID
    name: str
    # item: versions in force over time as (first local day, item or None when removed)
    versions: list[tuple[dt.date, Dose | None]] = field(default_factory=list)
    habit: Habit | None = None
    start: dt.date = dt.date.min
    end: dt.date | None = None
    program_id: uuid.UUID | None = None
    # item: the start and end dates of its program's current version, if the item is in it
    current: tuple[dt.date, dt.date | None] | None = None
    # the patient's pauses of the whole account (hep.pauses), shared by all their subjects
    pauses: Sequence[Period] = ()
    # item: its exercise's slug when a built-in (its name is then said in the reader's words)
    slug: str | None = None

    def name_in(self, language: str) -> str:
        """Its name for a reader of `language` (a habit's, and a therapist's own exercise's,
        as written)."""
        return exercise_name(self.slug, self.name, language)

    def _version_on(self, day: dt.date) -> Dose | None:
        item = None
        for first_day, candidate in self.versions:
            if first_day <= day:
                item = candidate
        return item

    def prescribed_on(self, day: dt.date) -> int:
        """Sessions the prescription asks for that day, pauses aside."""
        if day < self.start or (self.end is not None and day > self.end):
            return 0
        if self.habit is not None:
            if self.habit.per_week:
                return 0
            return 1 if self.habit.weekdays & weekday_bit(day) else 0
        item = self._version_on(day)
        if item is None:
            return 0
        return item.times_per_day if item.weekdays & weekday_bit(day) else 0

    def paused_on(self, day: dt.date) -> str | None:
        """The pause mode that takes this subject off that day (None: no pause does; the
        subject may still not be due for other reasons)."""
        mode = mode_on(self.pauses, day) if self.pauses else None
        if mode is None:
            return None
        if mode in NOTHING_DUE:
            return mode
        item = self._version_on(day) if self.habit is None else None
        flare, minimum = (item.flare, item.minimum) if item is not None else (False, False)
        kept = keeps(mode, habit=self.habit is not None, flare=flare, minimum=minimum)
        return None if kept else mode

    def held_on(self, day: dt.date) -> str | None:
        """The pause mode that keeps this subject from being due that day although the
        prescription as it stands asks for it (what a reminder then records as paused)."""
        if not self.runs_on(day):
            return None
        return self.paused_on(day) if self.prescribed_on(day) else None

    def dose_on(self, day: dt.date) -> int:
        """Sessions prescribed that day by the version then in force, less what a pause of
        the account takes off (0: not due): what scoring counts. Per-week habits are weekly,
        see below."""
        dose = self.prescribed_on(day)
        return 0 if dose and self.paused_on(day) else dose

    def runs_on(self, day: dt.date) -> bool:
        """A habit runs by its own dates; a program item on the days its program's current
        version runs (start to end date, both included), if that version still has it."""
        return self.kind != "item" or (
            self.current is not None
            and self.current[0] <= day
            and (self.current[1] is None or day <= self.current[1])
        )

    def due_on(self, day: dt.date) -> int:
        """Sessions due on a local day as the prescription stands now (0: nothing due): the one
        definition Today and the reminder dispatcher share. A program item is due only on the
        days its program's current version runs; on those days, and for habits, as `dose_on`
        says (pauses of the account included)."""
        return self.dose_on(day) if self.runs_on(day) else 0

    @property
    def per_week(self) -> int | None:
        return self.habit.per_week if self.habit is not None else None

    def frequency(self) -> float:
        """Prescribed occurrences per day, on average: drives the strength score's pace."""
        if self.per_week:
            return self.per_week / 7
        if self.habit is not None:
            return bin(self.habit.weekdays).count("1") / 7
        latest = self.versions[-1][1] if self.versions else None
        return bin(latest.weekdays).count("1") / 7 if latest else 1.0


@dataclass(slots=True)
class DayLog:
    done: float = 0.0  # credited sessions (partial counts its fraction)
    skipped: bool = False
    total_value: float = 0.0
    has_value: bool = False
    entries: int = 0


# --- loading -------------------------------------------------------------------------------


# Statements built once: adherence is recomputed after every write, and building a statement
# costs about as much as running it. Patient ids go in as an expanding list.
_PATIENTS: BindParameter[Any] = bindparam("patients", expanding=True)

_ITEMS = (
    select(
        Program.patient_id,
        ProgramVersion.program_id,
        Program.current_version,
        ProgramVersion.id,
        ProgramVersion.version,
        ProgramVersion.start_date,
        ProgramVersion.end_date,
        ProgramVersion.created_at,
        ProgramItem.item_key,
        ProgramItem.times_per_day,
        ProgramItem.weekdays,
        ProgramItem.keep_in_flare,
        ProgramItem.minimum_dose,
        Exercise.name,
        Exercise.slug,
    )
    .join(ProgramVersion, ProgramVersion.program_id == Program.id)
    .join(ProgramItem, ProgramItem.version_id == ProgramVersion.id)
    .join(Exercise, Exercise.id == ProgramItem.exercise_id)
    .where(Program.patient_id.in_(_PATIENTS), Program.archived_at.is_(None))
    .order_by(Program.patient_id, Program.id, ProgramVersion.version, ProgramItem.position)
)
_HABITS = select(Habit).where(Habit.owner_id.in_(_PATIENTS), Habit.archived_at.is_(None))

# a year of history is thousands of rows naming a handful of ids: they come back as the
# driver gives them and are turned into UUIDs once each, not once per row
_LOG_OWNER = type_coerce(CheckIn.owner_id, String)
_LOG_SUBJECT = type_coerce(func.coalesce(CheckIn.item_key, CheckIn.habit_id), String)
_LOGS = (
    select(
        _LOG_OWNER,
        _LOG_SUBJECT,
        CheckIn.local_date,
        func.sum(
            case((CheckIn.state == "done", 1.0), (CheckIn.state == "partial", 0.5), else_=0.0)
        ),
        func.max(case((CheckIn.state == "skipped", 1), else_=0)),
        func.sum(func.coalesce(CheckIn.value, 0.0)),
        func.count(CheckIn.value),
        func.count(),
    )
    .where(
        CheckIn.owner_id.in_(_PATIENTS),
        CheckIn.local_date >= bindparam("start"),
        CheckIn.local_date <= bindparam("end"),
        CheckIn.deleted_at.is_(None),
    )
    .group_by(_LOG_OWNER, _LOG_SUBJECT, CheckIn.local_date)
)


def load_subjects(
    session: Session,
    patient_ids: Sequence[uuid.UUID],
    tz_by_patient: dict[uuid.UUID, str],
    pauses: dict[uuid.UUID, list[Period]] | None = None,
) -> dict[uuid.UUID, list[Subject]]:
    """Every program item (across versions) and active habit of the patients, with the
    patients' pauses: three queries (two when the caller has the pauses). Plain columns, not
    ORM entities: this runs for a whole patient list (and for each batch of the reminder
    dispatcher)."""
    if pauses is None:
        pauses = load_periods(session, patient_ids)
    rows = session.execute(_ITEMS, {"patients": list(patient_ids)}).all()
    result: dict[uuid.UUID, list[Subject]] = defaultdict(list)
    by_key: dict[tuple[uuid.UUID, uuid.UUID], Subject] = {}
    version_items: dict[uuid.UUID, set[uuid.UUID]] = defaultdict(set)
    # program -> [(version id, first local day in force)] in version order
    versions_by_program: dict[uuid.UUID, dict[uuid.UUID, dt.date]] = defaultdict(dict)
    program_keys: dict[uuid.UUID, set[uuid.UUID]] = defaultdict(set)
    for (
        patient_id,
        program_id,
        current,
        version_id,
        number,
        start,
        end,
        created_at,
        key,
        times,
        weekdays,
        flare,
        minimum,
        name,
        slug,
    ) in rows:
        # an edit takes effect from the local day it was made (or the version's start)
        first_day = (
            start if number == 1 else max(start, local_date(created_at, tz_by_patient[patient_id]))
        )
        versions_by_program[program_id][version_id] = first_day
        program_keys[program_id].add(key)
        version_items[version_id].add(key)
        subject = by_key.get((program_id, key))
        if subject is None:
            subject = Subject(
                "item",
                key,
                name,
                start=start,
                program_id=program_id,
                pauses=pauses.get(patient_id, ()),
            )
            by_key[(program_id, key)] = subject
            result[patient_id].append(subject)
        subject.name, subject.slug = name, slug
        subject.end = end
        if number == current:
            subject.current = (start, end)
        subject.versions.append((first_day, Dose(times, weekdays, bool(flare), bool(minimum))))
    # an item dropped in a later version is not due from that version on
    for program_id, program_versions in versions_by_program.items():
        for version_id, first in list(program_versions.items())[1:]:
            for key in program_keys[program_id] - version_items[version_id]:
                subject = by_key[(program_id, key)]
                if subject.versions and subject.versions[-1][1] is not None:
                    subject.versions.append((first, None))
    for subject in by_key.values():
        subject.versions.sort(key=lambda entry: entry[0])
    for habit in session.scalars(_HABITS, {"patients": list(patient_ids)}):
        start = habit.start_date or local_date(habit.created_at, tz_by_patient[habit.owner_id])
        result[habit.owner_id].append(
            Subject(
                "habit",
                habit.id,
                habit.name,
                habit=habit,
                start=start,
                pauses=pauses.get(habit.owner_id, ()),
            )
        )
    return result


def load_logs(
    session: Session, patient_ids: Sequence[uuid.UUID], start: dt.date, end: dt.date
) -> dict[uuid.UUID, dict[tuple[uuid.UUID, dt.date], DayLog]]:
    """Check-ins aggregated per owner, subject and day, in SQL: one query."""
    rows = (
        session.connection()
        .execute(_LOGS, {"patients": list(patient_ids), "start": start, "end": end})
        .all()
    )
    ids: dict[Any, uuid.UUID] = {}

    def as_uuid(raw: Any) -> uuid.UUID:
        found = ids.get(raw)
        if found is None:
            found = ids[raw] = raw if isinstance(raw, uuid.UUID) else uuid.UUID(raw)
        return found

    logs: dict[uuid.UUID, dict[tuple[uuid.UUID, dt.date], DayLog]] = defaultdict(dict)
    for owner_id, subject_id, day, done, skipped, total, n_values, n in rows:
        logs[as_uuid(owner_id)][(as_uuid(subject_id), day)] = DayLog(
            float(done or 0), bool(skipped), float(total or 0), bool(n_values), int(n)
        )
    return logs


# --- scoring -------------------------------------------------------------------------------


def day_fraction(subject: Subject, log: DayLog | None, dose: int) -> float:
    """How much of the day's prescription was done, 0..1."""
    if log is None:
        return 0.0
    habit = subject.habit
    if habit is not None and habit.target is not None:
        if not log.has_value:
            return 1.0 if log.done >= 1 else 0.0
        if habit.direction == "at_most":
            return 1.0 if log.total_value <= habit.target else 0.0
        return min(1.0, log.total_value / habit.target) if habit.target > 0 else 1.0
    if dose <= 0:
        return 0.0
    return min(1.0, log.done / dose)


@dataclass(slots=True)
class Walk:
    """Where a subject's walk stands at the start of a day: all that strength and streaks need
    of the days before it."""

    strength: float = 0.0  # unrounded
    streak: int = 0
    best: int = 0


@dataclass
class SubjectScore:
    expected: dict[dt.date, float]
    done: dict[dt.date, float]
    strength: float
    current_streak: int
    best_streak: int
    at_mark: Walk | None = None  # the walk at the start of the day asked for as `mark`


def score_subject(
    subject: Subject,
    logs: dict[tuple[uuid.UUID, dt.date], DayLog],
    start: dt.date,
    today: dt.date,
    *,
    carried: Walk | None = None,
    mark: dt.date | None = None,
) -> SubjectScore:
    """Walk the days once: dose expected and done per day, a Loop-style strength score, streaks.

    Strength is an exponential average of each due period's fraction done, with a half-life of
    13 / sqrt(frequency) days (Loop Habit Tracker's pace); skipped days freeze it. Streaks count
    consecutive due periods done in full; days not due, skipped days and today (still open)
    never break them. A day a pause takes the subject off is not due; a week with such days
    is judged only if its target was met anyway (else it freezes, like a skip).

    `carried` is the walk as it stood at the start of `start` (a Monday, for weekly subjects);
    the result's `at_mark` is the walk at the start of `mark`, to carry into a later call."""
    freq = max(subject.frequency(), 1 / 7)
    expected: dict[dt.date, float] = {}
    done: dict[dt.date, float] = {}
    walk = Walk() if carried is None else Walk(carried.strength, carried.streak, carried.best)
    strength, streak, best = walk.strength, walk.streak, walk.best
    at_mark = walk if mark is not None else None
    first = max(start, subject.start)
    if subject.per_week:
        # weekly target: judged when the ISO week closes
        week_start = first - dt.timedelta(days=first.weekday())
        multiplier = 0.5 ** (7 * math.sqrt(freq) / 13)
        week_closed, fraction = True, 0.0
        while week_start <= today:
            if week_start == mark:
                at_mark = Walk(strength, streak, best)
            days = [week_start + dt.timedelta(days=i) for i in range(7)]
            count = sum(1 for d in days if (log := logs.get((subject.id, d))) and log.done >= 1)
            week_closed = days[-1] < today
            fraction = min(1.0, count / subject.per_week)
            paused = fraction < 1 and any(subject.paused_on(d) for d in days)
            if week_closed and not paused:
                strength = strength * multiplier + fraction * (1 - multiplier)
                # the week is credited on its last day, so percentages weigh it as a whole
                expected[days[-1]] = subject.per_week
                done[days[-1]] = min(count, subject.per_week)
                if fraction >= 1:
                    streak += 1
                    best = max(best, streak)
                else:
                    streak = 0
            elif fraction >= 1:
                best = max(best, streak + 1)
            week_start += dt.timedelta(days=7)
        current = streak + (1 if not week_closed and fraction >= 1 else 0)
        return SubjectScore(expected, done, round(strength * 100, 1), current, best, at_mark)

    multiplier = 0.5 ** (1 / (13 * math.sqrt(freq)))
    day = first
    while day <= today:
        if day == mark:
            at_mark = Walk(strength, streak, best)
        dose = subject.dose_on(day)
        log = logs.get((subject.id, day))
        if dose > 0:
            fraction = day_fraction(subject, log, dose)
            if log is not None and log.skipped and fraction == 0:
                pass  # skipped with a reason: freeze the score and the streak
            elif day == today and fraction < 1:
                pass  # today is still open
            else:
                expected[day] = dose
                done[day] = fraction * dose
                strength = strength * multiplier + fraction * (1 - multiplier)
                if fraction >= 1:
                    streak += 1
                    best = max(best, streak)
                else:
                    streak = 0
            if day == today and fraction > 0:
                expected[day] = dose
                done[day] = fraction * dose
        day += dt.timedelta(days=1)
    return SubjectScore(expected, done, round(strength * 100, 1), streak, best, at_mark)


def percent(scores: Iterable[SubjectScore], start: dt.date, end: dt.date) -> float | None:
    expected = done = 0.0
    for s in scores:
        for day, value in s.expected.items():
            if start <= day <= end:
                expected += value
                done += s.done.get(day, 0.0)
    return round(100 * done / expected, 1) if expected else None


# --- today ---------------------------------------------------------------------------------


def today_view(session: Session, patient: User, day: dt.date) -> dict[str, Any]:
    """Everything due that local day with its progress, and the pause of the account that
    day with how many exercises it takes off, in a fixed number of queries."""
    pause_rows = pauses_of(session, patient.id)
    periods = {patient.id: periods_of(pause_rows)}
    subjects = load_subjects(session, [patient.id], {patient.id: patient.timezone}, periods)[
        patient.id
    ]
    week_start = day - dt.timedelta(days=day.weekday())
    logs = load_logs(session, [patient.id], week_start, day)[patient.id]
    current_items = _current_items(session, patient.id, patient.language)
    entries = []
    held = 0
    for subject in subjects:
        log = logs.get((subject.id, day))
        if subject.kind == "item":
            item = current_items.get(subject.id)
            dose = subject.due_on(day)
            if item is not None and dose == 0 and subject.held_on(day):
                held += 1
            if item is None or dose == 0:
                continue
            entries.append(
                {
                    "kind": "item",
                    "item_key": subject.id,
                    "program_id": item[0],
                    "exercise": item[2],
                    "dose": item[1],
                    "sessions_done": int(log.done) if log else 0,
                    "sessions_due": dose,
                    "skipped": bool(log and log.skipped),
                }
            )
            continue
        habit = subject.habit
        assert habit is not None
        if subject.paused_on(day):
            continue
        if habit.per_week:
            week_done = sum(
                1
                for i in range(7)
                if (lg := logs.get((subject.id, week_start + dt.timedelta(days=i))))
                and lg.done >= 1
            )
            progress = {"week_done": week_done, "week_target": habit.per_week}
        elif subject.due_on(day) == 0:
            continue
        else:
            progress = {}
        entries.append(
            {
                "kind": "habit",
                "habit_id": habit.id,
                "name": habit.name,
                "habit_kind": habit.kind,
                "target": habit.target,
                "direction": habit.direction,
                "unit": habit.unit,
                "value": log.total_value if log and log.has_value else None,
                # a numeric habit is done by its amount, whatever state the entries carry
                "done": day_fraction(subject, log, 1) >= 1
                if habit.target is not None and log is not None and log.has_value
                else bool(log and log.done >= 1),
                "skipped": bool(log and log.skipped),
                **progress,
            }
        )
    pause = current_of(pause_rows, day)
    return {
        "date": day,
        "entries": entries,
        "pause": pause_view(pause, day) if pause is not None else None,
        "paused_items": held,
    }


def _current_items(
    session: Session, patient_id: uuid.UUID, language: str
) -> dict[uuid.UUID, tuple[uuid.UUID, dict[str, Any], dict[str, Any]]]:
    """What Today shows of the current version's items (whether one is due that day is
    `Subject.due_on`'s to say), in the patient's language: one query."""
    rows = session.execute(
        select(Program.id, ProgramItem, Exercise)
        .join(
            ProgramVersion,
            and_(
                ProgramVersion.program_id == Program.id,
                ProgramVersion.version == Program.current_version,
            ),
        )
        .join(ProgramItem, ProgramItem.version_id == ProgramVersion.id)
        .join(Exercise, Exercise.id == ProgramItem.exercise_id)
        .where(Program.patient_id == patient_id, Program.archived_at.is_(None))
    ).all()
    found = {}
    for program_id, item, exercise in rows:
        words = exercise_words(exercise, language)
        dose = {
            f: getattr(item, f)
            for f in (
                "sets",
                "reps",
                "hold_seconds",
                "duration_seconds",
                "rest_seconds",
                "side",
                "load_note",
                "times_per_day",
                "notes",
            )
        }
        found[item.item_key] = (
            program_id,
            dose,
            {
                "id": exercise.id,
                "name": words.name,
                "category": exercise.category,
                "instructions": words.instructions,
                "cautions": words.cautions,
                "media_url": exercise.media_url,
                "illustration": illustration_url(exercise),
            },
        )
    return found


# --- adherence -----------------------------------------------------------------------------


# the highest pain of each day's check-ins, and the diary's scores (diary = 1), in one statement
_PAIN: CompoundSelect = union_all(
    select(CheckIn.owner_id, CheckIn.local_date, func.max(CheckIn.pain), literal(0))
    .where(
        CheckIn.owner_id.in_(_PATIENTS),
        CheckIn.local_date.between(bindparam("start"), bindparam("end")),
        CheckIn.pain.is_not(None),
        CheckIn.deleted_at.is_(None),
    )
    .group_by(CheckIn.owner_id, CheckIn.local_date),
    select(PainEntry.owner_id, PainEntry.local_date, PainEntry.score, literal(1)).where(
        PainEntry.owner_id.in_(_PATIENTS),
        PainEntry.local_date.between(bindparam("start"), bindparam("end")),
    ),
)


def pain_series(
    session: Session, patient_ids: Sequence[uuid.UUID], start: dt.date, end: dt.date
) -> dict[uuid.UUID, dict[dt.date, float]]:
    """Daily pain per patient: the diary score, else the highest check-in pain: one query."""
    series: dict[uuid.UUID, dict[dt.date, float]] = defaultdict(dict)
    diary: dict[uuid.UUID, dict[dt.date, float]] = defaultdict(dict)
    params = {"patients": list(patient_ids), "start": start, "end": end}
    for owner, day, value, from_diary in session.connection().execute(_PAIN, params):
        (diary if from_diary else series)[owner][day] = float(value or 0)
    for owner, days in diary.items():
        series[owner].update(days)
    return series


def pain_trend(series: dict[dt.date, float], today: dt.date) -> dict[str, Any]:
    def mean(lo: int, hi: int) -> float | None:
        values = [
            v
            for d, v in series.items()
            if today - dt.timedelta(days=hi) < d <= today - dt.timedelta(days=lo)
        ]
        return round(sum(values) / len(values), 1) if values else None

    last, previous = mean(0, 7), mean(7, 14)
    direction = "unknown"
    if last is not None and previous is not None:
        direction = (
            "rising" if last - previous >= 1 else "falling" if previous - last >= 1 else "steady"
        )
    return {"last_7_days": last, "previous_7_days": previous, "direction": direction}


# the patient's data version comes with the checkpoint, read before the logs
_CHECKPOINT = (
    select(
        User.stats_version, ScoreCheckpoint.day, ScoreCheckpoint.fingerprint, ScoreCheckpoint.walks
    )
    .outerjoin(ScoreCheckpoint, ScoreCheckpoint.patient_id == User.id)
    .where(User.id == bindparam("patient"))
)
_CHECKPOINT_COLUMNS = ["patient_id", "day", "fingerprint", "walks"]
# A checkpoint is written only if no write landed since that version was read: one that did
# (perhaps a back-dated check-in, which deletes checkpoints) may not be in the walk. The user
# row is read FOR SHARE, so on PostgreSQL a write still in flight is waited for and seen.
_CHECKPOINT_SOURCE = (
    select(
        User.id,
        bindparam("day", type_=Date),
        bindparam("fingerprint", type_=String),
        bindparam("walks", type_=JSON),
    )
    .where(User.id == bindparam("patient"), User.stats_version == bindparam("basis"))
    .with_for_update(read=True)
)


def _store_checkpoint(session: Session, values: dict[str, Any]) -> None:
    statement = dialect_insert(session)(ScoreCheckpoint).from_select(
        _CHECKPOINT_COLUMNS, _CHECKPOINT_SOURCE
    )
    session.connection().execute(
        statement.on_conflict_do_update(
            index_elements=[ScoreCheckpoint.patient_id],
            set_={name: statement.excluded[name] for name in _CHECKPOINT_COLUMNS[1:]},
        ),
        values,
    )


def checkpoint_day(today: dt.date) -> dt.date:
    """Where walks are carried from as of `today`: it moves once a week."""
    day = today - dt.timedelta(days=CHECKPOINT_AGE)
    return day - dt.timedelta(days=day.weekday())


def _number(value: float | None) -> float | None:
    return None if value is None else float(value)


def prescription_digest(
    subjects: Sequence[Subject], pauses: Sequence[Period], before: dt.date
) -> str:
    """All a walk up to `before` depends on besides the logs: the prescription, and the
    pauses as far as they cover days before it (a pause begun since, or ended since after
    that day, leaves the walk up to it as it was). A checkpoint at `before` is valid only
    for the same digest."""
    seen = [cut for period in pauses if (cut := period.before(before)) is not None]
    parts = sorted(
        (
            subject.kind,
            str(subject.id),
            subject.start,
            subject.end,
            subject.versions,
            None
            if (habit := subject.habit) is None
            # as stored: a habit made in this session may still hold an int target
            else (habit.weekdays, habit.per_week, _number(habit.target), habit.direction),
        )
        for subject in subjects
    )
    return hashlib.sha256(repr((parts, seen)).encode()).hexdigest()


def score_all(
    session: Session,
    patient_id: uuid.UUID,
    subjects: Sequence[Subject],
    pauses: Sequence[Period],
    today: dt.date,
) -> tuple[list[SubjectScore], dict[tuple[uuid.UUID, dt.date], DayLog]]:
    """Every subject's score, walking from the patient's checkpoint when it is valid (else
    from each subject's first log), and the checkpoint moved up when due: two or three
    queries. Returns the scores and the logs read (from the checkpoint on)."""
    mark = checkpoint_day(today)
    digest = prescription_digest(subjects, pauses, mark)
    saved = session.connection().execute(_CHECKPOINT, {"patient": patient_id}).one()
    walks: dict[str, list[Any]] | None = None
    if (
        saved.day is not None
        and saved.day <= mark
        and saved.fingerprint
        == (digest if saved.day == mark else prescription_digest(subjects, pauses, saved.day))
    ):
        since, walks = saved.day, saved.walks
    else:
        since = min([mark, *(subject.start for subject in subjects)])
    logs = load_logs(session, [patient_id], since, today)[patient_id]
    if walks is not None:
        scores = []
        for subject in subjects:
            walk = walks.get(str(subject.id))
            carry = Walk(*walk) if walk else None
            scores.append(score_subject(subject, logs, since, today, carried=carry, mark=mark))
    else:
        # until a subject's first log its walk is all zeros: start there (or at the mark)
        first_log: dict[uuid.UUID, dt.date] = {}
        for subject_id, day in logs:
            if day < first_log.get(subject_id, mark):
                first_log[subject_id] = day
        scores = [
            score_subject(subject, logs, first_log.get(subject.id, mark), today, mark=mark)
            for subject in subjects
        ]
    if walks is None or since != mark:
        moved = {}
        for subject, score in zip(subjects, scores, strict=True):
            at = score.at_mark
            assert at is not None
            moved[str(subject.id)] = [at.strength, at.streak, at.best]
        _store_checkpoint(
            session,
            {
                "patient": patient_id,
                "basis": saved.stats_version,
                "day": mark,
                "fingerprint": digest,
                "walks": moved,
            },
        )
    return scores, logs


def adherence(session: Session, patient: User, today: dt.date) -> dict[str, Any]:
    periods = load_periods(session, [patient.id])
    subjects = load_subjects(session, [patient.id], {patient.id: patient.timezone}, periods)[
        patient.id
    ]
    pauses = periods.get(patient.id, [])
    subject_scores, logs = score_all(session, patient.id, subjects, pauses, today)
    scores = list(zip(subjects, subject_scores, strict=True))
    week, month = today - dt.timedelta(days=6), today - dt.timedelta(days=27)
    active = {
        day for (_, day), log in logs.items() if log.entries and day > today - dt.timedelta(days=30)
    }
    pain = pain_series(session, [patient.id], today - dt.timedelta(days=27), today)[patient.id]
    daily = []
    for offset in range(27, -1, -1):
        day = today - dt.timedelta(days=offset)
        expected = sum(s.expected.get(day, 0.0) for _, s in scores)
        done = sum(s.done.get(day, 0.0) for _, s in scores)
        daily.append(
            {
                "date": day.isoformat(),
                "expected": expected,
                "done": round(done, 2),
                "percent": round(100 * done / expected, 1) if expected else None,
                "pain": pain.get(day),
                "paused": mode_on(pauses, day),
            }
        )
    return {
        "as_of": today,
        "percent_7_days": percent((s for _, s in scores), week, today),
        "percent_prev_7_days": percent(
            (s for _, s in scores), today - dt.timedelta(days=13), week - dt.timedelta(days=1)
        ),
        "percent_28_days": percent((s for _, s in scores), month, today),
        "active_days_30": len(active),
        "subjects": [
            {
                "kind": subject.kind,
                "id": subject.id,
                "name": subject.name,
                "strength": score.strength,
                "current_streak": score.current_streak,
                "best_streak": score.best_streak,
                "percent_7_days": percent([score], week, today),
                "percent_28_days": percent([score], month, today),
            }
            for subject, score in scores
        ],
        "daily": daily,
        "pain_trend": pain_trend(pain, today),
    }


def in_language(session: Session, document: dict[str, Any], language: str) -> dict[str, Any]:
    """An adherence document (stored once for all its readers) with its built-in exercises
    named for a reader of `language`: one query, none in English."""
    keys = [s["id"] for s in document.get("subjects", ()) if s["kind"] == "item"]
    if not keys or not translated_builtins(language):
        return document
    rows = session.execute(
        select(ProgramItem.item_key, Exercise.slug)
        .join(Exercise, Exercise.id == ProgramItem.exercise_id)
        .join(ProgramVersion, ProgramVersion.id == ProgramItem.version_id)
        .where(ProgramItem.item_key.in_([uuid.UUID(str(key)) for key in keys]))
        .order_by(ProgramVersion.version)
    )
    slugs = {str(key): slug for key, slug in rows}  # the newest version's exercise
    subjects = [
        {**s, "name": exercise_name(slugs.get(str(s["id"])), s["name"], language)}
        if s["kind"] == "item"
        else s
        for s in document["subjects"]
    ]
    return {**document, "subjects": subjects}


_NEWEST = (
    select(CheckIn.updated_at)
    .where(CheckIn.owner_id == User.id)
    .order_by(CheckIn.updated_at.desc())
    .limit(1)
    .scalar_subquery()
)
_LAST_ACTIVITY = select(User.id, _NEWEST).where(User.id.in_(_PATIENTS))


def last_activity_of(
    session: Session, patient_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, dt.datetime | None]:
    """When each patient last logged or corrected anything: one index probe per patient."""
    rows = session.connection().execute(_LAST_ACTIVITY, {"patients": list(patient_ids)}).all()
    return {patient_id: last for patient_id, last in rows}


class PatientRef(Protocol):
    id: uuid.UUID
    timezone: str


def patient_summaries(
    session: Session,
    patients: Sequence[PatientRef],
    now: dt.datetime,
    pauses: dict[uuid.UUID, list[Period]] | None = None,
) -> dict[uuid.UUID, dict[str, Any]]:
    """7-day adherence (and the 7 days before), last activity and pain trend for many patients
    at once: a fixed number of queries, whatever the list or history size."""
    if not patients:
        return {}
    ids = [p.id for p in patients]
    tz = {p.id: p.timezone for p in patients}
    today_of = {p.id: local_date(now, p.timezone) for p in patients}
    latest, earliest = max(today_of.values()), min(today_of.values())
    subjects = load_subjects(session, ids, tz, pauses)
    logs = load_logs(session, ids, earliest - dt.timedelta(days=20), latest)
    pain = pain_series(session, ids, earliest - dt.timedelta(days=14), latest)
    last_activity = last_activity_of(session, ids)
    result = {}
    for patient in patients:
        today = today_of[patient.id]
        week, previous = today - dt.timedelta(days=6), today - dt.timedelta(days=13)
        # from the Monday before, so a weekly habit's week closing in range is judged whole
        start = previous - dt.timedelta(days=previous.weekday())
        scores = [
            score_subject(s, logs.get(patient.id, {}), start, today)
            for s in subjects.get(patient.id, [])
        ]
        result[patient.id] = {
            "as_of": today,
            "percent_7_days": percent(scores, week, today),
            "percent_prev_7_days": percent(scores, previous, week - dt.timedelta(days=1)),
            "last_activity_at": last_activity.get(patient.id),
            "pain_trend": pain_trend(pain.get(patient.id, {}), today)["direction"],
        }
    return result
