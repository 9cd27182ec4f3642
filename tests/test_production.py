"""The README's production path, run as written: from an empty PostgreSQL database to a sign-in
and a reminder delivered by the scheduler to a push service.

Production sends only to allow-listed push services over https on port 443 at public addresses,
so the stack runs in a network namespace of its own (`unshare --user --map-root-user --net
--mount`): a public address sits on its `lo`, a bind-mounted /etc/hosts names an allow-listed
push host there, and an https push sink listens on port 443 with a self-signed certificate that
hep trusts through SSL_CERT_FILE; PostgreSQL is reached through its unix socket. What differs
from real production: the push host's name, address and certificate authority are the test's
own, and the reminder's `next_fire_at` is moved to now in the database rather than waiting up
to a minute for its time of day."""

from __future__ import annotations

import datetime as dt
import http.client
import json
import os
import shlex
import shutil
import signal
import ssl
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

import pytest

from tests.tools import require_tool

ROOT = Path(__file__).resolve().parent.parent
SOCKET_DIR = os.environ.get("HEP_TEST_PG_SOCKET", "/var/run/postgresql")
PUSH_HOST = "push.example.net"
PUSH_ADDRESS = "1.2.3.4"  # globally routable; only ever bound inside the namespace
WEB = ("127.0.0.1", 8000)
PASSWORD = "a long enough production passphrase"
UNSHARE = ["unshare", "--user", "--map-root-user", "--net", "--mount"]


def readme_production() -> tuple[dict[str, str], list[list[str]]]:
    """The exported settings and the commands of the README's Production block."""
    readme = (ROOT / "README.md").read_text()
    section = readme.split("\n## Production\n", 1)[1].split("\n## ", 1)[0]
    block = section.split("```sh\n", 1)[1].split("```", 1)[0]
    env: dict[str, str] = {}
    commands: list[list[str]] = []
    for line in block.splitlines():
        words = shlex.split(line, comments=True)
        if not words:
            continue
        if words[0] == "export":
            name, _, value = words[1].partition("=")
            env[name] = value
        else:
            commands.append(words)
    return env, commands


# --- inside the namespace -------------------------------------------------------------------


class Web:
    """Requests to gunicorn as the TLS proxy would pass them on."""

    def __init__(self) -> None:
        self.token = ""

    def call(self, method: str, path: str, body: Any = None) -> tuple[int, Any, dict[str, str]]:
        connection = http.client.HTTPConnection(*WEB, timeout=30)
        # the PWA on https://hep.example.org, through the proxy
        headers = {
            "X-Forwarded-Proto": "https",
            "X-Forwarded-Host": "hep.example.org",
            "X-Forwarded-For": "203.0.113.7",
            "Origin": "https://hep.example.org",
            "Sec-Fetch-Site": "same-origin",
            "X-HEP-CSRF": "1",
        }
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        payload = None
        if body is not None:
            payload = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        try:
            connection.request(method, path, body=payload, headers=headers)
            response = connection.getresponse()
            raw = response.read()
            answer = json.loads(raw) if raw and response.status != 204 else None
            return response.status, answer, dict(response.getheaders())
        finally:
            connection.close()

    def sign_in(self, email: str) -> int:
        status, answer, _ = self.call(
            "POST", "/api/auth/tokens", {"email": email, "password": PASSWORD}
        )
        self.token = answer["token"] if status == 201 else ""
        return status


def _certificate(folder: Path) -> tuple[Path, Path]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, PUSH_HOST)])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(hours=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(PUSH_HOST)]), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "push-cert.pem", folder / "push-key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


def _public_network(work: Path) -> None:
    subprocess.run(["ip", "link", "set", "lo", "up"], check=True)
    subprocess.run(["ip", "addr", "add", f"{PUSH_ADDRESS}/32", "dev", "lo"], check=True)
    hosts = work / "hosts"
    hosts.write_text(f"127.0.0.1 localhost\n::1 localhost\n{PUSH_ADDRESS} {PUSH_HOST}\n")
    subprocess.run(["mount", "--bind", str(hosts), "/etc/hosts"], check=True)


