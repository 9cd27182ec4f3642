"""Link requests: adding an address that has an account answers exactly like a new address,
asks the account's owner in the app, and links only on their yes."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flask import Flask
from sqlalchemy import event, func, select

from hep.db import db
from hep.models import AuditEntry, Invite, Role
from tests.conftest import PASSWORD, Cast


def ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, (response.status_code, response.get_json())
    return response.get_json()


@contextmanager
def work(app: Flask) -> Iterator[dict[str, int]]:
    """Counts the SQL statements and password hashes a block causes."""
    done = {"statements": 0, "hashes": 0}
    hasher = app.extensions["hep_hasher"]
    original = hasher.hash

    def hashing(password: str) -> str:
        done["hashes"] += 1
        return original(password)

    def counting(*_: Any) -> None:
        done["statements"] += 1

    hasher.hash = hashing
    event.listen(db.engine, "before_cursor_execute", counting)
    try:
        yield done
    finally:
        event.remove(db.engine, "before_cursor_execute", counting)
        hasher.hash = original


def shape(answer: dict[str, Any]) -> dict[str, Any]:
    """The answer without what is new every time (ids, times, codes)."""
    patient = dict(answer["patient"], id="", created_at="")
    return {"patient": patient, "invite": {"url": answer["invite"]["url"].rsplit("/", 1)[0]}}


def test_adding_an_address_with_an_account_answers_like_a_new_address(app: Flask, cast: Cast):
    t = cast.client(cast.user(Role.THERAPIST))
    cast.user(Role.PATIENT, "Real Name", email="has.account@example.org")
    ok(t.post("/api/patients", json={"email": "warm.up@example.org", "name": "Warm Up"}), 201)
    answers, costs = [], []
    for email in ("no.account@example.org", "has.account@example.org"):
        body = {"email": email.replace("no.account", "has.account"), "name": "Typed Name"}
        if email.startswith("no"):
            body["email"] = email
        with work(app) as cost:
            response = t.post("/api/patients", json=body)
        assert response.status_code == 201
        answers.append(response.get_json())
        costs.append(cost)
    new, existing = answers
    assert set(new) == set(existing) and set(new["patient"]) == set(existing["patient"])
    assert set(new["invite"]) == set(existing["invite"])
    new_shape, existing_shape = shape(new), shape(existing)
    new_shape["patient"]["email"] = existing_shape["patient"]["email"] = ""
    assert new_shape == existing_shape
    assert existing["patient"]["name"] == "Typed Name"  # never the account's own name
    # no password is hashed on either path; the database work is of one size
    assert [c["hashes"] for c in costs] == [0, 0]
    new_cost, existing_cost = (c["statements"] for c in costs)
    assert existing_cost <= new_cost <= 2 * existing_cost, costs


def test_the_account_owner_accepts_in_the_app_and_the_therapist_gets_access(cast: Cast):
    t_user = cast.user(Role.THERAPIST, "Dr Ask")
    t = cast.client(t_user)
    p_user = cast.user(Role.PATIENT, email="pat@example.org")
    ok(t.post("/api/patients", json={"email": "pat@example.org", "name": "Pat"}), 201)
    assert t.get(f"/api/patients/{p_user.id}").status_code == 404  # not before the yes
    assert ok(t.get("/api/patients")) == []
    phone = cast.client(p_user)
    [request] = ok(phone.get("/api/me/link-requests"))
    assert request["therapist_name"] == "Dr Ask"
    team = ok(phone.post(f"/api/me/link-requests/{request['id']}/accept"))
    assert [(m["name"], m["lead"]) for m in team["members"]] == [("Dr Ask", True)]
    ok(t.get(f"/api/patients/{p_user.id}"))
    assert [p["id"] for p in ok(t.get("/api/patients"))] == [str(p_user.id)]
    assert ok(phone.get("/api/me/link-requests")) == []
    accept = phone.post(f"/api/me/link-requests/{request['id']}/accept")
    assert accept.status_code == 404  # answered already
    actions = [e["action"] for e in ok(phone.get("/api/me/access-log"))]
    assert actions == ["patient list", "patient profile", "joined your care team"]


def test_a_declined_request_grants_nothing(cast: Cast):
    t_user = cast.user(Role.THERAPIST)
    t = cast.client(t_user)
    p_user = cast.user(Role.PATIENT, email="no.thanks@example.org")
    ok(t.post("/api/patients", json={"email": "no.thanks@example.org", "name": "N"}), 201)
    phone = cast.client(p_user)
    [request] = ok(phone.get("/api/me/link-requests"))
    assert phone.post(f"/api/me/link-requests/{request['id']}/decline").status_code == 204
    assert phone.post(f"/api/me/link-requests/{request['id']}/accept").status_code == 404
    assert t.get(f"/api/patients/{p_user.id}").status_code == 404
    assert ok(phone.get("/api/me/care-team"))["members"] == []
    declined = db.session.scalar(
        select(func.count()).where(
            AuditEntry.action == "link_request_declined", AuditEntry.actor_id == p_user.id
        )
    )
    assert declined == 1


def test_a_patient_who_signed_up_alone_is_linked_later(cast: Cast):
    phone = cast.client()
    body = {"email": "alone@example.org", "name": "Al One", "password": PASSWORD}
    me = ok(phone.post("/api/auth/signup/patient", json=body), 201)["user"]
    ok(phone.post("/api/habits/starters/water"), 201)
    t = cast.client(cast.user(Role.THERAPIST))
    added = ok(t.post("/api/patients", json={"email": "alone@example.org", "name": "Al"}), 201)
    assert added["patient"]["id"] == me["id"]
    # the link in the answer cannot set the account's password: it signs in and answers
    code = added["invite"]["url"].rsplit("/", 1)[1]
    preview = ok(cast.client().get(f"/api/invites/{code}"))
    assert preview["patient_name"] == "Al"
    takeover = cast.client().post(f"/api/invites/{code}/accept", json={"password": "x" * 20})
    assert takeover.status_code == 409
    # a re-sent request replaces the first
    again = ok(t.post(f"/api/patients/{me['id']}/invite"), 201)
    assert again["url"] != added["invite"]["url"]
    open_ = db.session.scalars(
        select(Invite).where(Invite.patient_id == uuid.UUID(me["id"]), Invite.revoked_at.is_(None))
    ).all()
    assert len(open_) == 1
    [request] = ok(phone.get("/api/me/link-requests"))
    ok(phone.post(f"/api/me/link-requests/{request['id']}/accept"))
    ok(t.get(f"/api/patients/{me['id']}/habits"))


def test_a_therapist_account_gets_no_request_and_the_same_answer(cast: Cast):
    t = cast.client(cast.user(Role.THERAPIST))
    colleague = cast.user(Role.THERAPIST, email="colleague@example.org")
    ok(t.post("/api/patients", json={"email": "colleague@example.org", "name": "C"}), 201)
    assert (
        db.session.scalar(
            select(func.count()).select_from(Invite).where(Invite.patient_id == colleague.id)
        )
        == 0
    )
