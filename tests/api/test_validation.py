"""Rules every operation shares: the caller is known before input is checked, numbers and
bodies are checked strictly, and the OpenAPI document says what the server enforces."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask

from hep.api.access import access_of, view_for
from hep.models import Role
from tests.conftest import Cast

METHODS = ("get", "post", "put", "patch", "delete")


def _operations(app: Flask) -> Iterator[tuple[str, str, dict[str, Any], list[dict[str, Any]]]]:
    """(method, path, operation, parameters) for every operation of the OpenAPI document."""
    doc = app.test_client().get("/api/openapi.json").get_json()
    for path, item in doc["paths"].items():
        for method in METHODS:
            if method in item:
                operation = item[method]
                yield (
                    method,
                    path,
                    operation,
                    item.get("parameters", []) + operation.get("parameters", []),
                )


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


def _allowed_roles(app: Flask, method: str, url: str) -> frozenset[Role]:
    endpoint, _ = app.url_map.bind("localhost").match(url.split("?")[0], method.upper())
    access = access_of(view_for(endpoint, method.upper()))
    assert access is not None, f"{method.upper()} {url} has no access mark"
    return access.roles


def test_every_resource_operation_declares_who_may_call_it(app: Flask):
    for method, path, operation, parameters in _operations(app):
        url = _url(path, parameters, {})
        endpoint, _ = app.url_map.bind("localhost").match(url, method.upper())
        access = access_of(view_for(endpoint, method.upper()))
        assert access is not None, f"{method.upper()} {path} has no access mark"
        # the document's `security: []` and the server's public mark are one rule
        assert access.public == (not _protected(operation)), f"{method.upper()} {path}"


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
    wrong, checked = [], 0
    for method, path, operation, parameters in _operations(app):
        url = _url(path, parameters, _bad_query(parameters))
        allowed = _allowed_roles(app, method, url)
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
