"""Messages: one thread per patient and their care team, plain text, a size cap and a rate
limit per writer; read state per reader; and the patient told of a team's new message with
generic words only (`notify`)."""

from __future__ import annotations

import datetime as dt
import math
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Table, and_, case, func, or_, select, update
from sqlalchemy.orm import Session

from hep.care import export_section, patients_of, therapists_of
from hep.db import dialect_insert, insert_first, lock_names
from hep.errors import Conflict, Throttled
from hep.models import Message, MessageRead, NotificationSettings, Role, User
from hep.reminders.schedule import in_quiet_hours, quiet_hours
from hep.timezones import zone
from hep.translations import _

MAX_LENGTH = 2000  # characters of one message
PER_HOUR = 20  # messages one writer may add to one thread in an hour
RATE_WINDOW = dt.timedelta(hours=1)
NOTICE_WITHIN = dt.timedelta(hours=24)  # an older message is not announced any more
NOTICE_BATCH = 200


@dataclass(frozen=True)
class Posted:
    message: Message
    created: bool


def _find(session: Session, author: User, client_id: uuid.UUID) -> Message | None:
    return session.scalar(
        select(Message).where(Message.author_id == author.id, Message.client_id == client_id)
    )


def _replay(found: Message, patient: User, body: str) -> Posted:
    if found.patient_id != patient.id or found.body != body:
        raise Conflict(_("This message id was used for another message."))
    return Posted(found, False)


def post_message(
    session: Session,
    author: User,
    patient: User,
    client_id: uuid.UUID,
    body: str,
    now: dt.datetime,
) -> Posted:
    """Add a message to the patient's thread: the patient, or a therapist of their team (the
    caller has checked that). Idempotent by the writer's id: the same message again is a
    replay; another body under that id a conflict. At most PER_HOUR new messages per writer
    and thread, counted under a lock so racing writers cannot pass it together."""
    lock_names(session, [f"messages:{author.id}:{patient.id}"])
    found = _find(session, author, client_id)
    if found is not None:
        return _replay(found, patient, body)
    from_patient = author.id == patient.id
    if from_patient and not therapists_of(session, patient):
        raise Conflict(_("You have no care team to write to."))
    since = now - RATE_WINDOW
    recent = session.scalars(
        select(Message.created_at)
        .where(
            Message.author_id == author.id,
            Message.patient_id == patient.id,
            Message.created_at > since,
        )
        .order_by(Message.created_at)
    ).all()
    if len(recent) >= PER_HOUR:
        wait = recent[len(recent) - PER_HOUR] + RATE_WINDOW - now
        raise Throttled(
            _("At most {per_hour} messages an hour; try again later.", per_hour=PER_HOUR),
            retry_after=max(1, math.ceil(wait.total_seconds())),
        )
    message = Message(
        client_id=client_id,
        patient_id=patient.id,
        author_id=author.id,
        author_name=author.name,
        from_patient=from_patient,
        body=body,
        created_at=now,
        # a patient's own message is nobody's news to push
        notified_at=now if from_patient else None,
    )
    if insert_first(session, message):
        return Posted(message, True)
    found = _find(session, author, client_id)
    assert found is not None  # the racer that created it has committed
    return _replay(found, patient, body)


def thread(
    session: Session, patient_id: uuid.UUID, *, before: int | None, limit: int
) -> list[Message]:
    """The newest `limit` messages of the thread (before the message numbered `before`, for
    older pages), oldest first."""
    query = select(Message).where(Message.patient_id == patient_id)
    if before is not None:
        query = query.where(Message.id < before)
    newest = session.scalars(query.order_by(Message.id.desc()).limit(limit)).all()
    return list(reversed(newest))


def read_up_to(session: Session, patient_id: uuid.UUID, reader: User) -> int:
    found = session.scalar(
        select(MessageRead.last_read_id).where(
            MessageRead.patient_id == patient_id, MessageRead.reader_id == reader.id
        )
    )
    return found or 0


def unread_count(session: Session, patient_id: uuid.UUID, reader: User) -> int:
    """Messages others wrote to the thread after what the reader has read."""
    marker = read_up_to(session, patient_id, reader)
    return int(
        session.scalar(
            select(func.count())
            .select_from(Message)
            .where(
                Message.patient_id == patient_id,
                Message.id > marker,
                or_(Message.author_id.is_(None), Message.author_id != reader.id),
            )
        )
        or 0
    )


