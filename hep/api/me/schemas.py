"""Bodies and answers of /api/me."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from hep.api.auth.schemas import UserOut
from hep.api.changes import Changes
from hep.api.fields import Language, Text, Timezone
from hep.translations import _


class ProfileChange(Changes):
    name = Text(validate=validate.Length(min=1, max=120))
    timezone = Timezone()
    language = Language()
    password = Text(validate=validate.Length(min=8, max=1024))
    current_password = Text(validate=validate.Length(max=1024))

    @validates_schema
    def _password_needs_current(self, data: dict[str, Any], **kwargs: Any) -> None:
        if "password" in data and "current_password" not in data:
            raise ValidationError(
                [_("Give your current password to set a new one.")], "current_password"
            )


class AccountDeletion(Schema):
    password = Text(required=True, validate=validate.Length(max=1024))


class AccessLogEntryOut(Schema):
    """One read, or the same reader reading the same thing again within an hour (UTC)."""

    actor = Text(attribute="actor_name", dump_only=True)
    action = Text(dump_only=True)
    at = fields.DateTime(dump_only=True, metadata={"description": "the last time"})
    first_at = fields.DateTime(dump_only=True, metadata={"description": "the first time"})
    count = fields.Integer(dump_only=True, metadata={"description": "how many reads"})


class EstimateOut(Schema):
    seconds_per_rep = fields.Integer(dump_only=True)
    seconds_between_items = fields.Integer(dump_only=True)
    seconds_without_dose = fields.Integer(
        dump_only=True, metadata={"description": "one set with no reps, hold or duration"}
    )
    warn_items = fields.Integer(
        dump_only=True, metadata={"description": "more exercises than this get a warning"}
    )
    warn_minutes = fields.Integer(
        dump_only=True, metadata={"description": "longer sessions than this get a warning"}
    )


class ConversationOut(Schema):
    barriers = fields.List(
        fields.String(),
        dump_only=True,
        metadata={"description": "what may have got in the way of a week, in the order shown"},
    )
    messages_per_hour = fields.Integer(
        dump_only=True, metadata={"description": "new messages one writer may add to a thread"}
    )


class HabitAmountOut(Schema):
    kind = fields.String(dump_only=True, metadata={"description": "a habit kind, or * for any"})
    unit = fields.String(dump_only=True, metadata={"description": "a unit, lower case, or *"})
    max = fields.Float(dump_only=True)


class PauseModeOut(Schema):
    mode = fields.String(dump_only=True)
    words = fields.String(dump_only=True, metadata={"description": "its name in the app"})
    nothing_due = fields.Boolean(dump_only=True, metadata={"description": "no reminders either"})


class CareOut(Schema):
    pause_modes = fields.List(fields.Nested(PauseModeOut), dump_only=True)
    reasons = fields.List(
        fields.Dict(),
        dump_only=True,
        metadata={"description": "the attention reasons: name, and alert (therapists are told)"},
    )
    thresholds = fields.Dict(
        keys=fields.String(),
        values=fields.Integer(),
        dump_only=True,
        metadata={"description": "hep's default thresholds of the attention list"},
    )
    step_rules = fields.Dict(
        keys=fields.String(),
        values=fields.Integer(),
        dump_only=True,
        metadata={"description": "hep's default criteria for proposing a step"},
    )


class RulesOut(Schema):
    """The server's rules, for a client to follow before it sends (it checks them anyway)."""

    checkin_edit_days = fields.Integer(
        dump_only=True,
        metadata={
            "description": "how many past days a check-in or pain entry may be written or "
            "changed (HEP_CHECKIN_EDIT_DAYS)"
        },
    )
    page_size_max = fields.Integer(
        dump_only=True, metadata={"description": "larger page sizes are clamped to this"}
    )
    program_estimate = fields.Nested(EstimateOut, dump_only=True)
    email = fields.Dict(
        keys=fields.String(),
        values=fields.Boolean(),
        dump_only=True,
        metadata={
            "description": "available: whether this server sends email at all (reminders, "
            "digests, password resets); without it the app offers none"
        },
    )
    conversation = fields.Nested(ConversationOut, dump_only=True)
    care = fields.Nested(
        CareOut,
        dump_only=True,
        metadata={"description": "pause modes, attention reasons, default thresholds and steps"},
    )
    habit_amounts = fields.List(
        fields.Nested(HabitAmountOut),
        dump_only=True,
        metadata={
            "description": "the most a day holds of a habit (its target, a day's total): the "
            "first row matching (kind, unit), (*, unit), (kind, *), (*, *); units in any case"
        },
    )
    audit_actions = fields.Dict(
        keys=fields.String(),
        values=fields.String(),
        dump_only=True,
        metadata={"description": "the audit log's actions and what each means"},
    )
    fields_ = fields.Dict(
        data_key="fields",
        attribute="fields",
        keys=fields.String(),
        values=fields.Dict(keys=fields.String(), values=fields.Dict()),
        dump_only=True,
        metadata={
            "description": "form -> field -> its bounds: min and max (numbers), min_length "
            "and max_length (texts), min_items and max_items (lists)"
        },
    )


@dataclass(frozen=True)
class Myself:
    user: Any
    rules: dict[str, Any]


class MeOut(UserOut):
    """You, and the server's rules your client follows."""

    rules = fields.Nested(RulesOut, dump_only=True)

    def get_attribute(self, obj: Myself, attr: str, default: Any) -> Any:
        if attr == "rules":
            return obj.rules
        return super().get_attribute(obj.user, attr, default)
