"""SMTP delivery against a real server on loopback (aiosmtpd): TLS, AUTH, reuse, failures."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest

from hep.mail.smtp import MailResult, MailSettings, SmtpSender
from tests.mail_server import closed_port, mail_server, silent_listener

MESSAGE = b"From: hep <hep@clinic.example>\r\nTo: someone\r\nSubject: test\r\n\r\nhello\r\n"

pytestmark = [
    pytest.mark.filterwarnings("ignore:Session.login_data:DeprecationWarning"),
    pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS:UserWarning"),
]


def send_all(config: dict, recipients: list[str]) -> tuple[list[MailResult], int]:
    settings = MailSettings.from_config(config)
    assert settings is not None

    async def run() -> tuple[list[MailResult], int]:
        async with SmtpSender(settings) as sender:
            results = await asyncio.gather(*(sender.send(r, MESSAGE) for r in recipients))
        return list(results), sender.connections_opened

    return asyncio.run(run())


@pytest.mark.parametrize("tls", ["starttls", "implicit"])
def test_it_sends_over_tls_with_auth_reusing_its_connections(tmp_path: Path, tls: str):
    with mail_server(tmp_path, tls) as server:
        recipients = [f"p{n}@example.org" for n in range(20)]
        results, opened = send_all(server.config(), recipients)
    assert [r.outcome for r in results] == ["sent"] * 20
    assert sorted(r for got in server.received for r in got.rcpt_tos) == sorted(recipients)
    assert all(got.authenticated for got in server.received)
    if tls == "starttls":
        assert all(got.tls for got in server.received)
    # 20 messages over the pass's few connections, not one connection each
    assert opened == server.sessions <= 4


def test_a_server_that_demands_starttls_gets_no_mail_in_the_clear(tmp_path: Path):
    with mail_server(tmp_path, "starttls") as server:
        results, _ = send_all(server.config(SMTP_TLS="none") | {"SMTP_TLS": "none"}, ["a@x.org"])
    assert results[0].outcome == "retry"
    assert server.received == []


def test_an_untrusted_certificate_is_refused(tmp_path: Path):
    with mail_server(tmp_path, "starttls") as server:
        results, _ = send_all(server.config() | {"SMTP_CA_FILE": None}, ["a@x.org"])
    assert results[0].outcome == "retry"
    assert server.received == []


def test_wrong_credentials_retry_later_and_stop_the_pass(tmp_path: Path):
    with mail_server(tmp_path, "starttls") as server:
        config = server.config() | {"SMTP_PASSWORD": "wrong"}
        results, opened = send_all(config, [f"p{n}@x.org" for n in range(10)])
    assert {r.outcome for r in results} == {"retry"}
    assert opened <= 4  # not one refused AUTH per message
    assert server.received == []


def test_replies_map_to_gone_retry_and_failed_and_the_rest_flows(tmp_path: Path):
    with mail_server(tmp_path, "starttls") as server:
        server.refuse("gone@example.org", "550 5.1.1 <gone@example.org>: no such user here")
        server.refuse("moved@example.org", "551 5.1.6 user not local")
        server.refuse("grey@example.org", "450 4.2.0 greylisted, come back later")
        server.refuse("closing@example.org", "421 4.3.2 service shutting down")
        server.refuse("policy@example.org", "554 5.7.1 refused by policy")
        recipients = [
            "ok1@example.org",
            "gone@example.org",
            "moved@example.org",
            "grey@example.org",
            "closing@example.org",
            "policy@example.org",
            "ok2@example.org",
        ]
        results, _ = send_all(server.config(), recipients)
    outcome = dict(zip(recipients, results, strict=True))
    assert outcome["ok1@example.org"].outcome == outcome["ok2@example.org"].outcome == "sent"
    assert outcome["gone@example.org"] == MailResult("gone", 550, "SMTP 550 5.1.1")
    assert outcome["moved@example.org"].outcome == "gone"
    assert outcome["grey@example.org"] == MailResult("retry", 450, "SMTP 450 4.2.0")
    assert outcome["closing@example.org"].outcome == "retry"
    assert outcome["policy@example.org"] == MailResult("failed", 554, "SMTP 554 5.7.1")
    # the server's words (which quote the address) are never kept
    assert all("example.org" not in r.error for r in results)


def test_a_refused_connection_is_retried_later():
    config = {
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": closed_port(),
        "SMTP_TLS": "none",
        "SMTP_FROM": "hep@clinic.example",
    }
    results, _ = send_all(config, ["a@x.org", "b@x.org"])
    assert [r.outcome for r in results] == ["retry", "retry"]


def test_a_hung_server_costs_one_timeout_not_one_per_message():
    with silent_listener() as port:
        config = {
            "SMTP_HOST": "127.0.0.1",
            "SMTP_PORT": port,
            "SMTP_TLS": "starttls",
            "SMTP_FROM": "hep@clinic.example",
            "SMTP_TIMEOUT_SECONDS": 1,
        }
        started = time.monotonic()
        results, _ = send_all(config, [f"p{n}@x.org" for n in range(12)])
        elapsed = time.monotonic() - started
    assert {r.outcome for r in results} == {"retry"}
    # a bound, not a timing claim: 12 messages one after another would need 12 timeouts
    assert elapsed < 6
