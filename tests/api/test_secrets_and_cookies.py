"""Production cookies are host-only and Secure; the VAPID private key never leaves the server."""

from __future__ import annotations

from flask import Flask

from hep.models import Role
from hep.push.keys import load_vapid_keys
from tests.conftest import PASSWORD, ApiClient, Cast, make_test_app


def test_secure_cookies_use_the_host_prefix(database_url, tmp_path, cast: Cast):
    user = cast.user(Role.PATIENT)
    app = make_test_app(database_url, tmp_path, SECURE_COOKIES=True)
    client = ApiClient(app, app.response_class, use_cookies=True)
    r = client.post("/api/auth/login", json={"email": user.email, "password": PASSWORD})
    cookie = r.headers["Set-Cookie"]
    assert cookie.startswith("__Host-hep_session=")
    assert "Secure" in cookie and "HttpOnly" in cookie and "Domain" not in cookie
    assert r.headers["Strict-Transport-Security"]


def test_the_vapid_private_key_is_in_no_response(app: Flask, cast: Cast):
    keys = load_vapid_keys(app.config["VAPID_PRIVATE_KEY"])
    private_fragments = [
        line for line in keys.private_pem().splitlines() if line and not line.startswith("-----")
    ]
    c = cast.client(cast.user(Role.PATIENT))
    bodies = [
        c.get(path).get_data(as_text=True)
        for path in ("/api/push/vapid-public-key", "/api/openapi.json", "/api/me/export", "/api/me")
    ]
    assert keys.public_key in bodies[0]
    for body in bodies:
        for fragment in private_fragments:
            assert fragment not in body
