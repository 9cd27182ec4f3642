"""The outbox of account mail (verification, password reset, invites, sign-in links): a
request writes the message in its own transaction and answers at once; the mail tick sends
it, retries what the server defers, and drops the message (and the link in it) once sent or
failed for good. A mail server that is slow or down never slows a request."""

from __future__ import annotations

import asyncio
import datetime as dt
import random
import uuid
from collections import Counter
from typing import NamedTuple

from sqlalchemy import and_, or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from hep.db import immediate_transactions
from hep.mail.letters import Letter, to_bytes
from hep.mail.smtp import MailResult, MailSettings, SmtpSender
from hep.models import OutgoingMail, User

LEASE = dt.timedelta(minutes=2)
MAX_ATTEMPTS = 8
BATCH = 200


def enqueue(
    session: Session,
    letter: Letter,
    *,
    recipient: str,
    user: User | None,
    sender: str,
    now: dt.datetime,
) -> OutgoingMail:
    """Queue a message for the mail tick; flushes."""
    mail = OutgoingMail(
        user_id=user.id if user is not None else None,
        kind=letter.kind,
        recipient=recipient,
        message=to_bytes(letter, sender=sender, recipient=recipient, now=now),
        status="pending",
        attempts=0,
        last_error="",
        next_attempt_at=now,
        created_at=now,
        updated_at=now,
    )
    session.add(mail)
    session.flush()
    return mail


class _Claimed(NamedTuple):
    id: uuid.UUID
    recipient: str
    message: bytes
    attempts: int


def _claim(session: Session, now: dt.datetime) -> list[_Claimed]:
    due = (
        select(OutgoingMail.id)
        .where(
            or_(
                and_(OutgoingMail.status == "pending", OutgoingMail.next_attempt_at <= now),
                and_(OutgoingMail.status == "sending", OutgoingMail.claimed_until < now),
            )
        )
        .order_by(OutgoingMail.next_attempt_at)
        .limit(BATCH)
    )
    if session.get_bind().dialect.name == "postgresql":
        due = due.with_for_update(skip_locked=True)
    with immediate_transactions():
        ids = list(
            session.scalars(
                update(OutgoingMail)
                .where(OutgoingMail.id.in_(due))
                .values(
                    status="sending",
                    claimed_until=now + LEASE,
                    attempts=OutgoingMail.attempts + 1,
                    updated_at=now,
                )
                .returning(OutgoingMail.id)
            )
        )
        rows = session.execute(
            select(
                OutgoingMail.id,
                OutgoingMail.recipient,
                OutgoingMail.message,
                OutgoingMail.attempts,
            ).where(OutgoingMail.id.in_(ids))
        ).all()
        session.commit()
    return [_Claimed._make(row) for row in rows if row.message is not None]


def backoff(attempts: int) -> dt.timedelta:
    """Wait before the next attempt: doubling from a minute, at most six hours, jittered."""
    seconds = min(6 * 3600.0, 60.0 * 2 ** (attempts - 1))
    return dt.timedelta(seconds=seconds * random.uniform(0.8, 1.2))


def mark_bounced(session: Session, address: str, now: dt.datetime) -> None:
    """The mail server says this mailbox does not exist: hep stops mailing it until it is
    verified again (and says so in the app)."""
    session.execute(
        update(User)
        .where(User.email == address)
        .values(email_verified_at=None, email_bounced_at=now)
        .execution_options(synchronize_session=False)
    )


def _record(session: Session, claimed: _Claimed, result: MailResult, now: dt.datetime) -> str:
    values: dict[str, object] = {
        "claimed_until": None,
        "updated_at": now,
        "smtp_code": result.code,
        "last_error": result.error[:120],
    }
    status = result.outcome
    if status == "retry" and claimed.attempts >= MAX_ATTEMPTS:
        status = "failed"
    if status == "retry":
        values.update(status="pending", next_attempt_at=now + backoff(claimed.attempts))
    else:
        values.update(status=status, message=None)
    if status == "gone":
        mark_bounced(session, claimed.recipient, now)
    session.execute(
        update(OutgoingMail)
        .where(OutgoingMail.id == claimed.id)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    return status


def send_pending(
    factory: sessionmaker[Session], settings: MailSettings, now: dt.datetime
) -> Counter[str]:
    """One pass of the mail tick: claim due mail in batches, send it over the pass's
    connections, and record each answer. Returns how many ended how."""
    report: Counter[str] = Counter()

    def claim() -> list[_Claimed]:
        with factory() as session:
            return _claim(session, now)

    def record(claimed: list[_Claimed], results: list[MailResult]) -> None:
        with factory() as session, immediate_transactions():
            for item, result in zip(claimed, results, strict=True):
                report[_record(session, item, result, now)] += 1
            session.commit()

    async def run() -> None:
        async with SmtpSender(settings) as sender:
            while True:
                claimed = await asyncio.to_thread(claim)
                if not claimed:
                    return
                results = await asyncio.gather(
                    *(sender.send(c.recipient, c.message) for c in claimed)
                )
                await asyncio.to_thread(record, claimed, results)
                if report["retry"] or len(claimed) < BATCH:
                    return  # the server defers: the rest waits for the next tick

    asyncio.run(run())
    return report
