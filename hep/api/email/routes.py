"""Email endpoints: forgotten passwords, verifying an address, links a therapist or a clinic
admin has mailed."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from flask import current_app
from flask.views import MethodView
from flask_smorest import Blueprint
from sqlalchemy import select

from hep.accounts import hash_token, issue_sign_in_link, normalize_email
from hep.addresses import VERIFY_LIFETIME, start_verification, verify
from hep.api.access import client_address, current_user, public, requires
from hep.api.email.schemas import Accepted, MailedLink, ResetRequest, Verified
from hep.attempts import count_attempt
from hep.care import patient_of
from hep.clinic_invites import resend_clinic_invite
from hep.clock import utcnow
from hep.db import db
from hep.errors import Conflict
from hep.invites import resend_invite
from hep.languages import DEFAULT, date_text, request_language, supported, time_text
from hep.mail.letters import write
from hep.mail.outbox import enqueue
from hep.models import Clinic, ClinicRole, Role, User
from hep.translations import _

blp = Blueprint("email", __name__, url_prefix="/api", description="Email and account recovery")

RESET_LIFETIME = dt.timedelta(hours=1)
RESET_ANSWER = (
    "If an account uses this address, a link to choose a new password is on its way. "
    "It works once, within an hour."
)


def _mail_on() -> None:
    if not current_app.config.get("SMTP_HOST"):
        raise Conflict(
            _(
                "This server does not send email. Ask your therapist or the administrator for a "
                "sign-in link."
            )
        )


def _base() -> str:
    return str(current_app.config["BASE_URL"]).rstrip("/")


def _send(kind: str, user: User | None, recipient: str, language: str, **values: Any) -> None:
    """Queue a mail in its reader's language (a user's, else the request's)."""
    letter = write(kind, base_url=_base(), language=language, **values)
    enqueue(
        db.session,
        letter,
        recipient=recipient,
        user=user,
        sender=current_app.config["SMTP_FROM"],
        now=utcnow(),
    )


def _limits(*keys: tuple[str, int]) -> None:
    count_attempt(
        db.session,
        dict(keys),
        window=dt.timedelta(seconds=current_app.config["LOGIN_WINDOW_SECONDS"]),
        now=utcnow(),
        message="Too many requests for email; try again later.",
    )
    # counted whatever follows, like a sign-in attempt
    db.session.commit()


def _expires(when: dt.datetime, language: str) -> str:
    """When a link expires, in UTC, as its reader writes a date and a time."""
    if supported(language) == DEFAULT:
        return when.strftime("%d %B %Y, %H:%M UTC")
    moment = when.astimezone(dt.UTC)
    return f"{date_text(moment.date(), language)}, {time_text(moment, language)} UTC"


