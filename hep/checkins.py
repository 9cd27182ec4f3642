"""Check-ins: idempotent create/replay/edit by the phone's UUID, tombstoned deletes, an edit
trail, and the daily pain diary."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from hep.care import export_section
from hep.db import insert_first
from hep.errors import Conflict, HepError, Invalid, NotFound
from hep.habits import check_amount
from hep.languages import DEFAULT
from hep.library import exercise_name
from hep.models import (
    CheckIn,
    CheckInEdit,
    Exercise,
    Habit,
    PainEntry,
    Program,
    ProgramItem,
    ProgramVersion,
    User,
)
from hep.models.library import tag_list, tag_string
from hep.timezones import local_date
from hep.translations import _, _n

ONE_SUBJECT = _("Choose one exercise or one habit.")
# what a +1 tap changes: the count, and the state it reaches
COUNTED = ("value", "state", "source")
# what a PUT body may set; the subject is fixed once created
CONTENT = ("local_date", "state", "value", "skip_reason", "pain", "difficulty", "note", "source")


class Gone(HepError):
    status = 410


@dataclass(frozen=True)
class PutResult:
    check_in: CheckIn
    created: bool


def snapshot(check_in: CheckIn) -> dict[str, Any]:
    data = {f: getattr(check_in, f) for f in CONTENT}
    data["local_date"] = check_in.local_date.isoformat()
    return data


def _check_subject(session: Session, owner: User, body: dict[str, Any]) -> None:
    item_key, habit_id = body.get("item_key"), body.get("habit_id")
    if (item_key is None) == (habit_id is None):
        raise Invalid.field("item_key", ONE_SUBJECT)
    if habit_id is not None:
        habit = session.get(Habit, habit_id)
        if habit is None or habit.owner_id != owner.id:
            raise Invalid.field("habit_id", _("No such habit."))
        return
    found = session.scalar(
        select(ProgramItem.id)
        .join(ProgramVersion, ProgramVersion.id == ProgramItem.version_id)
        .join(Program, Program.id == ProgramVersion.program_id)
        .where(Program.patient_id == owner.id, ProgramItem.item_key == item_key)
        .limit(1)
    )
    if found is None:
        raise Invalid.field("item_key", _("No such program item."))


def _check_amount(
    session: Session, owner: User, client_id: uuid.UUID, habit_id: Any, body: dict[str, Any]
) -> None:
    """A habit's amount is bounded by its kind and unit, over the day's whole total (the other
    check-ins of that habit and day, from another phone, count too)."""
    value = body.get("value")
    if habit_id is None or value is None:
        return
    habit = session.get(Habit, habit_id)
    if habit is None:
        return  # refused as no such habit elsewhere
    others = session.scalar(
        select(func.coalesce(func.sum(CheckIn.value), 0)).where(
            CheckIn.owner_id == owner.id,
            CheckIn.habit_id == habit_id,
            CheckIn.local_date == body["local_date"],
            CheckIn.deleted_at.is_(None),
            CheckIn.client_id != client_id,
        )
    )
    check_amount(habit, value + float(others or 0), "value")


def _check_state(body: dict[str, Any]) -> None:
    if body["state"] == "skipped" and not body.get("skip_reason"):
        raise Invalid.field("skip_reason", _("Say why it was skipped."))
    if body["state"] != "skipped" and body.get("skip_reason"):
        raise Invalid.field("skip_reason", _("Only a skipped check-in has a reason."))


def _check_date(
    owner: User, day: dt.date, now: dt.datetime, window_days: int, field: str = "local_date"
) -> None:
    today = local_date(now, owner.timezone)
    if day > today:
        raise Invalid.field(field, _("That day has not come yet."))
    if day < today - dt.timedelta(days=window_days):
        raise Conflict(
            _n(
                "Only the last day can be logged or corrected.",
                "Only the last {count} days can be logged or corrected.",
                window_days,
            )
        )


def _audit(
    session: Session,
    check_in: CheckIn,
    editor: User,
    action: str,
    before: dict[str, Any] | None,
    now: dt.datetime,
) -> None:
    """Append to the edit trail; a deleted check-in has no "after"."""
    after = None if action == "delete" else snapshot(check_in)
    session.add(
        CheckInEdit(
            check_in_id=check_in.id,
            editor_id=editor.id,
            action=action,
            before=before,
            after=after,
            at=now,
        )
    )


def _locked_check_in(session: Session, owner: User, client_id: uuid.UUID) -> CheckIn | None:
    # locked until commit, so racing edits of one check-in each see the one before
    return session.scalar(
        select(CheckIn)
        .where(CheckIn.owner_id == owner.id, CheckIn.client_id == client_id)
        .with_for_update(key_share=True)
    )


def put_check_in(
    session: Session,
    owner: User,
    client_id: uuid.UUID,
    body: dict[str, Any],
    *,
    now: dt.datetime,
    window_days: int,
) -> PutResult:
    """Create (first PUT), replay (identical body: no change) or edit (audited, within the window).
    A deleted check-in stays deleted: a late replay gets 410. Racing PUTs of one new id (a retry
    on a second connection) make one row: the others find it and replay or edit it."""
    existing = _locked_check_in(session, owner, client_id)
    _check_state(body)
    if existing is None:
        _check_subject(session, owner, body)
        _check_date(owner, body["local_date"], now, window_days)
        _check_amount(session, owner, client_id, body.get("habit_id"), body)
        check_in = CheckIn(
            owner_id=owner.id,
            client_id=client_id,
            item_key=body.get("item_key"),
            habit_id=body.get("habit_id"),
            created_at=now,
            updated_at=now,
            **{f: body.get(f) for f in CONTENT if f not in ("note", "source")},
            note=body.get("note", ""),
            source=body.get("source", "app"),
        )
        if insert_first(session, check_in):
            _audit(session, check_in, owner, "create", None, now)
            return PutResult(check_in, True)
        existing = _locked_check_in(session, owner, client_id)
        assert existing is not None  # the racer that created it has committed
    if existing.deleted_at is not None:
        raise Gone(_("This check-in was deleted."))
    if body.get("item_key") != existing.item_key or body.get("habit_id") != existing.habit_id:
        raise Conflict(_("A check-in's exercise or habit cannot change; log a new one instead."))
    wanted = {f: body.get(f, "" if f == "note" else None) for f in CONTENT}
    wanted["source"] = body.get("source", existing.source)
    before = snapshot(existing)
    changed = {f: v for f, v in wanted.items() if f != "source" and getattr(existing, f) != v}
    if not changed:
        return PutResult(existing, False)
    _check_date(owner, existing.local_date, now, window_days)
    _check_date(owner, body["local_date"], now, window_days)
    _check_amount(session, owner, client_id, existing.habit_id, body)
    for field, value in changed.items():
        setattr(existing, field, value)
    existing.updated_at = now
    _audit(session, existing, owner, "edit", before, now)
    session.flush()
    return PutResult(existing, False)


def delete_check_in(
    session: Session, owner: User, client_id: uuid.UUID, *, now: dt.datetime, window_days: int
) -> None:
    check_in = session.scalar(
        select(CheckIn).where(CheckIn.owner_id == owner.id, CheckIn.client_id == client_id)
    )
    if check_in is None:
        raise NotFound()
    if check_in.deleted_at is not None:
        return
    _check_date(owner, check_in.local_date, now, window_days)
    check_in.deleted_at = now
    _audit(session, check_in, owner, "delete", snapshot(check_in), now)
    session.flush()


def history(
    session: Session, owner_id: uuid.UUID, start: dt.date, end: dt.date
) -> Sequence[CheckIn]:
    return session.scalars(
        select(CheckIn)
        .where(
            CheckIn.owner_id == owner_id,
            CheckIn.local_date >= start,
            CheckIn.local_date <= end,
            CheckIn.deleted_at.is_(None),
        )
        .order_by(CheckIn.local_date.desc(), CheckIn.created_at.desc())
    ).all()


def edit_trail(
    session: Session, owner_id: uuid.UUID, start: dt.date, end: dt.date
) -> Sequence[tuple[CheckInEdit, CheckIn]]:
    """Every create/edit/delete of the owner's check-ins for days in the range, newest first."""
    rows = session.execute(
        select(CheckInEdit, CheckIn)
        .join(CheckIn, CheckIn.id == CheckInEdit.check_in_id)
        .where(CheckIn.owner_id == owner_id, CheckIn.local_date >= start, CheckIn.local_date <= end)
        .order_by(CheckInEdit.at.desc(), CheckInEdit.id.desc())
    ).all()
    return [(e, c) for e, c in rows]


