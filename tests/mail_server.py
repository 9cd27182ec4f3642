"""A real SMTP server on loopback for tests (aiosmtpd): STARTTLS or implicit TLS with a
self-signed certificate, AUTH, scripted refusals, and a listener that never answers."""

from __future__ import annotations

import contextlib
import datetime as dt
import socket
import ssl
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

USER = "hep-mailer"
PASSWORD = "a mail relay secret"


def self_signed(folder: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 and localhost and its key: (cert.pem, key.pem). The
    certificate doubles as the CA file a client trusts it with."""
    import ipaddress

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "smtp-cert.pem", folder / "smtp-key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    data: bytes
    tls: bool
    authenticated: bool

    @property
    def message(self) -> EmailMessage:
        parsed: EmailMessage = BytesParser(policy=policy.default).parsebytes(self.data)  # type: ignore[assignment]
        return parsed


@dataclass
class _Handler:
    received: list[Received] = field(default_factory=list)
    # recipient -> the reply to its RCPT ("550 5.1.1 No such user here")
    refuse: dict[str, str] = field(default_factory=dict)
    sessions: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: list[str]
    ) -> str:
        reply = self.refuse.get(address)
        if reply is not None:
            return reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self.lock:
            self.received.append(
                Received(
                    envelope.mail_from,
                    list(envelope.rcpt_tos),
                    envelope.original_content or envelope.content,
                    session.ssl is not None,
                    bool(session.authenticated),
                )
            )
        return "250 2.0.0 Message accepted"


def _authenticator(
    server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any
) -> AuthResult:
    ok = (
        isinstance(auth_data, LoginPassword)
        and auth_data.login == USER.encode()
        and auth_data.password == PASSWORD.encode()
    )
    return AuthResult(success=ok, handled=False)


class _CountingController(Controller):
    """Counts the SMTP sessions (connections) the server saw."""

    def factory(self) -> Any:
        smtp = super().factory()
        handler: _Handler = self.handler
        with handler.lock:
            handler.sessions += 1
        return smtp


@dataclass
class MailServer:
    host: str
    port: int
    tls: str
    ca_file: str | None
    handler: _Handler

    @property
    def received(self) -> list[Received]:
        return self.handler.received

    @property
    def sessions(self) -> int:
        return self.handler.sessions

    def refuse(self, address: str, reply: str) -> None:
        self.handler.refuse[address] = reply

    def config(self, **extra: Any) -> dict[str, Any]:
        """App settings that send through this server."""
        config: dict[str, Any] = {
            "SMTP_HOST": self.host,
            "SMTP_PORT": self.port,
            "SMTP_TLS": self.tls,
            "SMTP_FROM": "hep <hep@clinic.example>",
            "SMTP_CA_FILE": self.ca_file,
            "SMTP_TIMEOUT_SECONDS": 5,
        }
        if self.tls != "none":
            config.update(SMTP_USER=USER, SMTP_PASSWORD=PASSWORD)
        return config

    def for_address(self, address: str) -> list[EmailMessage]:
        return [r.message for r in self.received if address in r.rcpt_tos]


@contextlib.contextmanager
def mail_server(folder: Path, tls: str = "starttls") -> Iterator[MailServer]:
    """An SMTP server on 127.0.0.1: `starttls` (STARTTLS and AUTH required), `implicit` (TLS
    from the first byte, AUTH required), or `none` (plain, no AUTH: a benchmark sink)."""
    handler = _Handler()
    kwargs: dict[str, Any] = {}
    ca_file = None
    if tls != "none":
        cert, key = self_signed(folder)
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(cert, key)
        ca_file = str(cert)
        kwargs.update(authenticator=_authenticator, auth_required=True)
        if tls == "starttls":
            kwargs.update(tls_context=context, require_starttls=True)
        else:
            # the TLS here wraps the socket below aiosmtpd, which cannot see it and would
            # otherwise hide AUTH as if the connection were plain
            kwargs.update(ssl_context=context, auth_require_tls=False)
    port = closed_port()
    controller = _CountingController(handler, hostname="127.0.0.1", port=port, **kwargs)
    controller.start()
    handler.sessions = 0  # the controller's own check that the server is up
    try:
        yield MailServer("127.0.0.1", port, tls, ca_file, handler)
    finally:
        controller.stop()


@contextlib.contextmanager
def silent_listener() -> Iterator[int]:
    """A port that accepts connections and never says a word (a hung mail server)."""
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    try:
        yield server.getsockname()[1]
    finally:
        server.close()


def closed_port() -> int:
    """A loopback port nothing listens on (connections are refused)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port
