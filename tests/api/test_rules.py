"""The server's rules in GET /api/me: what the PWA follows instead of copies of its own (the
edit window, the page size, the program estimate, every form field's bounds), each the
server's own setting or check, and documented."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest
from flask import Flask

from hep import programs
from hep.models import Role
from tests.conftest import Cast


def rules_of(cast: Cast, role: Role = Role.PATIENT) -> tuple[Any, dict[str, Any]]:
    client = cast.client(cast.user(role))
    me = client.get("/api/me")
    assert me.status_code == 200, me.get_json()
    return client, me.get_json()["rules"]


def test_the_edit_window_and_page_size_are_the_servers_settings(
    app: Flask, cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(app.config, "CHECKIN_EDIT_DAYS", 3)
    monkeypatch.setitem(app.config, "PAGE_SIZE_MAX", 40)
    client, rules = rules_of(cast)
    assert (rules["checkin_edit_days"], rules["page_size_max"]) == (3, 40)

    # the window it announces is the one a write meets: day 3 back is in, day 4 is out
    today = dt.date.fromisoformat(client.get("/api/today").get_json()["date"])
    habit = client.post(
        "/api/habits", json={"kind": "custom", "name": "Walk", "weekdays": 127}
    ).get_json()
    for back, status in ((3, 201), (4, 409)):
        day = (today - dt.timedelta(days=back)).isoformat()
        body = {"habit_id": habit["id"], "local_date": day, "state": "done"}
        assert client.put(f"/api/check-ins/{uuid.uuid4()}", json=body).status_code == status


def test_a_field_at_its_announced_bound_passes_and_one_past_it_is_refused(cast: Cast) -> None:
    client, rules = rules_of(cast)
    cap = rules["fields"]["notification_settings"]["daily_cap"]
    settings = "/api/me/notification-settings"
    assert client.patch(settings, json={"daily_cap": cap["max"]}).status_code == 200
    assert client.patch(settings, json={"daily_cap": cap["max"] + 1}).status_code == 422
    assert client.patch(settings, json={"daily_cap": cap["min"] - 1}).status_code == 422

    label = rules["fields"]["reminder"]["label"]["max_length"]
    rule = {"type": "times", "times": ["08:00"]}
    made = client.post("/api/reminders", json={"label": "x" * label, "rule": rule})
    assert made.status_code == 201
    too_long = client.post("/api/reminders", json={"label": "x" * (label + 1), "rule": rule})
    assert too_long.status_code == 422 and "label" in too_long.get_json()["errors"]

    every = rules["fields"]["reminder_rule"]["every_minutes"]
    window = {"type": "interval", "start": "09:00", "end": "17:00"}
    for minutes, status in ((every["min"], 201), (every["min"] - 1, 422)):
        body = {"rule": {**window, "every_minutes": minutes}}
        assert client.post("/api/reminders", json=body).status_code == status


def test_the_program_estimate_gives_the_servers_minutes(cast: Cast) -> None:
    _, rules = rules_of(cast, Role.THERAPIST)
    e = rules["program_estimate"]
    assert (e["warn_items"], e["warn_minutes"]) == (programs.WARN_ITEMS, programs.WARN_MINUTES)

    def seconds(item: dict[str, Any]) -> float:
        # the builder's sum, from the announced figures alone
        sets = item["sets"] or 1
        if item["duration_seconds"]:
            work = item["duration_seconds"]
        elif item["reps"]:
            work = item["reps"] * (e["seconds_per_rep"] + (item["hold_seconds"] or 0))
        else:
            work = item["hold_seconds"] or e["seconds_without_dose"]
        sides = 2 if item["side"] == "each" else 1
        return sides * (sets * work + (item["rest_seconds"] or 0) * (sets - 1))

    blank = dict.fromkeys(programs.ITEM_FIELDS)
    items = [
        {**blank, "sets": 2, "reps": 10, "hold_seconds": 5, "rest_seconds": 30, "side": "each"},
        {**blank, "sets": 1},
        {**blank, "sets": 3, "duration_seconds": 45},
    ]
    total = sum(map(seconds, items)) + e["seconds_between_items"] * (len(items) - 1)
    assert round(total / 60, 1) == programs.session_minutes(items)
    bounds = rules["fields"]["program_item"]
    assert bounds["reps"] == {"min": 1, "max": 500} and bounds["sets"]["min"] == 1


def test_a_profile_change_answers_the_rules_too(cast: Cast) -> None:
    client, rules = rules_of(cast)
    changed = client.patch("/api/me", json={"name": "Renamed"})
    assert changed.status_code == 200
    assert changed.get_json()["name"] == "Renamed"
    assert changed.get_json()["rules"] == rules


def test_the_document_describes_the_rules(client: Any) -> None:
    spec = client.get("/api/openapi.json").get_json()
    schemas = spec["components"]["schemas"]
    me = spec["paths"]["/api/me"]["get"]["responses"]["200"]["content"]["application/json"]
    rules = schemas[me["schema"]["$ref"].rsplit("/", 1)[1]]["properties"]["rules"]
    [ref] = [part["$ref"] for part in rules.get("allOf", [rules])]
    documented = schemas[ref.rsplit("/", 1)[1]]["properties"]
    assert {"checkin_edit_days", "page_size_max", "program_estimate", "fields"} <= set(documented)
    assert "HEP_CHECKIN_EDIT_DAYS" in documented["checkin_edit_days"]["description"]


def test_the_audit_logs_actions_are_named_with_their_meaning_and_each_filters(
    cast: Cast,
) -> None:
    client, rules = rules_of(cast, Role.ADMIN)
    actions = rules["audit_actions"]
    assert actions["discharged"] == "a patient discharged"
    for name in actions:
        assert client.get(f"/api/admin/audit-log?action={name}").status_code == 200, name
    assert client.get("/api/admin/audit-log?action=not_an_action").status_code == 422
