"""Sign-in links: a therapist's for their own patient, an admin's for anyone, a clinic admin's
for their members; single use, expiring, the newest only; using one signs the others out."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import update

from hep.db import db
from hep.models import Role, SignInLink
from tests.conftest import PASSWORD, Cast

NEW_PASSWORD = "a brand new passphrase for hep"


def ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, (response.status_code, response.get_json())
    return response.get_json()


def code(link: dict[str, Any]) -> str:
    assert "/#/sign-in-link/" in link["url"]
    return link["url"].rsplit("/", 1)[1]


def test_a_therapist_makes_a_fresh_link_for_their_patient_that_works_once(cast: Cast):
    therapist, patient = cast.user(Role.THERAPIST), cast.user(Role.PATIENT, "Lost Phone")
    cast.link(therapist, patient)
    old_phone = cast.client(patient)
    t = cast.client(therapist)
    first = code(ok(t.post(f"/api/patients/{patient.id}/sign-in-link"), 201))
    second = code(ok(t.post(f"/api/patients/{patient.id}/sign-in-link"), 201))
    anon = cast.client()
    assert anon.get(f"/api/sign-in-links/{first}").status_code == 404  # replaced
    assert ok(anon.get(f"/api/sign-in-links/{second}"))["name"] == "Lost Phone"
    new_phone = cast.client()
    ok(new_phone.post(f"/api/sign-in-links/{second}/accept", json={"password": NEW_PASSWORD}))
    assert ok(new_phone.get("/api/me"))["id"] == str(patient.id)
    assert old_phone.get("/api/me").status_code == 401  # the lost phone is signed out
    again = cast.client().post(
        f"/api/sign-in-links/{second}/accept", json={"password": NEW_PASSWORD}
    )
    assert again.status_code == 404
    login = {"email": patient.email, "password": NEW_PASSWORD}
    ok(cast.client().post("/api/auth/login", json=login))
    other = cast.client(cast.user(Role.THERAPIST))
    assert other.post(f"/api/patients/{patient.id}/sign-in-link").status_code == 404


def test_an_expired_link_or_one_for_a_disabled_account_does_nothing(cast: Cast):
    admin, therapist = cast.user(Role.ADMIN), cast.user(Role.THERAPIST)
    a = cast.client(admin)
    link = code(ok(a.post(f"/api/admin/users/{therapist.id}/sign-in-link"), 201))
    db.session.execute(
        update(SignInLink).values(expires_at=dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1))
    )
    db.session.commit()
    body = {"password": NEW_PASSWORD}
    assert cast.client().post(f"/api/sign-in-links/{link}/accept", json=body).status_code == 404
    fresh = code(ok(a.post(f"/api/admin/users/{therapist.id}/sign-in-link"), 201))
    ok(a.patch(f"/api/admin/users/{therapist.id}", json={"is_active": False}))
    assert cast.client().post(f"/api/sign-in-links/{fresh}/accept", json=body).status_code == 404
    ok(a.patch(f"/api/admin/users/{therapist.id}", json={"is_active": True}))
    ok(cast.client().post(f"/api/sign-in-links/{fresh}/accept", json=body))
    weak = code(ok(a.post(f"/api/admin/users/{therapist.id}/sign-in-link"), 201))
    short = cast.client().post(f"/api/sign-in-links/{weak}/accept", json={"password": PASSWORD[:4]})
    assert short.status_code == 422
