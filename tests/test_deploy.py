"""deploy/: Debian's nginx with deploy/nginx/hep.conf in front of gunicorn, over TLS with a
self-signed certificate, on loopback: the app and API through it, the client's own address at
the sign-in limiter, https seen by hep (secure cookies, same-origin writes), and bodies too
big for hep refused by nginx first. The systemd units pass systemd-analyze."""

from __future__ import annotations

import datetime as dt
import gzip
import http.client
import json
import os
import shutil
import signal
import ssl
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from hep.cli import generate_private_key_pem
from hep.migrate import upgrade
from tests.push_service import free_port
from tests.tools import require_tool

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
HOST = "hep.test"
PASSWORD = "a long enough deploy passphrase"
CSRF = {"X-HEP-CSRF": "1"}


def certificate(folder: Path) -> tuple[Path, Path]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, HOST)])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(hours=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(HOST)]), critical=False)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


def site_config(work: Path, *, https: int, http: int, upstream: int) -> str:
    """deploy/nginx/hep.conf with this machine's ports, names and files; every line swapped
    must be there, so the test follows the file."""
    text = (DEPLOY / "nginx" / "hep.conf").read_text()
    cert, key = certificate(work)
    swaps = {
        "    listen 443 ssl http2;\n": f"    listen 127.0.0.1:{https} ssl http2;\n",
        "    listen [::]:443 ssl http2;\n": "",
        "    listen 80;\n": f"    listen 127.0.0.1:{http};\n",
        "    listen [::]:80;\n": "",
        "server_name hep.example.org;": f"server_name {HOST};",
        "/etc/letsencrypt/live/hep.example.org/fullchain.pem": str(cert),
        "/etc/letsencrypt/live/hep.example.org/privkey.pem": str(key),
        "/var/log/nginx/hep.access.log": str(work / "access.log"),
        "server 127.0.0.1:8000;": f"server 127.0.0.1:{upstream};",
    }
    for old, new in swaps.items():
        assert old in text, f"deploy/nginx/hep.conf no longer has {old!r}"
        text = text.replace(old, new)
    return text