def change_kind(edit: CheckInEdit, check_in: CheckIn, timezone: str) -> str:
    """What a change in the trail was: logged (its first write), removed, added (a habit's
    count raised on its own day, like a +1 tap: not a change of the past) or corrected
    (anything else: a past day, a lower count, another state, pain or note)."""
    if edit.action == "create":
        return "logged"
    if edit.action == "delete":
        return "removed"
    before, after = edit.before or {}, edit.after or {}
    old, new = before.get("value"), after.get("value")
    raised = check_in.habit_id is not None and old is not None and new is not None and new > old
    alike = all(before.get(f) == after.get(f) for f in CONTENT if f not in COUNTED)
    on_its_day = local_date(edit.at, timezone).isoformat() == after.get("local_date")
    return "added" if raised and alike and on_its_day else "corrected"


def subject_names(
    session: Session, check_ins: Sequence[CheckIn], language: str = DEFAULT
) -> dict[uuid.UUID, str]:
    """Check-in id -> the name of its habit or exercise (an exercise as its program's newest
    version names it, for a reader of `language`), in two queries."""
    habit_ids = {c.habit_id for c in check_ins if c.habit_id is not None}
    item_keys = {c.item_key for c in check_ins if c.item_key is not None}
    names: dict[uuid.UUID, str] = {}
    if habit_ids:
        habits = select(Habit.id, Habit.name).where(Habit.id.in_(habit_ids))
        names.update((id_, name) for id_, name in session.execute(habits))
    if item_keys:
        items = (
            select(ProgramItem.item_key, Exercise.slug, Exercise.name)
            .join(Exercise, Exercise.id == ProgramItem.exercise_id)
            .join(ProgramVersion, ProgramVersion.id == ProgramItem.version_id)
            .where(ProgramItem.item_key.in_(item_keys))
            .order_by(ProgramVersion.version)
        )
        names.update(  # newest wins
            (key, exercise_name(slug, name, language)) for key, slug, name in session.execute(items)
        )
    return {
        c.id: names[subject]
        for c in check_ins
        if (subject := c.habit_id or c.item_key) is not None and subject in names
    }


