"""Adherence snapshots: the therapist's list and the adherence screens read figures computed
once per change, not on every request.

Every write that can move a patient's figures (check-ins, the pain diary, habits, programs and
their items, the patient's timezone, the name of an exercise in a program) bumps
users.stats_version in the same transaction: a session event, so no write path can forget it.
A snapshot records the version it was computed from (`basis`) and the next local midnight; it is
fresh while both hold. The version is read before the data, so a write racing a computation
leaves the snapshot behind the version (recomputed on the next read), never falsely fresh."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import (
    Select,
    and_,
    bindparam,
    case,
    delete,
    event,
    func,
    inspect,
    not_,
    or_,
    select,
    update,
)
from sqlalchemy.orm import Session, SessionTransaction, UOWTransaction, sessionmaker

from hep import attention
from hep.adherence import (
    adherence,
    last_activity_of,
    patient_summaries,
)
from hep.db import dialect_insert
from hep.models import (
    Acknowledgement,
    AdherenceSnapshot,
    CareLink,
    CheckIn,
    ClinicCareRules,
    Exercise,
    Habit,
    NotificationSettings,
    PainEntry,
    PatientCareRules,
    Pause,
    Program,
    ProgramItem,
    ProgramVersion,
    PushSubscription,
    Reminder,
    Role,
    ScoreCheckpoint,
    StepProposal,
    User,
)
from hep.pause_periods import load_periods
from hep.timezones import local_date, zone

Snap = AdherenceSnapshot

# --- invalidation --------------------------------------------------------------------------

_PENDING = "hep_stats_touched"


def note_changes(session: Session, _context: UOWTransaction, _instances: object) -> None:
    """before_flush: remember which patients' figures this flush can move, and the earliest
    day of each patient's check-ins it writes (walks checkpointed after that day are void)."""
    patients: set[uuid.UUID] = set()
    programs: set[uuid.UUID] = set()
    versions: set[uuid.UUID] = set()
    exercises: set[uuid.UUID] = set()
    clinics: set[uuid.UUID] = set()
    logged: dict[uuid.UUID, dt.date] = {}
    changed = [o for o in session.dirty if session.is_modified(o)]
    for obj in [*session.new, *changed, *session.deleted]:
        if isinstance(obj, CheckIn | PainEntry | Habit):
            patients.add(obj.owner_id)
            if isinstance(obj, CheckIn):
                days = [obj.local_date, *inspect(obj).attrs.local_date.history.deleted]
                logged[obj.owner_id] = min(logged.get(obj.owner_id, dt.date.max), *days)
        elif isinstance(obj, Program):
            patients.add(obj.patient_id)
        elif isinstance(obj, ProgramVersion):
            programs.add(obj.program_id)
        elif isinstance(obj, ProgramItem):
            versions.add(obj.version_id)
        elif isinstance(obj, Pause | Acknowledgement | PatientCareRules | StepProposal):
            patients.add(obj.patient_id)
        elif isinstance(obj, PushSubscription):
            patients.add(obj.user_id)  # whether reminders can reach them
        elif isinstance(obj, Reminder) and obj not in changed:
            patients.add(obj.owner_id)
        elif isinstance(obj, NotificationSettings) and obj in changed:
            if inspect(obj).attrs.email_reminders.history.has_changes():
                patients.add(obj.user_id)
        elif isinstance(obj, ClinicCareRules):
            clinics.add(obj.clinic_id)
        elif isinstance(obj, User) and obj in changed:
            attrs = inspect(obj).attrs
            if any(attrs[name].history.has_changes() for name in ("timezone", "email_verified_at")):
                patients.add(obj.id)
        elif isinstance(obj, Exercise) and obj in changed:
            exercises.add(obj.id)
    touched = session.info.setdefault(_PENDING, ([], [], [], [], [], {}))
    for bucket, found in zip(
        touched[:5], (patients, programs, versions, exercises, clinics), strict=True
    ):
        bucket.extend(i for i in found if i is not None)
    earliest = touched[5]
    for owner, day in logged.items():
        earliest[owner] = min(earliest.get(owner, day), day)