@pytest.fixture
def stack(tmp_path: Path) -> Iterator[dict[str, Any]]:
    """gunicorn (production settings, SQLite) behind nginx; yields ports, files and the cert."""
    nginx = shutil.which("nginx") or (
        "/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None
    )
    require_tool("nginx", nginx is not None, "apt-get install nginx")
    assert nginx is not None
    instance = tmp_path / "instance"
    instance.mkdir()
    url = f"sqlite:///{instance / 'hep.sqlite3'}"
    upgrade(url)
    web_port, https, http_port = free_port(), free_port(), free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("HEP_")}
    env.update(
        HEP_ENV="production",
        HEP_DATABASE_URL=url,
        HEP_INSTANCE_PATH=str(instance),
        HEP_VAPID_PRIVATE_KEY=generate_private_key_pem(),
        HEP_VAPID_SUBJECT="mailto:it@example.org",
        HEP_BASE_URL=f"https://{HOST}",
        HEP_TRUSTED_PROXIES="1",
        HEP_LOGIN_LIMIT_ADDRESS="3",
        HEP_ARGON2_TIME_COST="1",
        HEP_ARGON2_MEMORY_KIB="8",
    )
    web_log = tmp_path / "web.log"
    with web_log.open("wb") as out:
        web = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "--config",
                "python:hep.gunicorn_config",
                "--workers",
                "2",
                "--bind",
                f"127.0.0.1:{web_port}",
            ],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    prefix = tmp_path / "nginx"
    prefix.mkdir()
    (prefix / "hep.conf").write_text(
        site_config(prefix, https=https, http=http_port, upstream=web_port)
    )
    user = "user root root;\n" if os.geteuid() == 0 else ""
    (prefix / "nginx.conf").write_text(
        f"{user}worker_processes 1;\npid {prefix / 'nginx.pid'};\n"
        f"error_log {prefix / 'error.log'} warn;\nevents {{}}\n"
        "http {\n  include /etc/nginx/mime.types;\n  include hep.conf;\n}\n"
    )
    proxy = subprocess.Popen(
        [nginx, "-p", str(prefix), "-c", str(prefix / "nginx.conf"), "-g", "daemon off;"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    found = {"https": https, "http": http_port, "cert": prefix / "cert.pem", "web_log": web_log}
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if call(found, "GET", "/api/health/live")[0] == 200:
                    break
            except OSError:
                pass
            assert proxy.poll() is None, proxy.stderr.read() if proxy.stderr else ""
            assert web.poll() is None, web_log.read_text()[-3000:]
            assert time.monotonic() < deadline, "nginx and gunicorn did not come up"
            time.sleep(0.2)
        yield found
    finally:
        proxy.send_signal(signal.SIGQUIT)
        web.terminate()
        for process in (proxy, web):
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def call(
    stack: dict[str, Any],
    method: str,
    path: str,
    body: bytes | None = None,
    *,
    source: str = "127.0.0.1",
    headers: dict[str, str] | None = None,
) -> tuple[int, dict[str, str], bytes]:
    tls = ssl.create_default_context(cafile=str(stack["cert"]))
    tls.check_hostname = False  # the certificate names hep.test; we connect to 127.0.0.1
    connection = http.client.HTTPSConnection(
        "127.0.0.1", stack["https"], context=tls, timeout=30, source_address=(source, 0)
    )
    sent = {"Host": HOST, **(headers or {})}
    if body is not None:
        sent.setdefault("Content-Type", "application/json")
    try:
        connection.request(method, path, body=body, headers=sent)
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


def sign_in_failures(stack: dict[str, Any], source: str, count: int, **headers: str) -> list[int]:
    return [
        call(
            stack,
            "POST",
            "/api/auth/tokens",
            json.dumps({"email": f"{uuid.uuid4().hex}@example.org", "password": "wrong"}).encode(),
            source=source,
            headers=headers,
        )[0]
        for _ in range(count)
    ]


@pytest.mark.slow
def test_hep_behind_the_deploy_nginx_config(stack: dict[str, Any]):
    # the app shell, through TLS, compressed by hep (brotli), and the API's JSON by nginx
    status, headers, _ = call(stack, "GET", "/", headers={"Accept-Encoding": "br"})
    assert status == 200 and headers["content-encoding"] == "br"
    assert headers["strict-transport-security"].startswith("max-age=")
    status, headers, raw = call(
        stack, "GET", "/api/openapi.json", headers={"Accept-Encoding": "gzip"}
    )
    assert status == 200 and headers["content-encoding"] == "gzip"
    assert json.loads(gzip.decompress(raw))["info"]["title"] == "hep"
    assert call(stack, "GET", "/metrics")[0] == 404

    # a sign-up over https: the session cookie is Secure with the __Host- prefix, and a
    # cookie-authenticated write from https://hep.test passes the same-origin check, which
    # needs hep to see the scheme and host the browser used (X-Forwarded-Proto and Host)
    body = {"email": f"{uuid.uuid4().hex}@example.org", "name": "Pat", "password": PASSWORD}
    status, headers, raw = call(
        stack, "POST", "/api/auth/signup/patient", json.dumps(body).encode(), headers=CSRF
    )
    assert status == 201, raw
    cookie = headers["set-cookie"]
    assert cookie.startswith("__Host-hep_session=") and "Secure" in cookie
    browser = {
        "Cookie": cookie.split(";", 1)[0],
        "Origin": f"https://{HOST}",
        "Sec-Fetch-Site": "same-origin",
        "X-HEP-CSRF": "1",
    }
    habit = json.dumps({"kind": "hydration", "name": "Water"}).encode()
    status, _, raw = call(stack, "POST", "/api/habits", habit, headers=browser)
    assert status == 201, raw
    status, _, raw = call(
        stack, "POST", "/api/habits", habit, headers={**browser, "Origin": f"http://{HOST}"}
    )
    assert status == 403, raw

    # each client address has its own sign-in limit (HEP_LOGIN_LIMIT_ADDRESS=3), and a
    # forged X-Forwarded-For does not buy a new one
    assert sign_in_failures(stack, "127.0.0.2", 4) == [401, 401, 401, 429]
    assert sign_in_failures(stack, "127.0.0.2", 1, **{"X-Forwarded-For": "198.51.100.7"}) == [429]
    assert sign_in_failures(stack, "127.0.0.3", 1) == [401]

    # a body bigger than hep takes is refused by nginx, and never reaches gunicorn
    big = json.dumps({"kind": "custom", "name": "x" * 200_000}).encode()
    status, headers, raw = call(stack, "POST", "/api/habits", big, headers=browser)
    assert status == 413
    assert headers["content-type"].startswith("text/html") and b"nginx" in raw
    access = stack["web_log"].read_text()
    assert '"POST /api/habits HTTP/1.1" 201' in access
    assert '"POST /api/habits HTTP/1.1" 413' not in access
    # a photo or video upload may be bigger: nginx lets it through and hep answers (a patient
    # may not upload: 403)
    upload = f"/api/exercises/{uuid.uuid4()}/media"
    status, _, raw = call(stack, "POST", upload, big, headers=browser)
    assert status == 403 and b"nginx" not in raw, raw


def test_the_systemd_units_pass_systemd_analyze(tmp_path: Path):
    analyze = shutil.which("systemd-analyze")
    require_tool("systemd-analyze", analyze is not None, "apt-get install systemd")
    assert analyze is not None
    units = sorted((DEPLOY / "systemd").iterdir())
    assert {u.name for u in units} >= {"hep-web.service", "hep-scheduler.service"}
    done = subprocess.run(
        [analyze, "verify", *map(str, units)], capture_output=True, text=True, timeout=60
    )
    # the units name hep's install path, which this machine does not have
    problems = [
        line
        for line in (done.stdout + done.stderr).splitlines()
        if line.strip() and "is not executable: No such file or directory" not in line
    ]
    assert problems == []
