"""Request edges: CSRF, content types, sizes, errors, headers."""

from __future__ import annotations

import os
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
from flask import Flask

from hep.assets import SWAGGER_UI_VERSION
from hep.models import Role
from tests.conftest import PASSWORD, Cast, make_test_app
from tests.push_service import free_port
from tests.test_logs import GUNICORN


def test_a_cookie_write_from_another_site_is_refused(cast: Cast):
    c = cast.client(cast.user(Role.PATIENT))
    assert (
        c.patch("/api/me", json={"name": "A"}, headers={"Sec-Fetch-Site": "cross-site"}).status_code
        == 403
    )
    assert (
        c.patch(
            "/api/me", json={"name": "A"}, headers={"Origin": "https://evil.example"}
        ).status_code
        == 403
    )
    assert c.patch("/api/me", json={"name": "A"}, headers={"X-HEP-CSRF": ""}).status_code == 403
    ok = c.patch(
        "/api/me",
        json={"name": "A"},
        headers={"Sec-Fetch-Site": "same-origin", "Origin": "http://localhost"},
    )
    assert ok.status_code == 200


def test_login_needs_the_csrf_header_too(app: Flask, cast: Cast):
    user = cast.user(Role.PATIENT)
    raw = app.test_client()
    r = raw.post("/api/auth/login", json={"email": user.email, "password": PASSWORD})
    assert r.status_code == 403
    r = raw.post(
        "/api/auth/login",
        json={"email": user.email, "password": PASSWORD},
        headers={"X-HEP-CSRF": "1", "Sec-Fetch-Site": "cross-site"},
    )
    assert r.status_code == 403


def test_bearer_clients_need_no_csrf_header(app: Flask, cast: Cast):
    token = cast.token(cast.user(Role.PATIENT))
    r = app.test_client().patch(
        "/api/me", json={"name": "B"}, headers={"Authorization": f"Bearer {token}"}
    )
    assert r.status_code == 200


