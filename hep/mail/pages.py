"""The pages a mail's links open, without signing in: "mark as done" and unsubscribe. A GET
only shows what the button will do (mail scanners follow links); the POST acts. Unsubscribe
also takes RFC 8058's one-click POST straight from the mail program."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, render_template, request

from hep.clock import utcnow
from hep.db import db, immediate_transactions
from hep.errors import HepError
from hep.mail.links import MailLinks
from hep.models import User
from hep.reminders.occurrences import mark_done
from hep.reminders.rules import settings_of

blp = Blueprint("mail_pages", __name__, url_prefix="/mail", template_folder="templates")

LISTS = {
    "reminders": "reminder emails",
    "attention_digest": "daily emails about your attention list",
    "message_notice": "emails telling you of a new message",
}


def _links() -> MailLinks:
    return MailLinks.from_config(current_app.config)


def _page(title: str, *lines: str, status: int = 200, **form: str) -> tuple[str, int]:
    html = render_template("pages/page.html", title=title, lines=lines, **form)
    return html, status


def _token() -> str:
    return str(request.values.get("t", ""))[:400]


_EXPIRED = ("This link has expired or is not valid.", "Open hep to see what is due today.")


@blp.route("/done", methods=["GET", "POST"])
def done() -> tuple[str, int] | Response:
    token = _token()
    occurrence_id = _links().read_done(token)
    if occurrence_id is None:
        return _page("Link expired", *_EXPIRED, status=404)
    if request.method == "GET":
        return _page(
            "Mark as done?",
            "Log this reminder's exercises or habit as done today, as prescribed.",
            action="/mail/done",
            token=token,
            button="Mark as done",
        )
    from hep.models import Occurrence

    with immediate_transactions():
        occurrence = db.session.get(Occurrence, occurrence_id)
        owner = db.session.get(User, occurrence.owner_id) if occurrence else None
        if occurrence is None or owner is None or not owner.is_active:
            db.session.rollback()
            return _page("Link expired", *_EXPIRED, status=404)
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
            return _page("Could not log this", "Open hep to log it there.", status=409)
        db.session.commit()
    return _page("Done", "Logged. Well done!", "Open hep to see the rest of your day.")


@blp.route("/unsubscribe", methods=["GET", "POST"])
def unsubscribe() -> tuple[str, int]:
    token = _token()
    found = _links().read_unsubscribe(token)
    if found is None:
        return _page("Link not valid", "Change which emails you get in hep's settings.", status=404)
    user_id, what = found
    if request.method == "GET":
        return _page(
            "Stop these emails?",
            f"You will get no more {LISTS[what]} from hep. You can turn them on again in hep.",
            action=f"/mail/unsubscribe?t={token}",
            token=token,
            button="Stop these emails",
        )
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
    return _page("Unsubscribed", f"You will get no more {LISTS[what]} from hep.")