@blp.route("/auth/password-reset")
class PasswordReset(MethodView):
    @public
    @blp.arguments(ResetRequest)
    @blp.response(202, Accepted)
    def post(self, body: dict[str, str]) -> Any:
        """Forgot your password? A single-use link to choose a new one goes to the address,
        if an account uses it (the answer is the same either way)"""
        _mail_on()
        email = normalize_email(body["email"])
        cfg = current_app.config
        _limits(
            (f"reset-account:{hash_token(email)}", 3),
            (f"reset-address:{client_address()}", cfg["LOGIN_LIMIT_ADDRESS"]),
        )
        now = utcnow()
        user = db.session.scalar(select(User).where(User.email == email))
        if user is not None and user.is_active:
            _link, code = issue_sign_in_link(
                db.session, user, issued_by=user, lifetime=RESET_LIFETIME, now=now
            )
            _send(
                "password_reset",
                user,
                user.email,
                user.language,
                link=f"{_base()}/#/reset/{code}",
                minutes=int(RESET_LIFETIME.total_seconds() // 60),
            )
            db.session.commit()
        return {"message": RESET_ANSWER}


@blp.route("/me/email-verification")
class EmailVerificationRequest(MethodView):
    @blp.response(202, Accepted)
    @requires()
    def post(self) -> Any:
        """Mail me a link that confirms my address (needed for email reminders and digests)"""
        _mail_on()
        user = current_user()
        if user.email_verified_at is not None:
            raise Conflict(_("Your address is confirmed already."))
        _limits((f"verify:{user.id}", 5))
        code = start_verification(db.session, user, utcnow())
        _send(
            "verify_email",
            user,
            user.email,
            user.language,
            link=f"{_base()}/#/verify-email/{code}",
            hours=int(VERIFY_LIFETIME.total_seconds() // 3600),
        )
        db.session.commit()
        return {"message": f"A confirmation link is on its way to {user.email}."}


@blp.route("/email-verifications/<string(maxlength=64):code>")
class EmailVerification(MethodView):
    @public
    @blp.response(200, Verified)
    def post(self, code: str) -> Any:
        """Confirm an address with the link mailed to it (works once, signed in or not)"""
        verify(db.session, code, utcnow())
        db.session.commit()
        return {"email_verified": True}


@blp.route("/patients/<uuid:patient_id>/invite/email")
class MailedInvite(MethodView):
    @blp.response(202, MailedLink)
    @requires(Role.THERAPIST)
    def post(self, patient_id: uuid.UUID) -> Any:
        """Have hep mail a new invite link to the patient (the previous link stops working)"""
        _mail_on()
        now = utcnow()
        invite, code = resend_invite(
            db.session,
            current_user(),
            patient_id,
            invite_lifetime=dt.timedelta(days=current_app.config["INVITE_DAYS"]),
            now=now,
        )
        patient = db.session.get_one(User, invite.patient_id)
        url = f"{_base()}/#/invite/{code}"
        language = patient.language
        expires = _expires(invite.expires_at, language)
        _send("invite", patient, patient.email, language, link=url, expires=expires)
        db.session.commit()
        return {"url": url, "expires_at": invite.expires_at, "email": patient.email}


@blp.route("/patients/<uuid:patient_id>/sign-in-link/email")
class MailedSignInLink(MethodView):
    @blp.response(202, MailedLink)
    @requires(Role.THERAPIST)
    def post(self, patient_id: uuid.UUID) -> Any:
        """Have hep mail your patient a new sign-in link (lost password, new phone)"""
        _mail_on()
        therapist = current_user()
        patient = patient_of(db.session, therapist, patient_id)
        link, code = issue_sign_in_link(
            db.session,
            patient,
            issued_by=therapist,
            lifetime=dt.timedelta(hours=current_app.config["SIGN_IN_LINK_HOURS"]),
            now=utcnow(),
        )
        url = f"{_base()}/#/sign-in-link/{code}"
        _send(
            "sign_in_link",
            patient,
            patient.email,
            patient.language,
            link=url,
            expires=_expires(link.expires_at, patient.language),
        )
        db.session.commit()
        return {"url": url, "expires_at": link.expires_at, "email": patient.email}


@blp.route("/clinics/<uuid:clinic_id>/invites/<uuid:invite_id>/email")
class MailedClinicInvite(MethodView):
    @blp.response(202, MailedLink)
    @requires(Role.THERAPIST, Role.ADMIN)
    def post(self, clinic_id: uuid.UUID, invite_id: uuid.UUID) -> Any:
        """Have hep mail a clinic invite (a new link to the same address and role; the previous
        one stops working); the clinic's admins, site admins"""
        _mail_on()
        invite, code = resend_clinic_invite(
            db.session,
            current_user(),
            clinic_id,
            invite_id,
            lifetime=dt.timedelta(days=current_app.config["INVITE_DAYS"]),
            now=utcnow(),
        )
        clinic = db.session.get_one(Clinic, clinic_id)
        role = "admin" if invite.role is ClinicRole.ADMIN else "therapist"
        url = f"{_base()}/#/join-clinic/{code}"
        # the address's account's language, else (no account yet) the sender's
        reader = db.session.scalar(select(User).where(User.email == invite.email))
        language = reader.language if reader is not None else request_language()
        expires = _expires(invite.expires_at, language)
        _send(
            "clinic_invite",
            None,
            invite.email,
            language,
            link=url,
            clinic=clinic.name,
            role=role,
            expires=expires,
        )
        db.session.commit()
        return {"url": url, "expires_at": invite.expires_at, "email": invite.email}
