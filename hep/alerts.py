"""Therapist attention alerts: a patient entering the attention list for a reason that is
told (hep.attention.REASONS: not logging, pain, a flare-up, ...) is noted once while the
reason stays open (an acknowledgement closes it, so only news opens another), and the therapist
is told by a push to their own devices (outside their quiet hours) and/or in one email a day
at their chosen time. Neither says who or why in health terms: the push says someone needs
a look; the email names patients by initials with a generic reason (hep.mail.letters)."""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import delete, exists, select, update
from sqlalchemy.orm import Session

from hep import attention
from hep.attention import QUIET_DAYS
from hep.db import insert_first
from hep.languages import supported
from hep.models import (
    AdherenceSnapshot,
    AttentionAlert,
    CareLink,
    Discharge,
    NotificationSettings,
    PushSubscription,
    User,
)
from hep.reminders.schedule import in_quiet_hours, parse_time, quiet_hours
from hep.timezones import zone
from hep.translations import Text, _

PUSH_WITHIN = dt.timedelta(hours=24)
"""An alert not pushed by then (quiet hours, no device) is left to the list and the email."""


def schedule_digest(settings: NotificationSettings, tz_name: str, now: dt.datetime) -> None:
    """The next instant the therapist's daily email goes: their alert time, local."""
    if not settings.alert_email:
        settings.alert_digest_at = None
        return
    tz = zone(tz_name)
    local = now.astimezone(tz)
    at = parse_time(settings.alert_time or "08:00")
    day = local.date()
    for _attempt in range(3):
        candidate = dt.datetime.combine(day, at, tzinfo=tz).astimezone(dt.UTC)
        if candidate > now:
            settings.alert_digest_at = candidate
            return
        day += dt.timedelta(days=1)


def note_alerts(session: Session, now: dt.datetime) -> list[AttentionAlert]:
    """Compare every active care link's open attention reasons (from the snapshots the
    scheduler keeps fresh, read as the list reads them) with the open alerts: a newly open
    reason opens one (once: the open row is unique), a reason gone or acknowledged closes
    its alert. A discharged patient is off the attention list, so raises none. Returns the
    alerts opened now. Flushes."""
    rows = session.execute(
        select(
            CareLink.therapist_id,
            CareLink.patient_id,
            CareLink.created_at,
            *attention.states(AdherenceSnapshot),
        )
        .join(AdherenceSnapshot, AdherenceSnapshot.patient_id == CareLink.patient_id)
        .join(User, User.id == CareLink.patient_id)
        .where(CareLink.ended_at.is_(None), User.is_active, User.password_hash.is_not(None))
        .where(~exists().where(Discharge.patient_id == User.id, Discharge.readmitted_at.is_(None)))
    ).all()
    wanted: set[tuple[uuid.UUID, uuid.UUID, str]] = set()
    settled = now - dt.timedelta(days=QUIET_DAYS)
    for row in rows:
        open_now, _acknowledged = attention.explain(row._asdict())
        reasons = {name for name in open_now if attention.BY_NAME[name].alert}
        if row.created_at > settled:
            reasons.discard("not logging")  # a patient just added has not had the chance
        wanted.update((row.therapist_id, row.patient_id, reason) for reason in reasons)
    open_alerts = {
        (a.therapist_id, a.patient_id, a.reason): a.id
        for a in session.execute(
            select(
                AttentionAlert.id,
                AttentionAlert.therapist_id,
                AttentionAlert.patient_id,
                AttentionAlert.reason,
            ).where(AttentionAlert.cleared_at.is_(None))
        )
    }
    gone = [alert_id for key, alert_id in open_alerts.items() if key not in wanted]
    if gone:
        session.execute(
            update(AttentionAlert)
            .where(AttentionAlert.id.in_(gone))
            .values(cleared_at=now)
            .execution_options(synchronize_session=False)
        )
    opened = []
    for therapist_id, patient_id, reason in sorted(wanted - set(open_alerts)):
        alert = AttentionAlert(
            therapist_id=therapist_id, patient_id=patient_id, reason=reason, noted_at=now
        )
        if insert_first(session, alert):  # a racing scheduler noted it already otherwise
            opened.append(alert)
    session.flush()
    return opened


def _settings(session: Session, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, Any]:
    return {
        s.user_id: s
        for s in session.scalars(
            select(NotificationSettings).where(NotificationSettings.user_id.in_(ids))
        )
    }


def alerts_to_push(session: Session, now: dt.datetime) -> dict[uuid.UUID, list[AttentionAlert]]:
    """Open alerts not yet pushed, by therapist: those whose therapist wants pushes and is
    outside their quiet hours now (the rest wait for a later tick, up to PUSH_WITHIN)."""
    pending = list(
        session.scalars(
            select(AttentionAlert).where(
                AttentionAlert.cleared_at.is_(None),
                AttentionAlert.pushed_at.is_(None),
                AttentionAlert.noted_at > now - PUSH_WITHIN,
            )
        )
    )
    if not pending:
        return {}
    therapists = {
        t.id: t
        for t in session.scalars(select(User).where(User.id.in_({a.therapist_id for a in pending})))
    }
    settings = _settings(session, list(therapists))
    found: dict[uuid.UUID, list[AttentionAlert]] = defaultdict(list)
    for alert in pending:
        own = settings.get(alert.therapist_id)
        if own is not None and not own.alert_push:
            continue
        quiet = quiet_hours(own)
        therapist = therapists[alert.therapist_id]
        if quiet is not None and in_quiet_hours(quiet, zone(therapist.timezone), now):
            continue
        found[alert.therapist_id].append(alert)
    return found


