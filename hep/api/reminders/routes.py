"""Reminders and notification settings."""

from __future__ import annotations

import uuid
from typing import Any

from flask import Response
from flask.views import MethodView
from flask_smorest import Blueprint

from hep.addresses import push_subscriptions, update_mail_choices
from hep.api.access import current_user, patient_read_by_therapist, requires
from hep.api.paging import PageArgs
from hep.api.reminders.schemas import (
    HistoryOut,
    ReminderIn,
    ReminderOut,
    ReminderPatch,
    SettingsIn,
    SettingsOut,
    SnoozeIn,
)
from hep.clock import utcnow
from hep.db import db
from hep.models import Role
from hep.reminders.rules import (
    create_reminder,
    delete_reminder,
    propose_reminder,
    reminder_history,
    reminder_of,
    reminders_of,
    settings_of,
    snooze,
    update_reminder,
    update_settings,
)

blp = Blueprint("reminders", __name__, url_prefix="/api", description="Reminders")


@blp.route("/reminders")
class Reminders(MethodView):
    @blp.response(200, ReminderOut(many=True))
    @requires(Role.PATIENT)
    def get(self) -> Any:
        """Your reminders"""
        return reminders_of(db.session, current_user().id)

    @blp.arguments(ReminderIn)
    @blp.response(201, ReminderOut)
    @requires(Role.PATIENT)
    def post(self, body: dict[str, Any]) -> Any:
        """Add a reminder: local times on weekdays, or an interval window"""
        reminder = create_reminder(db.session, current_user(), body, utcnow())
        db.session.commit()
        return reminder


@blp.route("/reminders/<uuid:reminder_id>")
class ReminderResource(MethodView):
    @blp.response(200, ReminderOut)
    @requires(Role.PATIENT)
    def get(self, reminder_id: uuid.UUID) -> Any:
        """One reminder"""
        return reminder_of(db.session, current_user(), reminder_id)

    @blp.arguments(ReminderPatch)
    @blp.response(200, ReminderOut)
    @requires(Role.PATIENT)
    def patch(self, body: dict[str, Any], reminder_id: uuid.UUID) -> Any:
        """Change, pause (paused_until + pause_reason) or resume a reminder"""
        reminder = update_reminder(db.session, current_user(), reminder_id, body, utcnow())
        db.session.commit()
        return reminder

    @blp.response(204)
    @requires(Role.PATIENT)
    def delete(self, reminder_id: uuid.UUID) -> Response:
        """Delete a reminder"""
        delete_reminder(db.session, current_user(), reminder_id)
        db.session.commit()
        return Response(status=204)


@blp.route("/reminders/<uuid:reminder_id>/snooze")
class ReminderSnooze(MethodView):
    @blp.arguments(SnoozeIn)
    @blp.response(200, ReminderOut)
    @requires(Role.PATIENT)
    def post(self, body: dict[str, int], reminder_id: uuid.UUID) -> Any:
        """Remind again in a few minutes"""
        reminder = snooze(db.session, current_user(), reminder_id, body["minutes"], utcnow())
        db.session.commit()
        return reminder


@blp.route("/reminders/<uuid:reminder_id>/history")
class ReminderHistory(MethodView):
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, HistoryOut(many=True))
    @requires(Role.PATIENT)
    def get(self, page: dict[str, int], reminder_id: uuid.UUID) -> Any:
        """What happened to each occurrence of a reminder, and why it was not sent"""
        reminder = reminder_of(db.session, current_user(), reminder_id)
        return reminder_history(
            db.session, reminder, limit=page["page_size"], offset=page["offset"]
        )


@blp.route("/me/notification-settings")
class NotificationSettings(MethodView):
    @blp.response(200, SettingsOut)
    @requires()
    def get(self) -> Any:
        """Quiet hours, the daily cap, email reminders (patients) and attention alerts
        (therapists)"""
        user = current_user()
        settings = settings_of(db.session, user)
        db.session.commit()
        return _settings_view(settings, user)

    @blp.arguments(SettingsIn)
    @blp.response(200, SettingsOut)
    @requires()
    def patch(self, body: dict[str, Any]) -> Any:
        """Change quiet hours (local, may wrap midnight; null both to turn off), the cap,
        email reminders or attention alerts (email needs a confirmed address)"""
        user = current_user()
        settings = update_settings(db.session, user, body)
        update_mail_choices(db.session, user, settings, body, utcnow())
        db.session.commit()
        return _settings_view(settings, user)


def _settings_view(settings: Any, user: Any) -> dict[str, Any]:
    view = {
        name: getattr(settings, name)
        for name in SettingsOut().fields
        if name != "push_subscriptions"
    }
    view["push_subscriptions"] = push_subscriptions(db.session, user)
    view["email_digest_times"] = settings.email_digest_times.split(",")
    return view


@blp.route("/patients/<uuid:patient_id>/reminders")
class PatientReminders(MethodView):
    @blp.response(200, ReminderOut(many=True))
    @requires(Role.THERAPIST)
    def get(self, patient_id: uuid.UUID) -> Any:
        """A patient's reminders, with pauses and their reasons"""
        patient = patient_read_by_therapist(patient_id, "reminders")
        return reminders_of(db.session, patient.id)

    @blp.arguments(ReminderIn)
    @blp.response(201, ReminderOut)
    @requires(Role.THERAPIST)
    def post(self, body: dict[str, Any], patient_id: uuid.UUID) -> Any:
        """Propose a reminder to your patient (they can change or delete it)"""
        reminder = propose_reminder(db.session, current_user(), patient_id, body, utcnow())
        db.session.commit()
        return reminder


@blp.route("/patients/<uuid:patient_id>/reminders/<uuid:reminder_id>/history")
class PatientReminderHistory(MethodView):
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, HistoryOut(many=True))
    @requires(Role.THERAPIST)
    def get(self, page: dict[str, int], patient_id: uuid.UUID, reminder_id: uuid.UUID) -> Any:
        """What happened to each occurrence of a patient's reminder"""
        patient = patient_read_by_therapist(patient_id, "reminders")
        reminder = reminder_of(db.session, patient, reminder_id)
        return reminder_history(
            db.session, reminder, limit=page["page_size"], offset=page["offset"]
        )
