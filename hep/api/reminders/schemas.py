"""Bodies and answers of /api/reminders and notification settings."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from hep.api.changes import Changes
from hep.api.fields import UUID, Boolean, Date, Integer, Text, Time
from hep.api.labels import label_of
from hep.channels.email import EMAIL_MODES
from hep.models.reminders import MAX_DIGEST_TIMES
from hep.reminders.schedule import mask_to_weekdays
from hep.translations import _

Weekdays = fields.List(
    Integer(1, 7),
    validate=validate.Length(min=1, max=7),
    metadata={"description": "ISO weekdays, 1 = Monday ... 7 = Sunday"},
)


class TargetIn(Schema):
    kind = fields.String(required=True, validate=validate.OneOf(("habit", "program", "none")))
    habit_id = UUID()
    program_id = UUID()
    item_keys = fields.List(UUID(), validate=validate.Length(max=40))

    @validates_schema
    def _consistent(self, data: dict[str, Any], **kwargs: Any) -> None:
        kind = data.get("kind")
        if kind == "habit" and "habit_id" not in data:
            raise ValidationError([_("Choose the habit to be reminded of.")], "habit_id")
        if kind == "program" and "program_id" not in data:
            raise ValidationError([_("Choose the program to be reminded of.")], "program_id")


class RuleIn(Schema):
    type = fields.String(required=True, validate=validate.OneOf(("times", "interval")))
    times = fields.List(Time(), validate=validate.Length(min=1, max=48))
    weekdays = Weekdays
    every_minutes = Integer(5, 720)
    start = Time()
    end = Time()

    @validates_schema
    def _complete(self, data: dict[str, Any], **kwargs: Any) -> None:
        kind = data.get("type")
        if kind == "times" and not data.get("times"):
            raise ValidationError([_("Give at least one time.")], "times")
        if kind == "interval":
            for name in ("every_minutes", "start", "end"):
                if name not in data:
                    label = label_of("RuleIn", name)
                    raise ValidationError(
                        [_("{label}: needed for a reminder every few minutes.", label=label)], name
                    )


class ReminderIn(Schema):
    target = fields.Nested(TargetIn, load_default=lambda: {"kind": "none"})
    label = Text(validate=validate.Length(max=120))
    rule = fields.Nested(RuleIn, required=True)
    skip_if_done = Boolean()
    paused_until = Date(allow_none=True)
    pause_reason = Text(allow_none=True, validate=validate.Length(max=200))


class ReminderPatch(Changes, ReminderIn):
    """ReminderIn with every field optional; a target or rule given is replaced whole."""


class ReminderOut(Schema):
    id = fields.UUID()
    label = fields.String()
    target = fields.Function(
        lambda r: {
            "kind": r.target_kind,
            "habit_id": str(r.habit_id) if r.habit_id else None,
            "program_id": str(r.program_id) if r.program_id else None,
            "item_keys": r.item_keys,
        }
    )
    rule = fields.Function(
        lambda r: (
            {"type": "times", "times": r.times, "weekdays": mask_to_weekdays(r.weekdays)}
            if r.rule_type == "times"
            else {
                "type": "interval",
                "every_minutes": r.every_minutes,
                "start": r.window_start,
                "end": r.window_end,
                "weekdays": mask_to_weekdays(r.weekdays),
            }
        )
    )
    skip_if_done = fields.Boolean()
    paused_until = fields.Date(allow_none=True)
    pause_reason = fields.String()
    next_fire_at = fields.DateTime(allow_none=True)
    proposed_by_therapist = fields.Function(lambda r: r.proposed_by is not None)


class SnoozeIn(Schema):
    minutes = Integer(1, 24 * 60, required=True)


class SettingsIn(Changes):
    quiet_start = Time(allow_none=True)
    quiet_end = Time(allow_none=True)
    daily_cap = Integer(1, 48)
    email_reminders = fields.String(
        validate=validate.OneOf(EMAIL_MODES),
        metadata={
            "description": "patients: off; always (email beside push); fallback (email only "
            "while none of your push subscriptions works). Needs a confirmed address."
        },
    )
    email_digest_times = fields.List(
        Time(),
        validate=validate.Length(1, MAX_DIGEST_TIMES),
        metadata={
            "description": "patients: the local times email reminders come, the reminders of "
            "the hours before together in one mail (one in quiet hours waits for their end)"
        },
    )
    email_notices = Boolean(
        metadata={"description": "patients: 'You have a new message' by email too"}
    )
    alert_push = Boolean(metadata={"description": "therapists: a push as a patient needs you"})
    alert_email = Boolean(metadata={"description": "therapists: one email a day at alert_time"})
    alert_time = Time()


class SettingsOut(Schema):
    quiet_start = fields.String(allow_none=True)
    quiet_end = fields.String(allow_none=True)
    daily_cap = fields.Integer()
    email_reminders = fields.String()
    email_digest_times = fields.List(fields.String())
    email_notices = fields.Boolean()
    alert_push = fields.Boolean()
    alert_email = fields.Boolean()
    alert_time = fields.String()
    push_subscriptions = fields.Integer(
        metadata={"description": "your working push subscriptions (0: push cannot reach you)"}
    )


class HistoryOut(Schema):
    occurrence_id = fields.UUID()
    fire_at = fields.DateTime()
    local_date = fields.Date()
    outcome = fields.String(
        metadata={
            "description": "sent; grouped (carried by another reminder's push); done (already "
            "logged: skipped); not_due (a program reminder on a day nothing of the program is "
            "due: before its start date, after its end date, or not on that weekday); paused; "
            "quiet (quiet hours); capped (daily cap); missed (found after the grace window, "
            "e.g. after downtime); no_subscription"
        }
    )
    decided_at = fields.DateTime()
    pushes = fields.Dict(
        keys=fields.String(),
        values=fields.Integer(),
        metadata={"description": "deliveries to the patient's devices: sent, failed, pending"},
    )