TOLD = {
    "figures changed": _("figures changed"),
    "paused their exercises": _("paused their exercises"),
    "a program change to look at": _("a program change to look at"),
    "no check-ins for a few days": _("no check-ins for a few days"),
    "reminders cannot reach them": _("reminders cannot reach them"),
}
"""The words of each reason's `told` (hep.attention.REASONS), to be said in the reader's
language."""


def _told(reason: str) -> Text:
    """What the email says of a reason: generic words, never health details."""
    found = attention.BY_NAME.get(reason)
    told = found.told if found is not None else "figures changed"
    return TOLD.get(told, TOLD["figures changed"])


def initials(name: str) -> str | Text:
    """ "Ana K. Smith" -> "A. S.": who, for the reader who knows their patients, and no more."""
    parts = [p for p in name.replace(".", " ").split() if p[:1].isalpha()]
    if not parts:
        return _("A patient")
    picked = [parts[0], parts[-1]] if len(parts) > 1 else parts
    return " ".join(f"{p[0].upper()}." for p in picked)


def digests_due(session: Session, now: dt.datetime) -> list[tuple[User, list[dict[str, Any]]]]:
    """Therapists whose daily email is due, with the patients to list (alerts opened since
    the last email and still open); each alert is marked emailed and the next email
    scheduled. A therapist with nothing new gets no email. Flushes."""
    due = list(
        session.scalars(
            select(NotificationSettings).where(
                NotificationSettings.alert_email, NotificationSettings.alert_digest_at <= now
            )
        )
    )
    answer = []
    for settings in due:
        therapist = session.get(User, settings.user_id)
        if therapist is None:
            continue
        schedule_digest(settings, therapist.timezone, now)
        if not therapist.is_active or therapist.email_verified_at is None:
            continue
        alerts = list(
            session.scalars(
                select(AttentionAlert)
                .where(
                    AttentionAlert.therapist_id == therapist.id,
                    AttentionAlert.cleared_at.is_(None),
                    AttentionAlert.emailed_at.is_(None),
                )
                .order_by(AttentionAlert.noted_at)
            )
        )
        if not alerts:
            continue
        by_patient: dict[uuid.UUID, list[str]] = defaultdict(list)
        for alert in alerts:
            alert.emailed_at = now
            by_patient[alert.patient_id].append(alert.reason)
        rows = session.execute(select(User.id, User.name).where(User.id.in_(by_patient)))
        names = {row.id: row.name for row in rows}
        patients = [
            {
                "patient_id": patient_id,
                "reference": initials(names.get(patient_id, "")),
                # said in the therapist's language as the email is written
                "why": sorted({_told(reason) for reason in reasons}, key=lambda t: t.singular),
            }
            for patient_id, reasons in by_patient.items()
        ]
        answer.append((therapist, patients))
    session.flush()
    return answer


def run(session: Session, config: Mapping[str, Any], now: dt.datetime) -> Counter[str]:
    """The alerts tick: note new alerts, push them, queue the daily emails due. Commits."""
    from hep.mail.letters import write
    from hep.mail.links import MailLinks
    from hep.mail.outbox import enqueue

    report: Counter[str] = Counter()
    report["noted"] = len(note_alerts(session, now))
    session.commit()
    base = str(config["BASE_URL"]).rstrip("/")
    pushes = alerts_to_push(session, now)
    if pushes and config.get("VAPID_PRIVATE_KEY"):
        report["pushed"] = _push(session, config, pushes, base, now)
    session.commit()
    if config.get("SMTP_HOST"):
        links = MailLinks.from_config(config)
        for therapist, patients in digests_due(session, now):
            for patient in patients:
                patient["url"] = f"{base}/#/patients/{patient.pop('patient_id')}"
            letter = write(
                "attention_digest",
                base_url=base,
                language=therapist.language,
                unsubscribe_url=links.unsubscribe_url(therapist.id, "attention_digest"),
                patients=patients,
            )
            enqueue(
                session,
                letter,
                recipient=therapist.email,
                user=therapist,
                sender=config["SMTP_FROM"],
                now=now,
            )
            report["emailed"] += 1
    session.commit()
    return report


def _push(
    session: Session,
    config: Mapping[str, Any],
    pushes: dict[uuid.UUID, list[AttentionAlert]],
    base: str,
    now: dt.datetime,
) -> int:
    """One push per therapist device for each therapist's new alerts (a few at most)."""
    from hep.push.keys import load_vapid_keys
    from hep.push.payload import attention_payload
    from hep.push.sender import PushMessage, PushSender
    from hep.push.subscriptions import policy_from_config

    found = session.execute(
        select(PushSubscription, User.language)
        .join(User, User.id == PushSubscription.user_id)
        .where(PushSubscription.user_id.in_(pushes))
    ).all()
    subscriptions = [sub for sub, _language in found]
    messages = [
        PushMessage(
            key=str(sub.id),
            endpoint=sub.endpoint,
            p256dh=sub.p256dh,
            auth=sub.auth,
            payload=attention_payload(
                alert_id=pushes[sub.user_id][0].id.hex,
                navigate_url=f"{base}/#/patients",
                language=supported(language),
            ),
            ttl=12 * 3600,
            urgency="normal",
            topic=None,
        )
        for sub, language in found
    ]

    async def send() -> list[Any]:
        async with PushSender(
            load_vapid_keys(config["VAPID_PRIVATE_KEY"]),
            subject=config["VAPID_SUBJECT"],
            policy=policy_from_config(config),
        ) as sender:
            return await sender.send_many(messages)

    results = asyncio.run(send()) if messages else []
    gone = [sub.id for sub, result in zip(subscriptions, results, strict=True) if result.gone]
    if gone:
        session.execute(delete(PushSubscription).where(PushSubscription.id.in_(gone)))
    for alerts in pushes.values():
        for alert in alerts:
            alert.pushed_at = now
    return sum(1 for result in results if result.ok)
