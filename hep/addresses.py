"""Email addresses: verified before hep mails anything but account mail to them. A
verification link is single use and expiring, and only its hash is stored."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Mapping
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from hep.accounts import hash_token
from hep.errors import Invalid, NotFound
from hep.models import EmailVerification, NotificationSettings, PushSubscription, Role, User
from hep.translations import _

VERIFY_LIFETIME = dt.timedelta(hours=48)
_GONE = _("This confirmation link is unknown, used or expired. Ask for a new one in the app.")


def can_mail(user: User) -> bool:
    """Reminders and digests go only to a verified address the server has not bounced."""
    return user.is_active and user.email_verified_at is not None


def start_verification(session: Session, user: User, now: dt.datetime) -> str:
    """A new verification code for the user's address (earlier ones stop working)."""
    session.execute(
        update(EmailVerification)
        .where(EmailVerification.user_id == user.id, EmailVerification.used_at.is_(None))
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    code = secrets.token_urlsafe(24)
    session.add(
        EmailVerification(
            user_id=user.id,
            email=user.email,
            code_hash=hash_token(code),
            created_at=now,
            expires_at=now + VERIFY_LIFETIME,
        )
    )
    session.flush()
    return code


def verify(session: Session, code: str, now: dt.datetime) -> User:
    """Mark the address the code was sent to as verified; the code is spent (once, however
    many use it at once). NotFound for an unknown, used or expired code."""
    found = session.execute(
        select(EmailVerification, User)
        .join(User, User.id == EmailVerification.user_id)
        .where(EmailVerification.code_hash == hash_token(code))
    ).first()
    if found is None:
        raise NotFound(_GONE)
    verification, user = found
    if verification.used_at or verification.expires_at <= now or verification.email != user.email:
        raise NotFound(_GONE)
    spent = session.execute(
        update(EmailVerification)
        .where(EmailVerification.id == verification.id, EmailVerification.used_at.is_(None))
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    if spent.rowcount != 1:  # type: ignore[attr-defined]
        raise NotFound(_GONE)
    user.email_verified_at = now
    user.email_bounced_at = None
    session.flush()
    return user


def update_mail_choices(
    session: Session,
    user: User,
    settings: NotificationSettings,
    changes: Mapping[str, Any],
    now: dt.datetime,
) -> None:
    """Email reminders (patients) and attention alerts (therapists) in the notification
    settings; mail goes only to a confirmed address, so choosing it needs one."""
    from hep.alerts import schedule_digest

    unconfirmed = _("Confirm your email address first (Account, Email).")
    if "email_reminders" in changes:
        if user.role != Role.PATIENT:
            raise Invalid.field("email_reminders", _("Email reminders are for patients."))
        if changes["email_reminders"] != "off" and user.email_verified_at is None:
            raise Invalid.field("email_reminders", unconfirmed)
        settings.email_reminders = changes["email_reminders"]
    patients = sorted({"email_digest_times", "email_notices"} & set(changes))
    if patients and user.role != Role.PATIENT:
        raise Invalid.field(patients[0], _("Reminder and message emails are for patients."))
    if changes.get("email_notices") and user.email_verified_at is None:
        raise Invalid.field("email_notices", unconfirmed)
    if "email_notices" in changes:
        settings.email_notices = changes["email_notices"]
    if "email_digest_times" in changes:
        from hep.reminders.digests import choose_times

        times = changes["email_digest_times"]
        choose_times(session, user.id, user.timezone, settings, times, now)
    alerts = sorted({"alert_push", "alert_email", "alert_time"} & set(changes))
    if alerts and user.role != Role.THERAPIST:
        raise Invalid.field(alerts[0], _("Attention alerts are for therapists."))
    if changes.get("alert_email") and user.email_verified_at is None:
        raise Invalid.field("alert_email", unconfirmed)
    for name in ("alert_push", "alert_email"):
        if name in changes:
            setattr(settings, name, changes[name])
    if "alert_time" in changes:
        settings.alert_time = changes["alert_time"].strftime("%H:%M")
    if alerts:
        schedule_digest(settings, user.timezone, now)
    session.flush()


def push_subscriptions(session: Session, user: User) -> int:
    return (
        session.scalar(
            select(func.count())
            .select_from(PushSubscription)
            .where(PushSubscription.user_id == user.id)
        )
        or 0
    )
