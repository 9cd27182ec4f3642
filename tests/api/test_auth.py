"""Sign-up, sign-in, sessions, tokens and password rules."""

from __future__ import annotations

import datetime as dt

from flask import Flask
from sqlalchemy import func, select

from hep.db import db
from hep.models import AuthSession, Role, User
from tests.conftest import PASSWORD, Cast


def signup(client, role="therapist", **over):
    body = {
        "email": "new@example.org",
        "name": "New Person",
        "password": PASSWORD,
        "timezone": "Europe/Berlin",
    }
    body.update(over)
    return client.post(f"/api/auth/signup/{role}", json=body)


def test_a_therapist_signs_up_and_is_signed_in(client):
    r = signup(client)
    assert r.status_code == 201
    assert r.get_json()["user"]["role"] == "therapist"
    cookie = r.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Path=/" in cookie
    me = client.get("/api/me")
    assert me.status_code == 200 and me.get_json()["email"] == "new@example.org"
    assert "password_hash" not in me.get_json()


def test_a_short_password_is_refused_with_a_field_error(client):
    r = signup(client, password="short")
    assert r.status_code == 422
    assert "password" in r.get_json()["errors"]
    assert db.session.scalar(select(func.count()).select_from(User)) == 0


def test_a_very_common_password_is_refused(client):
    r = signup(client, password="password1")
    assert r.status_code == 422 and "password" in r.get_json()["errors"]


def test_a_long_unicode_password_with_spaces_works_untruncated(client, cast: Cast):
    long_pw = "ein sehr langes Passwort mit Umlauten äöü und Leerzeichen — 🙂 " * 2
    assert len(long_pw) > 64
    assert signup(client, password=long_pw).status_code == 201
    fresh = cast.client()
    ok = fresh.post("/api/auth/login", json={"email": "new@example.org", "password": long_pw})
    assert ok.status_code == 200
    cut = fresh.post("/api/auth/login", json={"email": "new@example.org", "password": long_pw[:72]})
    assert cut.status_code == 401


def test_passwords_are_stored_with_argon2id(client):
    signup(client)
    stored = db.session.scalar(select(User.password_hash))
    assert stored.startswith("$argon2id$")


def test_an_invalid_timezone_is_refused(client):
    r = signup(client, timezone="Mars/Olympus")
    assert r.status_code == 422 and "timezone" in r.get_json()["errors"]


def test_a_duplicate_email_is_a_conflict(client):
    assert signup(client).status_code == 201
    assert signup(client, email="NEW@example.org").status_code == 409


def test_therapist_signup_can_be_switched_off(app: Flask, client):
    app.config["THERAPIST_SIGNUP"] = False
    try:
        assert signup(client).status_code == 403
        assert signup(client, role="patient").status_code == 201
    finally:
        app.config["THERAPIST_SIGNUP"] = True


def test_unknown_email_and_wrong_password_answer_alike(client, cast: Cast):
    user = cast.user(Role.PATIENT)
    a = client.post("/api/auth/login", json={"email": user.email, "password": "wrong password!"})
    b = client.post("/api/auth/login", json={"email": "nobody@example.org", "password": "x" * 9})
    assert a.status_code == b.status_code == 401
    assert a.get_json()["message"] == b.get_json()["message"]


def test_every_login_gets_a_new_session_token(cast: Cast):
    user = cast.user(Role.PATIENT)
    c = cast.client()
    one = c.post("/api/auth/login", json={"email": user.email, "password": PASSWORD})
    two = c.post("/api/auth/login", json={"email": user.email, "password": PASSWORD})
    assert one.headers["Set-Cookie"].split(";")[0] != two.headers["Set-Cookie"].split(";")[0]


def test_logout_ends_the_session_on_the_server(cast: Cast):
    user = cast.user(Role.PATIENT)
    c = cast.client(user)
    cookie = c.get_cookie("hep_session").value
    r = c.post("/api/auth/logout")
    assert r.status_code == 204
    assert "storage" in r.headers["Clear-Site-Data"]
    replay = cast.client()
    replay.set_cookie("hep_session", cookie)
    assert replay.get("/api/me").status_code == 401


