"""Errors in people's words: every request schema's fields, given every kind of wrong value,
answer sentences that name the field by its label and say what it takes; no message written
by marshmallow or webargs reaches a client, and the envelope says to check the fields."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from marshmallow import Schema, ValidationError, fields

from hep.api.labels import has_label
from hep.api.sentences import explain
from hep.models import Role
from tests.conftest import Cast, make_test_app

# marshmallow's and webargs' own wording, spotted by its phrases (not by hep's own list)
FOREIGN = re.compile(
    r"Not a valid|Missing data for required|may not be null|Unknown field|^Must be |"
    r"Length must|Longer than|Shorter than|Invalid (input|value|type|JSON)|does not match|"
    r"cannot be formatted|One or more of the choices|Special numeric|Number too large|"
    r"semantic errors|well-formed"
)
WRONG_VALUES: list[Any] = [
    None,
    {"x": [1]},
    [{"x": 1}],
    "",
    "not this",
    "x" * 5000,
    True,
    2.5,
    10**12,
    -(10**12),
    [],
    ["not this"] * 300,
]


@pytest.fixture(scope="module")
def bare_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    # the schemas only: no database is reached
    folder = tmp_path_factory.mktemp("sentences")
    app = make_test_app(f"sqlite:///{folder / 'unused.sqlite3'}", Path(folder / "instance"))
    with app.app_context():  # post_load steps read settings (the largest page)
        yield app


def request_schemas(app: Flask) -> dict[str, Schema]:
    """Every schema a view loads a body, query or path from."""
    found: dict[str, Schema] = {}
    for rule in app.url_map.iter_rules():
        view_class = getattr(app.view_functions[rule.endpoint], "view_class", None)
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            view = getattr(view_class, method.lower(), None)
            for parameter in (
                getattr(view, "_apidoc", {}).get("arguments", {}).get("parameters", [])
            ):
                schema = parameter.get("schema")
                if schema is not None:
                    instance = schema() if isinstance(schema, type) else schema
                    found[type(instance).__name__] = instance
    return found


def walk(schema: Schema) -> Iterator[tuple[Schema, str, fields.Field]]:
    for name, field in schema.load_fields.items():
        yield schema, field.data_key or name, field
        inner = field.inner if isinstance(field, fields.List) else field
        if isinstance(inner, fields.Nested) and isinstance(inner.schema, Schema):
            yield from walk(inner.schema)


def leaves(messages: Any) -> Iterator[str]:
    if isinstance(messages, dict):
        for value in messages.values():
            yield from leaves(value)
    elif isinstance(messages, list):
        for value in messages:
            yield from leaves(value)
    else:
        yield messages


def said(schema: Schema, body: Any) -> list[str]:
    try:
        schema.load(body)
    except ValidationError as error:
        return list(leaves(explain(error.messages, schema)))
    return []


def test_every_request_schema_was_found(bare_app: Flask):
    schemas = request_schemas(bare_app)
    assert {"CheckInIn", "ReminderIn", "HabitIn", "RevisionIn", "SignUp"} <= set(schemas)


def test_every_field_a_form_sends_has_a_label(bare_app: Flask):
    missing = sorted(
        f"{type(owner).__name__}.{name}"
        for schema in request_schemas(bare_app).values()
        for owner, name, _ in walk(schema)
        if not has_label(type(owner).__name__, name)
    )
    assert not missing, f"fields without a label in hep.api.labels: {missing}"


def test_no_default_message_reaches_a_client(bare_app: Flask):
    foreign = []
    for form, schema in sorted(request_schemas(bare_app).items()):
        bodies: list[Any] = [{}, [], "text", {"no_such_field": 1}]
        for owner, name, _ in walk(schema):
            if owner is schema:
                bodies += [{name: value} for value in WRONG_VALUES]
            else:  # a nested form's fields, inside each field that holds it
                for holder, field in schema.load_fields.items():
                    inner = field.inner if isinstance(field, fields.List) else field
                    if isinstance(inner, fields.Nested) and inner.schema is owner:
                        wrap = (lambda v: [v]) if isinstance(field, fields.List) else (lambda v: v)
                        bodies += [{holder: wrap({name: value})} for value in WRONG_VALUES]
        for body in bodies:
            for message in said(schema, body):
                if not isinstance(message, str) or FOREIGN.search(message):
                    foreign.append((form, body if len(str(body)) < 80 else "…", message))
    assert not foreign, "\n".join(map(str, foreign[:30]))


def test_a_field_names_its_label_and_what_it_takes(bare_app: Flask):
    schemas = request_schemas(bare_app)
    found = said(schemas["RevisionIn"], {"items": [{"exercise_id": "x", "reps": 9999}]})
    assert {"Exercise: choose one from the list.", "Reps: a whole number from 1 to 500."} <= set(
        found
    )
    assert "Times a day: a whole number from 1 to 10." in said(
        schemas["RevisionIn"], {"items": [{"times_per_day": 0}]}
    )
    assert said(schemas["PainIn"], {"score": "7"}) == ["Pain: a whole number from 0 to 10."]
    assert said(schemas["ReminderIn"], {"rule": {"type": "times", "weekdays": []}}) == [
        "Days: at least 1 and at most 7."
    ]


@pytest.fixture
def therapist(cast: Cast) -> FlaskClient:
    return cast.client(cast.user(Role.THERAPIST))


def test_a_refused_body_answers_a_sentence_and_field_sentences(therapist: FlaskClient):
    r = therapist.post("/api/patients", json={"email": "nope", "name": "", "shoe_size": 44})
    assert r.status_code == 422
    body = r.get_json()
    assert body["message"] == "Check the highlighted fields."
    assert body["errors"] == {
        "email": ["Email: an email address, like name@example.org."],
        "name": ["Name: write something, up to 120 characters."],
        "shoe_size": ["“shoe_size” is not part of this form."],
    }


def test_a_domain_refusal_says_to_check_the_fields(therapist: FlaskClient):
    r = therapist.delete("/api/me", json={"password": "not the password at all"})
    assert r.status_code == 422
    assert r.get_json()["message"] == "Check the highlighted fields."
    assert r.get_json()["errors"] == {"password": ["The password is wrong."]}


def test_unreadable_json_and_unknown_addresses_answer_in_plain_words(therapist: FlaskClient):
    r = therapist.post("/api/patients", data="{nope", content_type="application/json")
    assert r.status_code == 400
    assert not FOREIGN.search(str(r.get_json()))
    r = therapist.get("/api/no-such-thing")
    assert r.status_code == 404
    assert r.get_json()["message"] == "Not found. It may have been removed."