def _wait(predicate: Any, seconds: float) -> Any:
    deadline = time.monotonic() + seconds
    while True:
        try:
            found = predicate()
        except OSError:
            found = None
        if found or time.monotonic() > deadline:
            return found
        time.sleep(0.2)


def inside(work: Path, database_url: str) -> dict[str, Any]:
    """Run the README's block in this (new) namespace; return what happened."""
    from tests.push_service import BrowserSubscription, FakePushService, verify_vapid

    _public_network(work)
    cert, key = _certificate(work)
    tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    tls.load_cert_chain(cert, key)
    sink = FakePushService(host=PUSH_ADDRESS, ports=(443,), ssl_context=tls).start()

    settings, commands = readme_production()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HEP_", "PYTHON"))}
    env.update(settings)
    env.update(
        HEP_DATABASE_URL=database_url,
        HEP_INSTANCE_PATH=str(work / "instance"),
        HEP_PUSH_ALLOWED_HOSTS=PUSH_HOST,
        HEP_NEW_PASSWORD=PASSWORD,
        SSL_CERT_FILE=str(cert),
        PATH=f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}",
    )
    site = work / "site"  # an operator's directory, not the checkout
    site.mkdir()
    report: dict[str, Any] = {"settings": settings, "commands": [], "received": [], "t": []}
    start = time.monotonic()

    def mark(step: str) -> None:
        report["t"].append((step, round(time.monotonic() - start, 1)))

    running: list[tuple[list[str], subprocess.Popen[bytes], Path]] = []
    try:
        for argv in commands:
            if argv[0] == "gunicorn" or argv[1:] == ["scheduler"]:
                log = work / f"{argv[0]}-{argv[-1]}.log"
                with log.open("wb") as out:
                    process = subprocess.Popen(
                        argv, cwd=site, env=env, stdout=out, stderr=subprocess.STDOUT
                    )
                running.append((argv, process, log))
                continue
            done = subprocess.run(
                argv, cwd=site, env=env, capture_output=True, text=True, timeout=60
            )
            report["commands"].append([argv, done.returncode, done.stdout + done.stderr])
            mark(argv[1])
            if done.returncode != 0:
                return report
        vapid = subprocess.run(
            ["hep", "vapid", "public-key"], cwd=site, env=env, capture_output=True, text=True
        )
        public_key = vapid.stdout.strip()
        report["vapid_key_file"] = (work / "instance" / "vapid_private.pem").is_file()

        web = Web()
        report["web_up"] = bool(_wait(lambda: web.call("GET", "/api/health")[0] == 200, 40))
        mark("web up")
        if not report["web_up"]:
            return report
        admin = next(argv for argv in commands if argv[:2] == ["hep", "create-admin"])
        report["admin_sign_in"] = web.sign_in(admin[admin.index("--email") + 1])

        patient = Web()
        email = f"{uuid.uuid4().hex[:10]}@example.org"
        body = {"email": email, "name": "Pat", "password": PASSWORD}
        status, _, headers = patient.call("POST", "/api/auth/signup/patient", body)
        report["patient_signup"] = status
        report["session_cookie"] = headers.get("Set-Cookie", "").split("=", 1)[0]
        patient.sign_in(email)
        browser = BrowserSubscription.create()
        path = f"/push/{uuid.uuid4().hex}"
        subscription = {
            "endpoint": f"https://{PUSH_HOST}{path}",
            "keys": {"p256dh": browser.p256dh, "auth": browser.auth},
        }
        report["subscribe"] = patient.call("POST", "/api/push/subscriptions", subscription)[0]
        rule = {"type": "times", "times": ["09:00"]}
        status, reminder, _ = patient.call("POST", "/api/reminders", {"rule": rule})
        report["reminder"] = status
        if status != 201:
            report["reminder_answer"] = reminder
            return report
        mark("reminder")
        _due_now(database_url, reminder["id"])

        if _wait(lambda: sink.to(path), 30):
            for received in sink.to(path):
                report["received"].append(
                    {
                        "claims": verify_vapid(received.headers["authorization"], public_key),
                        "payload": json.loads(browser.decrypt(received.body)),
                        "ttl": received.headers.get("ttl"),
                    }
                )

        def outcomes() -> list[str]:
            history = patient.call("GET", f"/api/reminders/{reminder['id']}/history")[1]
            return [item["outcome"] for item in history] if "sent" in str(history) else []

        mark("pushed")
        report["history"] = _wait(outcomes, 10)
        mark("history")
        return report
    finally:
        for _, process, _ in running:
            process.send_signal(signal.SIGTERM)
        report["processes"] = []
        for argv, process, log in running:
            try:
                code = process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                code = process.wait()
            report["processes"].append([argv, code, log.read_text(errors="replace")])
        sink.stop()
        mark("stopped")