def mark_read(
    session: Session, patient_id: uuid.UUID, reader: User, up_to: int, now: dt.datetime
) -> int:
    """The reader has read the thread up to message `up_to` (at most its newest). Marks only
    move forward, however racing reads land. Returns the mark."""
    newest = session.scalar(select(func.max(Message.id)).where(Message.patient_id == patient_id))
    mark = min(up_to, newest or 0)
    table = cast(Table, MessageRead.__table__)
    statement = dialect_insert(session)(table).values(
        patient_id=patient_id, reader_id=reader.id, last_read_id=mark, read_at=now
    )
    moved = statement.excluded.last_read_id > table.c.last_read_id
    session.execute(
        statement.on_conflict_do_update(
            index_elements=[table.c.patient_id, table.c.reader_id],
            set_={
                "last_read_id": case(
                    (moved, statement.excluded.last_read_id), else_=table.c.last_read_id
                ),
                "read_at": case((moved, statement.excluded.read_at), else_=table.c.read_at),
            },
        )
    )
    return read_up_to(session, patient_id, reader)


def unread_by_patient(session: Session, therapist: User) -> dict[uuid.UUID, int]:
    """For each of the therapist's patients (as hep.care says) with news: how many messages
    the therapist has not read. Two queries."""
    patients = [p.id for p in patients_of(session, therapist)]
    if not patients:
        return {}
    marker = func.coalesce(MessageRead.last_read_id, 0)
    rows = session.execute(
        select(Message.patient_id, func.count())
        .outerjoin(
            MessageRead,
            and_(
                MessageRead.patient_id == Message.patient_id,
                MessageRead.reader_id == therapist.id,
            ),
        )
        .where(
            Message.patient_id.in_(patients),
            Message.id > marker,
            or_(Message.author_id.is_(None), Message.author_id != therapist.id),
        )
        .group_by(Message.patient_id)
    ).all()
    return {patient_id: int(count) for patient_id, count in rows}


# --- telling the patient -------------------------------------------------------------------


def claim_notices(session: Session, now: dt.datetime) -> list[uuid.UUID]:
    """The patients to tell of new messages now, their messages marked told (an UPDATE that
    only takes rows still unclaimed, so two schedulers never both tell). A patient in their
    quiet hours waits for a later tick; one who has read the message already, or whose news
    is older than NOTICE_WITHIN, is not told. Flushes; the caller commits, then tells."""
    stale = Message.created_at <= now - NOTICE_WITHIN
    session.execute(
        update(Message).where(Message.notified_at.is_(None), stale).values(notified_at=now)
    )
    pending = session.execute(
        select(Message.id, Message.patient_id, User.timezone, MessageRead.last_read_id)
        .join(User, User.id == Message.patient_id)
        .outerjoin(
            MessageRead,
            and_(
                MessageRead.patient_id == Message.patient_id,
                MessageRead.reader_id == Message.patient_id,
            ),
        )
        .where(Message.notified_at.is_(None))
        .order_by(Message.id)
        .limit(NOTICE_BATCH)
    ).all()
    if not pending:
        return []
    settings = {
        s.user_id: s
        for s in session.scalars(
            select(NotificationSettings).where(
                NotificationSettings.user_id.in_({row.patient_id for row in pending})
            )
        )
    }
    ready: list[int] = []
    news: set[uuid.UUID] = set()
    for row in pending:
        quiet = quiet_hours(settings.get(row.patient_id))
        if quiet is not None and in_quiet_hours(quiet, zone(row.timezone), now):
            continue
        ready.append(row.id)
        if row.id > (row.last_read_id or 0):
            news.add(row.patient_id)
    if not ready:
        return []
    claimed = set(
        session.scalars(
            update(Message)
            .where(Message.id.in_(ready), Message.notified_at.is_(None))
            .values(notified_at=now)
            .returning(Message.patient_id)
        )
    )
    return sorted(claimed & news)


def notify(session: Session, config: Mapping[str, Any], now: dt.datetime) -> int:
    """The message notice tick: claim, commit, then tell each patient "You have a new
    message" (hep.notices). Returns how many were told."""
    from hep.notices import tell

    patients = claim_notices(session, now)
    session.commit()
    return tell(session, config, patients, "message", now) if patients else 0


@export_section
def _export_messages(session: Session, user: User) -> tuple[str, Any]:
    """A patient's thread; a therapist's own messages (in their patients' threads)."""
    mine = (
        Message.patient_id == user.id if user.role is Role.PATIENT else Message.author_id == user.id
    )
    return "messages", [
        {
            "id": str(m.client_id),
            "thread": str(m.patient_id),
            "author": m.author_name,
            "from_patient": m.from_patient,
            "body": m.body,
            "created_at": m.created_at.isoformat(),
        }
        for m in session.scalars(select(Message).where(mine).order_by(Message.id))
    ]