def test_no_cors_echo_of_foreign_origins(cast: Cast):
    c = cast.client(cast.user(Role.PATIENT))
    r = c.get("/api/me", headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in r.headers


def test_api_responses_carry_security_headers(cast: Cast):
    r = cast.client(cast.user(Role.PATIENT)).get("/api/me")
    assert r.headers["Content-Type"] == "application/json"
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert r.headers["Cache-Control"] == "no-store"
    assert r.headers["X-Request-Id"]


def test_pages_carry_a_strict_csp(client):
    r = client.get("/api/docs")
    csp = r.headers["Content-Security-Policy"]
    for part in (
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "worker-src 'self'",
        "manifest-src 'self'",
        "connect-src 'self'",
    ):
        assert part in csp
    assert r.headers["Referrer-Policy"]


def test_the_docs_ui_and_openapi_document_are_served(client):
    assert client.get("/api/docs").status_code == 200
    assets = f"/api/docs/assets/{SWAGGER_UI_VERSION}"
    assert client.get(f"{assets}/swagger-ui-bundle.js").status_code == 200
    spec = client.get("/api/openapi.json").get_json()
    assert "/api/patients" in spec["paths"] and spec["openapi"].startswith("3.")


def test_a_non_json_body_is_415(cast: Cast):
    c = cast.client(cast.user(Role.PATIENT))
    r = c.patch("/api/me", data="name=x", content_type="application/x-www-form-urlencoded")
    assert r.status_code == 415 and r.get_json()["code"] == 415


def test_an_oversized_body_is_413_and_the_worker_stays_alive(cast: Cast):
    c = cast.client(cast.user(Role.PATIENT))
    r = c.patch(
        "/api/me", data='{"name": "' + "x" * 200_000 + '"}', content_type="application/json"
    )
    assert r.status_code == 413
    assert c.get("/api/me").status_code == 200


@pytest.mark.parametrize("body", ["[" * 30000 + "]" * 30000, '{"a":' * 20000 + "1" + "}" * 20000])
def test_deeply_nested_json_is_a_4xx(cast: Cast, body: str):
    c = cast.client(cast.user(Role.PATIENT))
    r = c.patch("/api/me", data=body, content_type="application/json")
    assert 400 <= r.status_code < 500


def test_malformed_json_is_a_4xx(cast: Cast):
    r = cast.client(cast.user(Role.PATIENT)).patch(
        "/api/me", data="{nope", content_type="application/json"
    )
    assert 400 <= r.status_code < 500
    assert r.get_json()["code"] == r.status_code


def test_an_unsupported_method_is_405_with_allow(cast: Cast):
    r = cast.client(cast.user(Role.PATIENT)).put("/api/me", json={})
    assert r.status_code == 405
    assert "GET" in r.headers["Allow"]
    assert r.get_json()["code"] == 405


def test_unknown_paths_are_json_404(client):
    r = client.get("/api/nothing-here")
    assert r.status_code == 404 and r.get_json()["code"] == 404


def test_wrong_types_get_field_errors(cast: Cast):
    c = cast.client(cast.user(Role.THERAPIST))
    r = c.post("/api/patients", json={"email": 5, "name": None})
    assert r.status_code == 422
    assert set(r.get_json()["errors"]) >= {"email", "name"}


def test_an_unhandled_error_is_a_generic_500_with_a_request_id(database_url, tmp_path):
    app = make_test_app(database_url, tmp_path)

    @app.get("/api/test-boom")
    def boom():
        raise RuntimeError("secret internals /etc/passwd SELECT")

    r = app.test_client().get("/api/test-boom")
    assert r.status_code == 500
    body = r.get_json()
    assert body["request_id"] == r.headers["X-Request-Id"]
    assert "secret" not in r.get_data(as_text=True) and "SELECT" not in r.get_data(as_text=True)


@pytest.mark.parametrize(
    "path", ["/api/me", "/api/openapi.json", "/", "/sw.js", "/static/js/app.js", "/api/nothing"]
)
def test_every_response_may_be_read_by_this_origin_only(client, path: str):
    assert client.get(path).headers["Cross-Origin-Resource-Policy"] == "same-origin"


def test_a_401_challenges_with_bearer_which_opens_no_browser_dialog(app: Flask, cast: Cast):
    raw = app.test_client()
    anonymous = raw.get("/api/me")
    assert anonymous.status_code == 401
    assert anonymous.headers["WWW-Authenticate"] == 'Bearer realm="hep"'
    stale = raw.get("/api/me", headers={"Authorization": "Bearer not-a-token"})
    assert stale.status_code == 401
    assert stale.headers["WWW-Authenticate"] == 'Bearer realm="hep", error="invalid_token"'
    user = cast.user(Role.PATIENT)
    wrong = raw.post(
        "/api/auth/tokens", json={"email": user.email, "password": "not the passphrase"}
    )
    assert wrong.status_code == 401 and wrong.headers["WWW-Authenticate"].startswith("Bearer ")
    assert "WWW-Authenticate" not in cast.client(user).get("/api/me").headers


def test_hsts_covers_subdomains_in_production(database_url: str, tmp_path: Path):
    secure = make_test_app(database_url, tmp_path, SECURE_COOKIES=True).test_client()
    hsts = secure.get("/api/health").headers["Strict-Transport-Security"]
    assert hsts == "max-age=31536000; includeSubDomains"
    plain = make_test_app(database_url, tmp_path / "dev").test_client()
    assert "Strict-Transport-Security" not in plain.get("/api/health").headers


@pytest.mark.slow
def test_gunicorn_as_readme_starts_it_names_no_server(tmp_path: Path):
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("HEP_")}
    env.update(HEP_ENV="testing", HEP_INSTANCE_PATH=str(tmp_path))
    process = subprocess.Popen(
        [*GUNICORN, "--bind", f"127.0.0.1:{port}"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with opener.open(f"http://127.0.0.1:{port}/api/health", timeout=2) as r:
                    headers = r.headers
                break
            except OSError:
                assert time.monotonic() < deadline, "gunicorn did not start"
                time.sleep(0.1)
    finally:
        process.terminate()
        process.wait(timeout=30)
    assert "Server" not in headers
    assert headers["Cross-Origin-Resource-Policy"] == "same-origin"