def test_tampered_expired_and_foreign_tokens_are_401(app: Flask, cast: Cast):
    user = cast.user(Role.PATIENT)
    token = cast.token(user)
    c = app.test_client()
    assert c.get("/api/me", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    assert c.get("/api/me", headers={"Authorization": f"Bearer {token}x"}).status_code == 401
    assert c.get("/api/me", headers={"Authorization": "Bearer " + "A" * 500}).status_code == 401
    db.session.execute(
        AuthSession.__table__.update().values(
            expires_at=dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)
        )
    )
    db.session.commit()
    assert c.get("/api/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401


def test_a_token_that_never_was_asks_to_sign_in_again_and_an_expired_one_says_so(
    app: Flask, cast: Cast
):
    def message(token: str | None) -> str:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        r = app.test_client().get("/api/me", headers=headers)
        assert r.status_code == 401
        said: str = r.get_json()["message"]
        return said

    user = cast.user(Role.PATIENT)
    token = cast.token(user)
    assert message(None) == "Sign in first."
    assert message("never-issued") == "Sign in again."
    db.session.execute(
        AuthSession.__table__.update().values(
            expires_at=dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)
        )
    )
    db.session.commit()
    assert message(token) == "Your session has expired. Sign in again."


def test_repeated_wrong_logins_are_throttled_with_retry_after(client, cast: Cast):
    user = cast.user(Role.PATIENT)
    for _ in range(5):
        r = client.post("/api/auth/login", json={"email": user.email, "password": "not it at all"})
        assert r.status_code == 401
    r = client.post("/api/auth/login", json={"email": user.email, "password": PASSWORD})
    assert r.status_code == 429
    assert int(r.headers["Retry-After"]) > 0


def test_the_address_limit_covers_many_accounts(app: Flask, client):
    app.config["LOGIN_LIMIT_ADDRESS"] = 3
    try:
        for i in range(3):
            r = client.post(
                "/api/auth/login", json={"email": f"u{i}@example.org", "password": "whatever1"}
            )
            assert r.status_code == 401
        r = client.post(
            "/api/auth/login", json={"email": "u9@example.org", "password": "whatever1"}
        )
        assert r.status_code == 429
    finally:
        app.config["LOGIN_LIMIT_ADDRESS"] = 20


def test_a_password_change_needs_the_current_one_and_ends_other_sessions(cast: Cast):
    user = cast.user(Role.PATIENT)
    phone, laptop = cast.client(user), cast.client(user)
    bad = phone.patch(
        "/api/me", json={"password": "a new long passphrase", "current_password": "nope nope"}
    )
    assert bad.status_code == 422 and "current_password" in bad.get_json()["errors"]
    ok = phone.patch(
        "/api/me", json={"password": "a new long passphrase", "current_password": PASSWORD}
    )
    assert ok.status_code == 200
    assert phone.get("/api/me").status_code == 200
    assert laptop.get("/api/me").status_code == 401


def test_profile_timezone_is_validated(cast: Cast):
    c = cast.client(cast.user(Role.PATIENT))
    assert c.patch("/api/me", json={"timezone": "Nowhere/Town"}).status_code == 422
    r = c.patch("/api/me", json={"timezone": "America/New_York", "name": "Renamed"})
    assert r.status_code == 200 and r.get_json()["timezone"] == "America/New_York"


def test_unknown_fields_are_refused_and_never_applied(cast: Cast):
    user = cast.user(Role.PATIENT)
    c = cast.client(user)
    r = c.patch("/api/me", json={"name": "X", "role": "admin"})
    assert r.status_code == 422 and "role" in r.get_json()["errors"]
    db.session.expire_all()
    assert db.session.get(User, user.id).role is Role.PATIENT
    assert db.session.get(User, user.id).name != "X"


def test_disabling_a_user_ends_all_their_sessions(cast: Cast):
    admin = cast.user(Role.ADMIN)
    patient = cast.user(Role.PATIENT)
    phone = cast.client(patient)
    r = cast.client(admin).patch(f"/api/admin/users/{patient.id}", json={"is_active": False})
    assert r.status_code == 200
    assert phone.get("/api/me").status_code == 401
    assert (
        db.session.scalar(
            select(func.count()).select_from(AuthSession).where(AuthSession.user_id == patient.id)
        )
        == 0
    )
