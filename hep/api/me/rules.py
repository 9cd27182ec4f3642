"""The server's rules a client follows before it asks (the edit window, page sizes, the
program estimate, every form field's bounds), read from their one definition: the settings,
hep.programs and the request schemas."""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Mapping
from typing import Any

from marshmallow import Schema, fields, validate

from hep import attention, audit, care_rules, messages, pause_periods, programs, steps
from hep.api.admin.schemas import AccountFilter
from hep.api.attention.schemas import AcknowledgementIn
from hep.api.audit.schemas import AuditFilter
from hep.api.auth.schemas import SignUp
from hep.api.care_rules.schemas import ClinicRulesIn, ThresholdsIn
from hep.api.checkins.schemas import CheckInIn, PainIn
from hep.api.clinic_invites.schemas import ClinicInviteAcceptance
from hep.api.clinics.schemas import ClinicIn, ClinicInviteIn, SearchArgs
from hep.api.discharges.schemas import DischargeIn
from hep.api.exercises.schemas import Dose, ExerciseFilter, ExerciseIn
from hep.api.habits.schemas import HabitIn
from hep.api.me.schemas import ProfileChange
from hep.api.measures.schemas import ActivityIn, AnswerIn, PlanIn
from hep.api.messages.schemas import MessageIn
from hep.api.pauses.schemas import PauseIn
from hep.api.programs.schemas import ProgramItemIn, RevisionIn, StepIn, StepRulesIn
from hep.api.proposals.schemas import DismissIn
from hep.api.questionnaires.schemas import QuestionIn, QuestionnaireIn
from hep.api.reminders.schemas import ReminderIn, RuleIn, SettingsIn, SnoozeIn
from hep.api.sign_in_links.schemas import NewPassword
from hep.api.templates.schemas import TemplateIn, TemplateRevision
from hep.api.weekly_reviews.schemas import ReviewIn, ScheduleIn
from hep.habits import amount_bounds
from hep.models.reviews import BARRIERS

# what each form is called in the answer, and the body it sends
FORMS: dict[str, type[Schema]] = {
    "check_in": CheckInIn,
    "pain": PainIn,
    "reminder": ReminderIn,
    "reminder_rule": RuleIn,
    "notification_settings": SettingsIn,
    "snooze": SnoozeIn,
    "program": RevisionIn,
    "program_item": ProgramItemIn,
    "program_step": StepIn,
    "step_rules": StepRulesIn,
    "pause": PauseIn,
    "acknowledgement": AcknowledgementIn,
    "thresholds": ThresholdsIn,
    "clinic_care": ClinicRulesIn,
    "proposal_dismissal": DismissIn,
    "habit": HabitIn,
    "exercise": ExerciseIn,
    "exercise_dose": Dose,
    "exercise_search": ExerciseFilter,
    "profile": ProfileChange,
    "sign_up": SignUp,
    "weekly_review": ReviewIn,
    "weekly_review_schedule": ScheduleIn,
    "questionnaire": QuestionnaireIn,
    "question": QuestionIn,
    "measure_plan": PlanIn,
    "measure_answer": AnswerIn,
    "psfs_activity": ActivityIn,
    "message": MessageIn,
    "template": TemplateIn,
    "template_revision": TemplateRevision,
    "clinic": ClinicIn,
    "clinic_invite": ClinicInviteIn,
    "clinic_join": ClinicInviteAcceptance,
    "discharge": DischargeIn,
    "new_password": NewPassword,
    "account_search": AccountFilter,
    "clinic_search": SearchArgs,
    "audit_search": AuditFilter,
}


def bounds_of(field: fields.Field) -> dict[str, float]:
    """min/max of a number, min_length/max_length of a text, min_items/max_items of a list."""
    found: dict[str, float] = {}
    size = ("min_items", "max_items") if isinstance(field, fields.List) else None
    for rule in field.validators:
        if isinstance(rule, validate.Range):
            pairs = (("min", rule.min), ("max", rule.max))
        elif isinstance(rule, validate.Length):
            low, high = size or ("min_length", "max_length")
            pairs = ((low, rule.min), (high, rule.max))
        else:
            continue
        found.update((name, value) for name, value in pairs if value is not None)
    return found


@functools.cache
def field_bounds() -> dict[str, dict[str, dict[str, float]]]:
    """Per form, per field with bounds: the bounds its schema enforces."""
    answer: dict[str, dict[str, dict[str, float]]] = {}
    for form, schema in FORMS.items():
        per_field = {}
        for name, field in schema().load_fields.items():
            found = bounds_of(field)
            if found:
                per_field[field.data_key or name] = found
        answer[form] = per_field
    return answer


def program_estimate() -> dict[str, float]:
    """The figures behind a program's minutes per session and its size warnings."""
    return {
        "seconds_per_rep": programs.SECONDS_PER_REP,
        "seconds_between_items": programs.SECONDS_BETWEEN_ITEMS,
        # what one set of an exercise with no reps, hold or duration is taken to last
        "seconds_without_dose": programs.item_seconds(dict.fromkeys(programs.ITEM_FIELDS)),
        "warn_items": programs.WARN_ITEMS,
        "warn_minutes": programs.WARN_MINUTES,
    }


def client_rules(config: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "checkin_edit_days": config["CHECKIN_EDIT_DAYS"],
        # without a mail server hep sends no email: the app offers none (and says why)
        "email": {"available": bool(config.get("SMTP_HOST"))},
        "page_size_max": config["PAGE_SIZE_MAX"],
        # the most a day holds of a habit, by kind and unit: its target and a day's total
        "habit_amounts": amount_bounds(),
        "program_estimate": program_estimate(),
        "fields": field_bounds(),
        "conversation": conversation(),
        "care": care(),
        # what the audit log's entries mean, in the log's own words (its filter takes the keys)
        "audit_actions": dict(audit.ACTIONS),
    }


def care() -> dict[str, Any]:
    """Pain-aware care: the pause modes (what each leaves due), the attention reasons in
    the list's order of definition, and hep's defaults for thresholds and step criteria."""
    return {
        "pause_modes": [
            {"mode": mode, "words": words, "nothing_due": mode in pause_periods.NOTHING_DUE}
            for mode, words in pause_periods.WORDS.items()
        ],
        "reasons": [{"name": r.name, "alert": r.alert} for r in attention.REASONS],
        "thresholds": dataclasses.asdict(care_rules.DEFAULTS),
        "step_rules": dataclasses.asdict(steps.StepRules()),
    }


def conversation() -> dict[str, Any]:
    """The weekly check-in's barriers in their order, and how many messages a writer may add
    to a thread in an hour."""
    return {"barriers": list(BARRIERS), "messages_per_hour": messages.PER_HOUR}
