"""Acting on a push: what it was about, done, snooze (used by the service worker)."""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask.views import MethodView
from flask_smorest import Blueprint

from hep.api.access import current_user, requires
from hep.api.notifications.schemas import LoggedOut, OccurrenceOut
from hep.api.reminders.schemas import ReminderOut, SnoozeIn
from hep.clock import utcnow
from hep.db import db
from hep.models import Role
from hep.reminders.occurrences import (
    due_entries,
    mark_done,
    occurrence_of,
    parse_id,
    snooze_occurrence,
)

blp = Blueprint(
    "notifications", __name__, url_prefix="/api/notifications", description="Acting on a push"
)


@blp.route("/<string(maxlength=36):occurrence>")
class Notification(MethodView):
    @blp.response(200, OccurrenceOut)
    @requires(Role.PATIENT)
    def get(self, occurrence: str) -> Any:
        """What a reminder push was about (the one-tap check-in page)"""
        user = current_user()
        found, reminder = occurrence_of(db.session, user, parse_id(occurrence))
        return {
            "id": found.id,
            "reminder_id": found.reminder_id,
            "fire_at": found.fire_at,
            "local_date": found.local_date,
            "outcome": found.outcome,
            "entries": due_entries(db.session, user, found, reminder),
        }


@blp.route("/<string(maxlength=36):occurrence>/done")
class NotificationDone(MethodView):
    @blp.response(200, LoggedOut)
    @requires(Role.PATIENT)
    def post(self, occurrence: str) -> Any:
        """Log everything the push was about as done as prescribed; safe to repeat"""
        logged = mark_done(
            db.session,
            current_user(),
            parse_id(occurrence),
            now=utcnow(),
            window_days=current_app.config["CHECKIN_EDIT_DAYS"],
        )
        db.session.commit()
        return {"logged": logged}


@blp.route("/<string(maxlength=36):occurrence>/snooze")
class NotificationSnooze(MethodView):
    @blp.arguments(SnoozeIn)
    @blp.response(200, ReminderOut)
    @requires(Role.PATIENT)
    def post(self, body: dict[str, int], occurrence: str) -> Any:
        """Snooze the reminder behind a push"""
        reminder = snooze_occurrence(
            db.session, current_user(), parse_id(occurrence), body["minutes"], utcnow()
        )
        db.session.commit()
        return reminder
