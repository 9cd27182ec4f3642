"""The pages a mail's links open, without signing in: "mark as done" and unsubscribe. A GET
only shows what the button will do (mail scanners follow links); the POST acts. Unsubscribe
also takes RFC 8058's one-click POST straight from the mail program. A page speaks the
language of the user its token names, else the browser's."""

from __future__ import annotations

import uuid

from flask import Blueprint, Response, current_app, request

from hep.clock import utcnow
from hep.db import db, immediate_transactions
from hep.errors import HepError
from hep.languages import request_language, supported
from hep.mail.letters import render
from hep.mail.links import MailLinks
from hep.models import Occurrence, User
from hep.reminders.occurrences import mark_done
from hep.reminders.rules import settings_of
from hep.translations import Text, _

blp = Blueprint("mail_pages", __name__, url_prefix="/mail")

LISTS = {
    "reminders": _("reminder emails"),
    "attention_digest": _("daily emails about your attention list"),
    "message_notice": _("emails telling you of a new message"),
}


def _links() -> MailLinks:
    return MailLinks.from_config(current_app.config)


def _language(user_id: uuid.UUID | None) -> str:
    """The language of the user a token names, else the request's."""
    user = db.session.get(User, user_id) if user_id is not None else None
    return supported(user.language) if user is not None else request_language()


def _page(
    language: str,
    title: Text,
    *lines: Text,
    status: int = 200,
    action: str | None = None,
    token: str | None = None,
    button: Text | None = None,
) -> tuple[str, int]:
    """A page in `language`; with `action`, a form posting `token` under `button`."""
    html = render(
        "pages/page.html",
        language,
        title=title,
        lines=lines,
        action=action,
        token=token,
        button=button,
    )
    return html, status


def _token() -> str:
    return str(request.values.get("t", ""))[:400]


_EXPIRED = (_("This link has expired or is not valid."), _("Open hep to see what is due today."))


def _owner(occurrence_id: uuid.UUID) -> uuid.UUID | None:
    occurrence = db.session.get(Occurrence, occurrence_id)
    return occurrence.owner_id if occurrence is not None else None


@blp.route("/done", methods=["GET", "POST"])
def done() -> tuple[str, int] | Response:
    token = _token()
    occurrence_id = _links().read_done(token)
    if occurrence_id is None:
        return _page(request_language(), _("Link expired"), *_EXPIRED, status=404)
    language = _language(_owner(occurrence_id))
    if request.method == "GET":
        return _page(
            language,
            _("Mark as done?"),
            _("Log this reminder's exercises or habit as done today, as prescribed."),
            action="/mail/done",
            token=token,
            button=_("Mark as done"),
        )
    db.session.rollback()  # the claim below reads afresh
    with immediate_transactions():
        occurrence = db.session.get(Occurrence, occurrence_id)
        owner = db.session.get(User, occurrence.owner_id) if occurrence else None
        if occurrence is None or owner is None or not owner.is_active:
            db.session.rollback()
            return _page(language, _("Link expired"), *_EXPIRED, status=404)
        try:
            mark_done(
                db.session,
                owner,
                occurrence_id,
                now=utcnow(),
                window_days=current_app.config["CHECKIN_EDIT_DAYS"],
            )
        except HepError:
            db.session.rollback()
            return _page(
                language, _("Could not log this"), _("Open hep to log it there."), status=409
            )
        db.session.commit()
    return _page(
        language,
        _("Done"),
        _("Logged. Well done!"),
        _("Open hep to see the rest of your day."),
    )


@blp.route("/unsubscribe", methods=["GET", "POST"])
def unsubscribe() -> tuple[str, int]:
    token = _token()
    found = _links().read_unsubscribe(token)
    if found is None:
        return _page(
            request_language(),
            _("Link not valid"),
            _("Change which emails you get in hep's settings."),
            status=404,
        )
    user_id, what = found
    language = _language(user_id)
    if request.method == "GET":
        return _page(
            language,
            _("Stop these emails?"),
            _(
                "You will get no more {lists} from hep. You can turn them on again in hep.",
                lists=LISTS[what],
            ),
            action=f"/mail/unsubscribe?t={token}",
            token=token,
            button=_("Stop these emails"),
        )
    db.session.rollback()
    with immediate_transactions():
        user = db.session.get(User, user_id)
        if user is not None:
            settings = settings_of(db.session, user)
            if what == "reminders":
                settings.email_reminders = "off"
            elif what == "message_notice":
                settings.email_notices = False
            else:
                settings.alert_email = False
            db.session.commit()
    return _page(
        language, _("Unsubscribed"), _("You will get no more {lists} from hep.", lists=LISTS[what])
    )
