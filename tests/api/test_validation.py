"""Rules every operation shares: the caller is known before input is checked, numbers and
bodies are checked strictly, and the OpenAPI document says what the server enforces."""

from __future__ import annotations

import sys
import uuid
from collections.abc import Iterator
from typing import Any

import marshmallow as ma
import pytest
from flask import Flask
from flask_smorest.spec.plugins import FlaskPlugin

from hep.api.access import Access, access_of, view_for
from hep.api.fields import in_planned_years
from hep.models import Role
from tests.conftest import Cast

METHODS = ("get", "post", "put", "patch", "delete")
HH_MM = r"^([01][0-9]|2[0-3]):[0-5][0-9]$"


def _operations(app: Flask) -> Iterator[tuple[str, str, dict[str, Any], list[dict[str, Any]]]]:
    """(method, path, operation, parameters) for every operation of the OpenAPI document."""
    doc = app.test_client().get("/api/openapi.json").get_json()
    for path, item in doc["paths"].items():
        for method in METHODS:
            if method in item:
                operation = item[method]
                # an operation's own parameter overrides the path's of the same name
                own = operation.get("parameters", [])
                named = {(p["in"], p["name"]) for p in own}
                shared = [
                    p for p in item.get("parameters", []) if (p["in"], p["name"]) not in named
                ]
                yield method, path, operation, shared + own


def _protected(operation: dict[str, Any]) -> bool:
    return operation.get("security") != []


def _url(path: str, parameters: list[dict[str, Any]], query: dict[str, str]) -> str:
    """The path with well-formed values for its path parameters, and the given query."""
    for p in parameters:
        if p["in"] == "path":
            schema = p["schema"]
            value = str(uuid.uuid4()) if schema.get("format") == "uuid" else "1"
            if schema["type"] == "string" and schema.get("format") != "uuid":
                value = "abc"
            path = path.replace("{" + p["name"] + "}", value)
    if query:
        path += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return path


def _bad_query(parameters: list[dict[str, Any]]) -> dict[str, str]:
    return {p["name"]: "%00not-valid" for p in parameters if p["in"] == "query"}


def operation_access(app: Flask) -> dict[str, Access]:
    """The access mark of every view, by operation label ("GET /api/me")."""
    found = {}
    for rule in app.url_map.iter_rules():
        path = FlaskPlugin.flaskpath2openapi(rule.rule)
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            access = access_of(view_for(rule.endpoint, method))
            if access is not None:
                found[f"{method} {path}"] = access
    return found


def test_every_resource_operation_declares_who_may_call_it(app: Flask):
    marks = operation_access(app)
    for method, path, operation, _ in _operations(app):
        label = f"{method.upper()} {path}"
        assert label in marks, f"{label} has no access mark"
        # the document's `security: []` and the server's public mark are one rule
        assert marks[label].public == (not _protected(operation)), label


def test_anonymous_callers_get_401_before_any_input_is_checked(app: Flask):
    client = app.test_client()
    wrong = []
    for method, path, operation, parameters in _operations(app):
        if not _protected(operation):
            continue
        url = _url(path, parameters, _bad_query(parameters))
        body = {"not a field": 1} if "requestBody" in operation else None
        response = client.open(url, method=method.upper(), json=body, headers={"X-HEP-CSRF": "1"})
        if response.status_code != 401:
            wrong.append(f"{method.upper()} {path}: {response.status_code}")
    assert wrong == []


def test_a_caller_of_a_wrong_role_gets_403_before_any_input_is_checked(app: Flask, cast: Cast):
    tokens = {role: cast.token(cast.user(role)) for role in Role}
    client = app.test_client()
    marks = operation_access(app)
    wrong, checked = [], 0
    for method, path, operation, parameters in _operations(app):
        url = _url(path, parameters, _bad_query(parameters))
        allowed = marks[f"{method.upper()} {path}"].roles
        outsiders = [role for role in Role if allowed and role not in allowed]
        if not outsiders:
            continue
        checked += 1
        body = {"not a field": 1} if "requestBody" in operation else None
        headers = {"Authorization": f"Bearer {tokens[outsiders[0]]}"}
        response = client.open(url, method=method.upper(), json=body, headers=headers)
        if response.status_code != 403:
            wrong.append(f"{method.upper()} {path} as {outsiders[0].value}: {response.status_code}")
    assert checked > 30
    assert wrong == []


@pytest.mark.parametrize("role", [None, Role.PATIENT])
def test_an_unmatched_path_value_is_404_for_everyone(app: Flask, cast: Cast, role: Role | None):
    headers = {"Authorization": f"Bearer {cast.token(cast.user(role))}"} if role else {}
    # a path the routes cannot match names no operation: like any unknown address
    response = app.test_client().get(f"/api/programs/{uuid.uuid4()}/versions/x", headers=headers)
    assert response.status_code == 404


def _caller(app: Flask, cast: Cast, method: str, path: str, operation: dict[str, Any]):
    """Headers of a caller the operation admits (anonymous for public operations)."""
    if not _protected(operation):
        return {}
    allowed = operation_access(app)[f"{method.upper()} {path}"].roles
    role = next(iter(sorted(allowed, key=lambda r: r.value)), Role.PATIENT)
    return {"Authorization": f"Bearer {cast.token(cast.user(role))}"}


def test_a_required_body_that_is_missing_or_empty_answers_422(app: Flask, cast: Cast):
    client = app.test_client()
    wrong, checked = [], 0
    for method, path, operation, parameters in _operations(app):
        if not operation.get("requestBody", {}).get("required"):
            continue
        checked += 1
        url = _url(path, parameters, {})
        headers = _caller(app, cast, method, path, operation) | {"X-HEP-CSRF": "1"}
        upload = "multipart/form-data" in operation["requestBody"]["content"]
        for body in (None, {}):
            if upload and body is not None:
                sent = {"data": body, "content_type": "multipart/form-data"}
            else:
                sent = {"json": body}
            response = client.open(url, method=method.upper(), headers=headers, **sent)
            if response.status_code != 422:
                wrong.append(f"{method.upper()} {path} with {body}: {response.status_code}")
    assert checked > 25
    assert wrong == []