def bump_versions(session: Session, _context: UOWTransaction) -> None:
    """after_flush: one UPDATE for everything the flush touched, and one DELETE of the walk
    checkpoints its check-ins void."""
    patients, programs, versions, exercises, clinics, logged = session.info.pop(
        _PENDING, ([], [], [], [], [], {})
    )
    if logged:
        session.connection().execute(
            delete(ScoreCheckpoint).where(
                or_(
                    *(
                        and_(ScoreCheckpoint.patient_id == owner, ScoreCheckpoint.day > day)
                        for owner, day in logged.items()
                    )
                )
            )
        )
    clauses = []
    if patients:
        clauses.append(User.id.in_(set(patients)))
    if programs:
        clauses.append(User.id.in_(select(Program.patient_id).where(Program.id.in_(set(programs)))))
    if versions:
        clauses.append(
            User.id.in_(
                select(Program.patient_id)
                .join(ProgramVersion, ProgramVersion.program_id == Program.id)
                .where(ProgramVersion.id.in_(set(versions)))
            )
        )
    if exercises:
        clauses.append(
            User.id.in_(
                select(Program.patient_id)
                .join(ProgramVersion, ProgramVersion.program_id == Program.id)
                .join(ProgramItem, ProgramItem.version_id == ProgramVersion.id)
                .where(ProgramItem.exercise_id.in_(set(exercises)))
            )
        )
    if clinics:
        # a clinic's defaults: the patients its therapists lead for it
        clauses.append(
            User.id.in_(
                select(CareLink.patient_id).where(
                    CareLink.clinic_id.in_(set(clinics)),
                    CareLink.is_lead,
                    CareLink.ended_at.is_(None),
                )
            )
        )
    if clauses:
        bumped = session.connection().execute(
            update(User)
            .where(or_(*clauses))
            .values(stats_version=User.stats_version + 1)
            .returning(User.id)
        )
        session.info.setdefault(_BUMPED, set()).update(bumped.scalars())


# --- refreshed right after a write ---------------------------------------------------------

_BUMPED = "hep_stats_bumped"  # patients whose version this transaction moved
_WRITTEN = "hep_stats_written"  # ... and those of transactions since committed

# A write that moves this many patients' figures or fewer (a check-in: one) has their list
# figures recomputed as soon as it commits, so the therapist's next look finds them fresh;
# more (an exercise renamed in many programs) are left to readers and the scheduler.
REFRESH_AFTER_WRITE = 20


def _committed(session: Session) -> None:
    bumped = session.info.pop(_BUMPED, None)
    if bumped:
        session.info.setdefault(_WRITTEN, set()).update(bumped)


def _rolled_back(session: Session, previous: SessionTransaction) -> None:
    # a flush that failed left its notes behind; a savepoint rolled back (a lost insert race,
    # hep.db.insert_first) keeps the versions the enclosing transaction bumped before it
    session.info.pop(_PENDING, None)
    if not previous.nested:
        session.info.pop(_BUMPED, None)


def forget_written(session: Session) -> None:
    """Start counting writes afresh (a request refreshes only what it wrote itself)."""
    session.info.pop(_WRITTEN, None)


def refresh_written(session: Session, now: dt.datetime) -> int:
    """Recompute the list figures of the patients whose data committed writes in this session
    moved (see REFRESH_AFTER_WRITE), and commit. The write has landed already: if this fails,
    the snapshot simply stays stale and the next reader recomputes it. Returns how many."""
    written = session.info.pop(_WRITTEN, None)
    if not written or len(written) > REFRESH_AFTER_WRITE:
        return 0
    count = refresh_stale(session, sorted(written), now)
    session.commit()
    return count


# --- freshness -----------------------------------------------------------------------------


def next_midnight(day: dt.date, tz_name: str) -> dt.datetime:
    """The instant the patient's local date moves past `day` (as UTC)."""
    tz = zone(tz_name)
    following = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), tzinfo=tz)
    return following.astimezone(dt.UTC)


FORMAT = 1
"""What a snapshot holds: 1, the attention reasons of hep.attention. Bumped when a release
computes something new into snapshots, so those an older release wrote are stale."""


def _fresh(snap: Any, user: Any) -> Any:
    """Fresh at the instant bound as "now" (the entities, or aliases of them)."""
    return and_(
        snap.basis == user.stats_version,
        snap.valid_until > bindparam("now"),
        snap.format == FORMAT,
    )


def missing_or_stale(snap: Any, user: Any) -> Any:
    return or_(snap.patient_id.is_(None), not_(_fresh(snap, user)))


_FRESH = _fresh(Snap, User)


def stale_among(patient_ids: Any) -> Select[uuid.UUID, str, int]:
    """Which of these patients (a list or a subquery of ids) have no fresh snapshot (only
    patients have one: a therapist's push subscription bumps their version too)."""
    return (
        select(User.id, User.timezone, User.stats_version)
        .outerjoin(Snap, Snap.patient_id == User.id)
        .where(
            User.id.in_(patient_ids),
            User.role == Role.PATIENT,
            missing_or_stale(Snap, User),
        )
    )


def _carried(table: Any, new: Any, column: str) -> Any:
    """A lasting reason keeps the moment it began while it goes on holding."""
    return case((new[column].is_(None), None), else_=func.coalesce(table.c[column], new[column]))


