"""The email channel: a patient's verified address is an address when they chose email
reminders (always, or as a fallback while no push subscription of theirs works); messages
become one mail per address per send, with generic wording, a one-tap "done" link per
reminder and one-click unsubscribe, sent by `hep.mail.smtp.SmtpSender`."""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import AsyncIterator, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar, NamedTuple

from babel import dates
from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from hep.channels import Outcome, Outgoing, Result
from hep.clock import utcnow
from hep.languages import DEFAULT, supported
from hep.mail.letters import REMINDER_WORDS, write
from hep.mail.letters import to_bytes as mail_bytes
from hep.mail.links import MailLinks
from hep.mail.outbox import mark_bounced
from hep.mail.smtp import MailResult, MailSettings, SmtpSender
from hep.models import NotificationSettings, PushSubscription, Role, User
from hep.push.payload import ASKING_WORDS
from hep.timezones import zone

EMAIL_MODES = ("off", "always", "fallback")
"""A patient's choice: no email reminders, email beside push, or email only while none of
their push subscriptions works (none registered, all gone, or a browser that cannot push)."""


class EmailAddress(NamedTuple):
    """A patient's verified address (its id is the user's: one address per account), with
    the zone and language the mail is written for."""

    id: uuid.UUID
    owner_id: uuid.UUID
    email: str
    timezone: str
    language: str = DEFAULT


_COLUMNS = (User.id, User.id, User.email, User.timezone, User.language)


def _reachable() -> Any:
    """Verified, active patients who chose email reminders; `fallback` only while they have
    no push subscription (the dispatcher asks at decision time)."""
    has_push = exists().where(PushSubscription.user_id == User.id)
    mode = NotificationSettings.email_reminders
    return (
        select(*_COLUMNS)
        .join(NotificationSettings, NotificationSettings.user_id == User.id)
        .where(
            User.is_active,
            User.role == Role.PATIENT,
            User.email_verified_at.is_not(None),
            (mode == "always") | ((mode == "fallback") & ~has_push),
        )
    )


@dataclass(frozen=True)
class EmailSettings:
    """The mail server, and what links in the mail need (picklable: workers receive it)."""

    kind: ClassVar[str] = "email"

    mail: MailSettings
    base_url: str
    links_secret: bytes = field(repr=False)

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> EmailSettings | None:
        mail = MailSettings.from_config(config)
        if mail is None or not config.get("VAPID_PRIVATE_KEY"):
            return None
        links = MailLinks.from_config(config)
        return cls(mail, links.base_url, links.secret)

    def open(self) -> EmailChannel:
        return EmailChannel(self)


class EmailChannel:
    """Email for one pass: a few SMTP connections, opened on the first send and reused."""

    kind: ClassVar[str] = "email"

    def __init__(self, settings: EmailSettings) -> None:
        self.settings = settings
        self.links = MailLinks(settings.links_secret, settings.base_url)
        self._sender = SmtpSender(settings.mail)
        self._open = False

    def addresses(
        self, session: Session, owner_ids: Collection[uuid.UUID]
    ) -> dict[uuid.UUID, list[EmailAddress]]:
        rows = session.execute(_reachable().where(User.id.in_(owner_ids)))
        return {row.id: [EmailAddress._make(row)] for row in map(EmailAddress._make, rows)}

    def addresses_by_id(
        self, session: Session, ids: Collection[uuid.UUID]
    ) -> dict[uuid.UUID, EmailAddress]:
        # a retry goes while the address is verified and email is still wanted; a push
        # subscription registered since does not cancel a fallback mail already decided
        rows = session.execute(
            select(*_COLUMNS)
            .join(NotificationSettings, NotificationSettings.user_id == User.id)
            .where(
                User.id.in_(ids),
                User.is_active,
                User.email_verified_at.is_not(None),
                NotificationSettings.email_reminders != "off",
            )
        )
        return {row.id: row for row in map(EmailAddress._make, rows)}

    def settle(
        self,
        session: Session,
        sent: Collection[uuid.UUID],
        gone: Collection[uuid.UUID],
        now: dt.datetime,
    ) -> None:
        if gone:
            emails = session.scalars(select(User.email).where(User.id.in_(gone)))
            for email in emails:
                mark_bounced(session, email, now)

    def mail_for(
        self, address: EmailAddress, deliveries: Sequence[Outgoing[EmailAddress]]
    ) -> bytes:
        """One message listing every reminder of these deliveries (same address), each at
        its own weekday and time (a digest may reach back to the evening before)."""
        now = utcnow()
        tz = zone(address.timezone)
        language = supported(address.language)
        reminders = [
            {
                "time": _when((d.message.at or now).astimezone(tz), language),
                "what": REMINDER_WORDS.get(d.message.kind, REMINDER_WORDS["general"]),
                # what asks (a weekly check-in, a questionnaire) is answered in the app
                "done_url": None
                if d.message.kind in ASKING_WORDS
                else self.links.done_url(uuid.UUID(hex=d.message.key)),
                "link": d.message.link,
            }
            for d in sorted(deliveries, key=lambda d: d.message.at or now)
        ]
        letter = write(
            "reminders",
            base_url=self.settings.base_url,
            language=language,
            unsubscribe_url=self.links.unsubscribe_url(address.owner_id, "reminders"),
            reminders=reminders,
        )
        return mail_bytes(
            letter, sender=self.settings.mail.sender, recipient=address.email, now=now
        )

    async def send(self, deliveries: Sequence[Outgoing[EmailAddress]]) -> AsyncIterator[Result]:
        if not self._open:
            await self._sender.__aenter__()
            self._open = True
        groups: dict[uuid.UUID, list[Outgoing[EmailAddress]]] = defaultdict(list)
        for delivery in deliveries:
            groups[delivery.address.id].append(delivery)

        async def one(group: list[Outgoing[EmailAddress]]) -> list[Result]:
            address = group[0].address
            answer = await self._sender.send(address.email, self.mail_for(address, group))
            return [_result(d.delivery_id, answer) for d in group]

        for done in asyncio.as_completed([one(group) for group in groups.values()]):
            for result in await done:
                yield result

    async def close(self) -> None:
        if self._open:
            await self._sender.__aexit__(None, None, None)
            self._open = False

    @property
    def connections_opened(self) -> int:
        return self._sender.connections_opened


def _when(moment: dt.datetime, language: str) -> str:
    """A reminder's weekday and time on the reader's clock, in their words: "Tue 08:00",
    "Di. 08:00", "mar 08:00"."""
    if language == DEFAULT:
        return f"{moment:%a %H:%M}"
    return dates.format_datetime(moment, "EEE HH:mm", tzinfo=moment.tzinfo, locale=language)


_OUTCOMES = {
    "sent": Outcome.SENT,
    "gone": Outcome.GONE,
    "retry": Outcome.RETRY,
    "failed": Outcome.FAILED,
}


def _result(delivery_id: uuid.UUID, answer: MailResult) -> Result:
    return Result(delivery_id, _OUTCOMES[answer.outcome], None, answer.code, answer.error)
