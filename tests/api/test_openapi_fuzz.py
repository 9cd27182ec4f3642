"""schemathesis over /api/openapi.json: every operation, as every role, with data that fits
the document and data that does not, and in linked sequences (the stateful phase)."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import positive_data_acceptance
from schemathesis.generation.meta import negated_parameters

from hep.models import Role
from tests.api.test_validation import operation_access
from tests.conftest import Cast, make_test_app, wipe

ROLES = ("anonymous", Role.PATIENT.value, Role.THERAPIST.value, Role.ADMIN.value)
# the document's security schemes: a bearer token, or the browser's session cookie
CREDENTIALS = ("Authorization", "hep_session")

PASSWORD = "common or guessable passwords are refused (zxcvbn's list and scores, not a pattern)"
EDIT_WINDOW = "a day in the future or before the edit window depends on today"
RANGE = "a range of at most a year that starts before it ends: two fields compared"
OWN = "it must name something of the caller's own (a database lookup)"
PAIR = "two optional fields that go together (both or neither)"
PUSH = (
    "a subscription must name an allow-listed push service on a public address, and keys that "
    "load as a P-256 point and a 16-byte secret"
)
ENDS = "an end date on or after the start date: two fields compared"
INTERVAL = "an interval window needs its every_minutes, start and end, and room for one push"
MEDIA = (
    "an upload is judged by its content (a whole JPEG, PNG, WebP, MP4 or WebM, no markup "
    "inside): bytes a schema's format: binary cannot describe"
)
PLANNED = "at most what the week's plan held (computed from the prescription)"
QUESTIONS = (
    "a choice question needs two different choices and only a 0-10 scale has end labels: "
    "fields compared"
)
ANSWER = "what a measure asks depends on the plan's instrument and questions (a database lookup)"
CLINIC = "a clinic the caller works in (a database lookup)"
ROLE = "settings of one role only, the caller's (and the account's state)"
JOINING = "signed in, nothing; signed out, a name and a password: required by the caller's state"
PROGRAM_FILE = (
    "a hep program file follows its own JSON Schema (draft 2020-12, served at "
    "/api/program-format/schema.json), which an OpenAPI 3.0 document cannot carry"
)
CASELOAD = (
    "a CSV of the clinic's patients, its rows checked: content format: binary cannot describe"
)

# Schema-valid requests the server still refuses with 422, field by field, and why the
# document cannot say so. Everything else schema-valid must be accepted.
BUSINESS_RULES: dict[str, dict[str, str]] = {
    "POST /api/auth/signup/therapist": {"password": PASSWORD},
    "POST /api/auth/signup/patient": {"password": PASSWORD},
    "POST /api/admin/users": {"password": PASSWORD},
    "POST /api/invites/{code}/accept": {"password": PASSWORD},
    "PATCH /api/me": {"password": PASSWORD, "current_password": "the caller's own password"},
    "DELETE /api/me": {"password": "the caller's own password"},
    "POST /api/habits": {"target": PAIR + ": target and direction"},
    "POST /api/patients/{patient_id}/habits": {"target": PAIR + ": target and direction"},
    "PATCH /api/habits/{habit_id}": {"target": PAIR + ": target and direction"},
    "PUT /api/check-ins/{client_id}": {
        "item_key": "exactly one of item_key and habit_id, and " + OWN,
        "habit_id": OWN,
        "local_date": EDIT_WINDOW,
        "skip_reason": "a skipped check-in needs its reason: required by another field's value",
    },
    "PUT /api/pain/{day}": {"day": EDIT_WINDOW},
    "POST /api/pauses": {
        "first_day": "from the edit window back to a year ahead depends on today",
        "last_day": ENDS + ", and at most a year after it",
    },
    "GET /api/check-ins": {"start": RANGE},
    "GET /api/check-ins/edits": {"start": RANGE},
    "GET /api/pain": {"start": RANGE},
    "GET /api/patients/{patient_id}/check-ins": {"start": RANGE},
    "GET /api/patients/{patient_id}/check-ins/edits": {"start": RANGE},
    "GET /api/patients/{patient_id}/pain": {"start": RANGE},
    "POST /api/reminders": {"target": OWN, "rule": INTERVAL},
    "POST /api/patients/{patient_id}/reminders": {"target": OWN, "rule": INTERVAL},
    "PATCH /api/reminders/{reminder_id}": {"target": OWN, "rule": INTERVAL},
    "PATCH /api/me/notification-settings": {
        "quiet_start": PAIR,
        "quiet_end": PAIR,
        **dict.fromkeys(("alert_push", "alert_email", "alert_time"), ROLE + ": therapists"),
        **dict.fromkeys(
            ("email_reminders", "email_digest_times", "email_notices"),
            ROLE + ": patients, with a confirmed address",
        ),
    },
    "POST /api/me/password-check": {"password": "the caller's own password"},
    "POST /api/patients/{patient_id}/programs": {"end_date": ENDS},
    "POST /api/programs/{program_id}/versions": {"end_date": ENDS},
    "POST /api/push/subscriptions": {"endpoint": PUSH, "keys": PUSH},
    "PUT /api/weekly-reviews/{week_end}": {
        "week_end": EDIT_WINDOW,
        "sessions_done": PLANNED,
        "habits_met": PLANNED,
    },
    "GET /api/weekly-reviews": {"start": RANGE},
    "GET /api/patients/{patient_id}/weekly-reviews": {"start": RANGE},
    "GET /api/summary": {"start": RANGE},
    "GET /api/patients/{patient_id}/summary": {"start": RANGE},
    "POST /api/questionnaires": {"questions": QUESTIONS},
    "POST /api/patients/{patient_id}/measures": {
        "questionnaire_id": "a custom measure names one of the caller's questionnaires and a "
        "built-in one none: " + OWN,
        "first_due": "a day from today to a year ahead depends on today",
    },
    "PUT /api/measures/{plan_id}/responses/{due_on}": {
        "due_on": "a due date of the plan's own schedule (a database lookup)",
        "activities": ANSWER,
        "score": ANSWER,
        "answers": ANSWER,
        # the domain names the question or the activity at fault
        **{f"answers.q{n}": ANSWER for n in range(1, 21)},
        **{f"activities.{n}.name": "each activity once, by name" for n in range(5)},
    },
    "POST /api/exercises/{exercise_id}/media": {"file": MEDIA},
    "POST /api/patients": {"clinic_id": CLINIC + "; with several, one must be named"},
    "POST /api/exercises": {"clinic_id": CLINIC},
    "PATCH /api/exercises/{exercise_id}": {"clinic_id": CLINIC},
    "POST /api/templates": {"clinic_id": CLINIC},
    "PATCH /api/templates/{template_id}": {"clinic_id": CLINIC},
    "POST /api/patients/{patient_id}/team": {
        "therapist_id": "a therapist of the clinic the caller cares under (a database lookup)"
    },
    "PUT /api/patients/{patient_id}/team/lead": {
        "therapist_id": "a therapist on the patient's team (a database lookup)"
    },
    "POST /api/clinic-invites/{code}/accept": {"name": JOINING, "password": PASSWORD},
    "POST /api/sign-in-links/{code}/accept": {"password": PASSWORD},
    "POST /api/programs/{program_id}/items/{item_key}/media": {"file": MEDIA},
    "POST /api/templates/import": {"$": PROGRAM_FILE, "$.format": PROGRAM_FILE},
    "POST /api/clinics/{clinic_id}/patients/import": {"file": CASELOAD},
}


def _operation_labels() -> list[tuple[str, bool]]:
    """(label, whether it takes any input) for every operation of the document, which does
    not depend on the database, so collection can read it from a bare app."""
    with tempfile.TemporaryDirectory() as folder:
        app = make_test_app("sqlite://", Path(folder))
        found = schemathesis.openapi.from_wsgi("/api/openapi.json", app)
        return [
            (op.label, bool(op.body) or any(True for _ in op.iter_parameters()))
            for op in (result.ok() for result in found.get_all_operations())
        ]


OPERATIONS = _operation_labels()


@pytest.fixture
def tokens(cast: Cast) -> dict[str, str]:
    """A bearer token for each signed-in role (the therapist with one patient)."""
    found = {}
    for role in (Role.PATIENT, Role.THERAPIST, Role.ADMIN):
        user = cast.user(role)
        if role is Role.THERAPIST:
            cast.link(user, cast.user(Role.PATIENT))
        found[role.value] = cast.token(user)
    return found


@pytest.fixture
def api_schema(app: Flask) -> Any:
    return schemathesis.openapi.from_wsgi("/api/openapi.json", app)


def business_rules_only(ctx: Any, response: Any, case: Any) -> bool | None:
    """For an operation with rules the document cannot carry, a schema-valid request may be
    refused (422) for those fields only."""
    if case.meta is None or not case.meta.generation.mode.is_positive:
        return None
    if response.status_code != 422:
        return None
    allowed = BUSINESS_RULES[case.operation.label]
    blamed = set((response.json() or {}).get("errors") or {"(none)": None})
    if not blamed <= set(allowed):
        raise AssertionError(
            f"schema-valid request refused for {sorted(blamed - set(allowed))}: {response.text}"
        )
    return None


def _as_every_role(case: Any, tokens: dict[str, str]) -> None:
    """Send the case as each role, with our credentials in place of any schemathesis made up,
    except when the case is about the credentials themselves (then it goes as generated)."""
    rules = case.operation.label in BUSINESS_RULES
    # schemathesis' WSGI transport does not decompress: ask for plain bodies
    plain = {"X-HEP-CSRF": "1", "Accept-Encoding": "identity"}
    if {name for name, _ in negated_parameters(case.meta)} & set(CREDENTIALS):
        case.call_and_validate(headers=plain)
        return
    case.headers = {k: v for k, v in (case.headers or {}).items() if k not in CREDENTIALS}
    case.cookies = {k: v for k, v in (case.cookies or {}).items() if k not in CREDENTIALS}
    for role in ROLES:
        headers = plain | ({"Authorization": f"Bearer {tokens[role]}"} if role in tokens else {})
        case.call_and_validate(
            headers=headers,
            excluded_checks=[positive_data_acceptance] if rules else [],
            additional_checks=[business_rules_only] if rules else [],
        )


def test_every_operation_is_fuzzed():
    assert len(OPERATIONS) >= 70
    documented = {label for label, _ in OPERATIONS}
    assert set(BUSINESS_RULES) <= documented


@pytest.mark.parametrize(("label", "has_input"), OPERATIONS, ids=[op for op, _ in OPERATIONS])
def test_no_operation_fails_or_accepts_what_its_schema_refuses(
    api_schema: Any, tokens: dict[str, str], label: str, has_input: bool
) -> None:
    operation = api_schema[label.split(" ", 1)[1]][label.split(" ", 1)[0]]
    # (mode, examples): tuned so the module runs in about a minute per engine on two cores
    modes = [(GenerationMode.POSITIVE, 8)] + ([(GenerationMode.NEGATIVE, 6)] if has_input else [])
    for mode, examples in modes:

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(
            max_examples=examples,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            database=None,
        )
        def check(case: Any) -> None:
            _as_every_role(case, tokens)

        check()


@pytest.mark.parametrize("role", [Role.PATIENT, Role.THERAPIST, Role.ADMIN])
def test_linked_sequences_as_each_role_hold_the_same_promises(
    app: Flask, cast: Cast, api_schema: Any, role: Role
) -> None:
    """The stateful phase: what one answer creates (a reminder, a habit, a program...), the
    next requests read, change and delete, following the links schemathesis infers. Each
    role walks the operations it may use (the others answer 403 before anything else)."""
    marks = operation_access(app)
    mine = {label for label, access in marks.items() if not access.roles or role in access.roles}
    own_schema = api_schema.include(lambda ctx: ctx.operation.label in mine)
    headers = {"X-HEP-CSRF": "1", "Accept-Encoding": "identity"}

    class AsRole(own_schema.as_state_machine()):  # type: ignore[misc]
        def setup(self) -> None:
            # each scenario starts from an empty database, so one that hypothesis replays
            # meets the same answers it met the first time
            wipe(app)
            user = cast.user(role)
            if role is Role.THERAPIST:
                cast.link(user, cast.user(Role.PATIENT))
            headers["Authorization"] = f"Bearer {cast.token(user)}"

        def get_call_kwargs(self, case: Any) -> dict[str, Any]:
            case.headers = {k: v for k, v in (case.headers or {}).items() if k not in CREDENTIALS}
            case.cookies = {k: v for k, v in (case.cookies or {}).items() if k not in CREDENTIALS}
            return {"headers": headers}

        def validate_response(
            self, response: Any, case: Any, additional_checks: Any = None, **kwargs: Any
        ) -> None:
            rules = case.operation.label in BUSINESS_RULES
            case.validate_response(
                response,
                excluded_checks=[positive_data_acceptance] if rules else [],
                additional_checks=[business_rules_only] if rules else [],
                headers=headers,
                transport_kwargs=kwargs or None,
                recorder=self.recorder,
            )

    AsRole.run(
        settings=settings(
            max_examples=10,
            stateful_step_count=8,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            database=None,
        )
    )