def put_pain(
    session: Session,
    owner: User,
    day: dt.date,
    body: dict[str, Any],
    *,
    now: dt.datetime,
    window_days: int,
) -> tuple[PainEntry, bool]:
    """The day's pain entry, created or replaced; (entry, created). PUT is idempotent per day:
    the same body again (or racing) changes nothing, so every racer gets the same entry."""
    _check_date(owner, day, now, window_days, field="day")
    wanted = {
        "score": body["score"],
        "regions": tag_string(sorted(set(body.get("regions", [])))),
        "note": body.get("note", ""),
    }
    entry = _locked_pain(session, owner, day)
    if entry is None:
        entry = PainEntry(owner_id=owner.id, local_date=day, created_at=now, updated_at=now)
        for field, value in wanted.items():
            setattr(entry, field, value)
        if insert_first(session, entry):
            return entry, True
        entry = _locked_pain(session, owner, day)
        assert entry is not None  # the racer that created it has committed
    if any(getattr(entry, field) != value for field, value in wanted.items()):
        for field, value in wanted.items():
            setattr(entry, field, value)
        entry.updated_at = now
        session.flush()
    return entry, False


def _locked_pain(session: Session, owner: User, day: dt.date) -> PainEntry | None:
    return session.scalar(
        select(PainEntry)
        .where(PainEntry.owner_id == owner.id, PainEntry.local_date == day)
        .with_for_update(key_share=True)
    )


def pain_diary(
    session: Session, owner_id: uuid.UUID, start: dt.date, end: dt.date
) -> Sequence[PainEntry]:
    return session.scalars(
        select(PainEntry)
        .where(
            PainEntry.owner_id == owner_id,
            PainEntry.local_date >= start,
            PainEntry.local_date <= end,
        )
        .order_by(PainEntry.local_date.desc())
    ).all()


def pain_view(entry: PainEntry) -> dict[str, Any]:
    return {
        "local_date": entry.local_date,
        "score": entry.score,
        "regions": tag_list(entry.regions),
        "note": entry.note,
        "updated_at": entry.updated_at,
    }


@export_section
def _export_check_ins(session: Session, user: User) -> tuple[str, Any]:
    rows = session.scalars(
        select(CheckIn).where(CheckIn.owner_id == user.id).order_by(CheckIn.local_date)
    )
    return "check_ins", [
        {
            "id": str(c.client_id),
            "item_key": str(c.item_key) if c.item_key else None,
            "habit_id": str(c.habit_id) if c.habit_id else None,
            **snapshot(c),
            "deleted": c.deleted_at is not None,
            "created_at": c.created_at.isoformat(),
            "updated_at": c.updated_at.isoformat(),
        }
        for c in rows
    ]


@export_section
def _export_pain(session: Session, user: User) -> tuple[str, Any]:
    rows = session.scalars(
        select(PainEntry).where(PainEntry.owner_id == user.id).order_by(PainEntry.local_date)
    )
    return "pain_diary", [
        {
            "local_date": e.local_date.isoformat(),
            "score": e.score,
            "regions": tag_list(e.regions),
            "note": e.note,
        }
        for e in rows
    ]