def test_an_unknown_field_in_a_body_answers_422(cast: Cast):
    client = cast.client(cast.user(Role.PATIENT))
    r = client.patch("/api/me", json={"name": "Ann", "role": "admin"})
    assert r.status_code == 422 and "role" in r.get_json()["errors"]


@pytest.mark.parametrize("page", ["2.7", "1e3", " 3", "3_000", "\u0663", "true", "-1", str(2**63)])
def test_a_query_integer_that_is_not_plain_digits_in_range_answers_422(cast: Cast, page: str):
    client = cast.client(cast.user(Role.PATIENT))
    assert client.get("/api/me/access-log", query_string={"page": page}).status_code == 422
    assert client.get("/api/me/access-log", query_string={"page": "2"}).status_code == 200


@pytest.mark.parametrize(
    "zone", ["localtime", "posixrules", "Europe/berlin", "posix/Europe/Berlin"]
)
def test_only_iana_time_zone_names_are_accepted(cast: Cast, zone: str):
    client = cast.client(cast.user(Role.PATIENT))
    r = client.patch("/api/me", json={"timezone": zone})
    assert r.status_code == 422 and "timezone" in r.get_json()["errors"]
    r = client.post(
        "/api/auth/signup/patient",
        json={"email": "z@example.org", "name": "Zed", "password": "x" * 12, "timezone": zone},
    )
    assert r.status_code == 422 and "timezone" in r.get_json()["errors"]
    assert client.patch("/api/me", json={"timezone": "Europe/Berlin"}).status_code == 200


def _resolve(doc: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = doc["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def _request_schemas(
    doc: dict[str, Any], schema: dict[str, Any], where: str
) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every schema a request can carry, nested ones included, with where it sits."""
    schema = _resolve(doc, schema)
    yield where, schema
    for name, child in schema.get("properties", {}).items():
        yield from _request_schemas(doc, child, f"{where}.{name}")
    if "items" in schema:
        yield from _request_schemas(doc, schema["items"], f"{where}[]")


# Bodies whose whole schema lives outside the OpenAPI document, and why.
ELSEWHERE = {
    "POST /api/templates/import body": "a hep program file follows its own JSON Schema (draft "
    "2020-12, served at /api/program-format/schema.json; unknown fields refused there), which "
    "an OpenAPI 3.0 document cannot carry",
}


def test_the_document_says_what_the_server_enforces(app: Flask):
    doc = app.test_client().get("/api/openapi.json").get_json()
    loose = []
    for method, path, operation, parameters in _operations(app):
        op = f"{method.upper()} {path}"
        found = [
            (f"{op} {p['in']} {p['name']}", p["schema"])
            for p in parameters
            if p["in"] in ("path", "query")
        ]
        body = operation.get("requestBody", {}).get("content", {}).get("application/json")
        if body:
            top = _resolve(doc, body["schema"])
            if method == "patch" and top.get("minProperties") != 1 and not top.get("required"):
                loose.append(f"{op}: a change must name at least one field")
            found += list(_request_schemas(doc, body["schema"], f"{op} body"))
        for where, schema in found:
            if where in ELSEWHERE:
                continue
            kind = schema.get("type")
            if kind in ("integer", "number") and not ("minimum" in schema and "maximum" in schema):
                loose.append(f"{where}: unbounded number")
            if kind == "object" and schema.get("additionalProperties") is not False:
                loose.append(f"{where}: unknown fields not refused")
            fixed = schema.get("format") in ("uuid", "date") or schema.get("pattern") == HH_MM
            if kind == "string" and not ({"enum", "maxLength"} & set(schema) or fixed):
                loose.append(f"{where}: unbounded string")
            if schema.get("format") == "date" and not schema.get("pattern"):
                loose.append(f"{where}: a date without its pattern")
    assert loose == [], "\n".join(loose)
    schemas = doc["components"]["schemas"]
    assert schemas["RuleIn"]["properties"]["start"]["pattern"] == HH_MM
    assert schemas["ExerciseIn"]["properties"]["media_url"]["format"] == "uri"
    assert "localtime" not in schemas["SignUp"]["properties"]["timezone"]["enum"]
    assert schemas["SnoozeIn"]["required"] == ["minutes"]


def _fields_of(schema: type[ma.Schema]) -> Iterator[tuple[str, ma.fields.Field]]:
    for name, field in schema._declared_fields.items():
        yield f"{schema.__name__}.{name}", field
        inner = getattr(field, "inner", None)
        if inner is not None:
            yield f"{schema.__name__}.{name}[]", inner


def test_every_field_validator_raises_rather_than_returning_false(app: Flask):
    # marshmallow 4 ignores a validator's return value: `lambda d: 2000 <= d.year` rejects
    # nothing. Validators are marshmallow's classes, or functions known to raise.
    raising = {in_planned_years}
    schemas = [
        obj
        for module in list(sys.modules.values())
        if getattr(module, "__name__", "").startswith("hep.api.")
        for obj in vars(module).values()
        if isinstance(obj, type)
        and issubclass(obj, ma.Schema)
        and obj.__module__.startswith("hep.")
    ]
    assert len(schemas) > 30
    odd = [
        f"{where}: {rule!r}"
        for schema in schemas
        for where, field in _fields_of(schema)
        for rule in field.validators
        if not isinstance(rule, ma.validate.Validator) and rule not in raising
    ]
    assert odd == []