def _due_now(database_url: str, reminder_id: str) -> None:
    """Bring the reminder's next occurrence to now (instead of waiting for its minute)."""
    from sqlalchemy import create_engine, text

    engine = create_engine(database_url)
    with engine.begin() as connection:
        connection.execute(
            text("UPDATE reminders SET next_fire_at = now() WHERE id = :id"), {"id": reminder_id}
        )
    engine.dispose()


# --- the test -----------------------------------------------------------------------------------


def _namespaces_work() -> bool:
    if shutil.which("unshare") is None or shutil.which("ip") is None:
        return False
    probe = subprocess.run([*UNSHARE, "ip", "link", "set", "lo", "up"], capture_output=True)
    return probe.returncode == 0


def _socket_database() -> Any:
    import psycopg

    try:
        return psycopg.connect(
            host=SOCKET_DIR, user="postgres", dbname="postgres", autocommit=True, connect_timeout=3
        )
    except psycopg.OperationalError as exc:
        require_tool("PostgreSQL", False, f"no server at the unix socket in {SOCKET_DIR}: {exc}")


@pytest.mark.slow
def test_the_readme_production_path_delivers_a_reminder_from_an_empty_database(tmp_path: Path):
    require_tool(
        "unshare",
        _namespaces_work(),
        "unshare (util-linux) with user and network namespaces, and ip (iproute2), are needed",
    )
    admin = _socket_database()
    name = f"hep_production_{uuid.uuid4().hex[:10]}"
    admin.execute(f'CREATE DATABASE "{name}"')
    url = f"postgresql+psycopg://postgres@/{name}?host={SOCKET_DIR}"
    try:
        done = subprocess.run(
            [*UNSHARE, sys.executable, "-m", "tests.test_production", str(tmp_path), url],
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            capture_output=True,
            text=True,
            timeout=120,
        )
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])

    assert report["settings"]["HEP_ENV"] == "production"
    assert [(argv[:2], code) for argv, code, _ in report["commands"]] == [
        (["hep", "init"], 0),
        (["hep", "migrate"], 0),
        (["hep", "create-admin"], 0),
    ], report["commands"]
    assert "generated a VAPID key pair" in report["commands"][0][2]
    assert report["vapid_key_file"]
    assert report["web_up"], report["processes"]
    assert report["admin_sign_in"] == 201
    assert report["patient_signup"] == 201
    assert report["session_cookie"].startswith("__Host-")  # production: Secure cookies
    assert (report["subscribe"], report["reminder"]) == (201, 201), report.get("reminder_answer")

    assert len(report["received"]) == 1, (report["t"], report["processes"])
    push = report["received"][0]
    assert push["claims"]["aud"] == f"https://{PUSH_HOST}"
    assert push["claims"]["sub"] == report["settings"]["HEP_VAPID_SUBJECT"]
    assert int(push["ttl"]) > 0
    assert push["payload"]
    assert report["history"] == ["sent"]

    for argv, code, log in report["processes"]:
        assert "Traceback" not in log and "database is locked" not in log, (argv, log[-3000:])
        assert code == 0, (argv, code, log[-3000:])
    assert [argv[0] for argv, _, _ in report["processes"]] == ["gunicorn", "hep"]


if __name__ == "__main__":
    print(json.dumps(inside(Path(sys.argv[1]), sys.argv[2]), default=str))