def _upsert(session: Session, rows: list[dict[str, Any]]) -> None:
    table: Any = Snap.__table__
    statement = dialect_insert(session)(table)
    new = statement.excluded
    values = {c.name: new[c.name] for c in table.columns if c.name != "patient_id"}
    values.update({column: _carried(table, new, column) for column in attention.LASTING})
    session.execute(
        statement.on_conflict_do_update(
            index_elements=["patient_id"],
            set_=values,
            # an older computation finishing late never replaces a newer one
            where=new.basis >= table.c.basis,
        ),
        rows,
    )


def _row(
    patient: Any, summary: dict[str, Any], found: dict[str, Any], now: dt.datetime
) -> dict[str, Any]:
    """A snapshot row: `patient` has id, timezone and the stats_version read before the
    data; `summary` the figures, `found` the attention columns (hep.attention.measures)."""
    valid_until = next_midnight(summary["as_of"], patient.timezone)
    turns_at = found.pop("turns_at", None)
    if turns_at is not None and turns_at < valid_until:
        valid_until = turns_at  # a reason begins to hold then: stale from that moment
    return (
        {
            "patient_id": patient.id,
            "basis": patient.stats_version,
            "format": FORMAT,
            "valid_until": valid_until,
            "computed_at": now,
            "document": None,
        }
        | summary
        | found
    )


def recompute(session: Session, stale: Sequence[Any], now: dt.datetime) -> None:
    """Compute and store the snapshots of these patients (rows of id, timezone and the
    stats_version read before the data, as `stale_among` gives them)."""
    if stale:
        periods = load_periods(session, [patient.id for patient in stale])
        summaries = patient_summaries(session, stale, now, periods)
        found = attention.measures(session, stale, summaries, now, periods)
        _upsert(
            session,
            [_row(patient, summaries[patient.id], found[patient.id], now) for patient in stale],
        )


def refresh_stale(
    session: Session, patient_ids: Any, now: dt.datetime, limit: int | None = None
) -> int:
    """Recompute the snapshots of these patients (a list or a subquery of ids) that are
    missing or stale, all at once (at most `limit`). Returns how many were recomputed."""
    query = stale_among(patient_ids).order_by(User.id).limit(limit)
    stale = session.execute(query, {"now": now}).all()
    recompute(session, stale, now)
    return len(stale)


def refresh_for_therapists(session: Session, now: dt.datetime, batch: int) -> int:
    """The scheduler's part: after each local midnight (and after writes), recompute the
    snapshots of patients who have a therapist, one batch at a time, so the first look at the
    list in the morning does not pay for everyone at once. Commits; returns how many."""
    cared_for = select(CareLink.patient_id).where(CareLink.ended_at.is_(None))
    count = refresh_stale(session, cared_for, now, limit=batch)
    session.commit()
    return count


# --- the adherence document ------------------------------------------------------------


_DOCUMENT = (
    select(User.id, User.timezone, User.stats_version, Snap.document, _FRESH)
    .outerjoin(Snap, Snap.patient_id == User.id)
    .where(User.id == bindparam("patient"))
)
_STORE_DOCUMENT = (
    update(Snap)
    .where(Snap.patient_id == bindparam("patient"), Snap.basis == bindparam("read_basis"))
    .values(document=bindparam("new_document"))
)


def adherence_document(
    session: Session,
    patient: User,
    now: dt.datetime,
    dump: Callable[[dict[str, Any]], dict[str, Any]],
) -> dict[str, Any]:
    """The patient's adherence as served (`dump`: the API's schema, down to JSON types), from
    the snapshot when fresh; otherwise computed, stored and returned."""
    found = session.execute(_DOCUMENT, {"patient": patient.id, "now": now}).one()
    fresh = bool(found[4]) if found[4] is not None else False
    if fresh and found.document is not None:
        document: dict[str, Any] = found.document
        return document
    today = local_date(now, found.timezone)
    computed = adherence(session, patient, today)
    document = dump(computed)
    if fresh:
        session.connection().execute(
            _STORE_DOCUMENT,
            {"patient": patient.id, "read_basis": found.stats_version, "new_document": document},
        )
    else:
        # the list's figures come with the document: the same scores, one more query
        summary = {
            "as_of": today,
            "percent_7_days": computed["percent_7_days"],
            "percent_prev_7_days": computed["percent_prev_7_days"],
            "pain_trend": computed["pain_trend"]["direction"],
            "last_activity_at": last_activity_of(session, [patient.id])[patient.id],
        }
        reasons = attention.measures(session, [found], {found.id: summary}, now)[found.id]
        _upsert(session, [_row(found, summary, reasons, now) | {"document": document}])
    return document


def install(factory: sessionmaker[Session]) -> None:
    """Attach the invalidation events to a sessionmaker."""
    event.listen(factory, "before_flush", note_changes)
    event.listen(factory, "after_flush", bump_versions)
    event.listen(factory, "after_commit", _committed)
    event.listen(factory, "after_soft_rollback", _rolled_back)
