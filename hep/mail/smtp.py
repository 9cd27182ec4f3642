"""SMTP delivery through aiosmtplib: TLS (STARTTLS or implicit), AUTH, a few connections
reused for a whole pass, a timeout on every step, and each answer read as sent, gone, retry
or failed."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import ssl
from collections.abc import Mapping
from dataclasses import dataclass, field
from email.utils import parseaddr
from types import TracebackType
from typing import Any, Literal

import aiosmtplib

from hep.config import SMTP_DEFAULT_PORTS

log = logging.getLogger("hep.mail")

MailOutcome = Literal["sent", "gone", "retry", "failed"]

GONE_CODES = frozenset({550, 551, 553})
"""A recipient refused with these has no mailbox there (RFC 5321: unavailable, not local,
name not allowed): the address is gone. Any other 5xx fails this message only."""


@dataclass(frozen=True)
class MailSettings:
    """The mail server and the sender; None from `from_config` when email is off."""

    host: str
    port: int
    tls: str  # none | starttls | implicit
    sender: str  # the From header, "hep <hep@example.org>"
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    ca_file: str | None = None
    timeout: float = 10.0
    connections: int = 4
    """Connections one pass opens at most, each reused for message after message."""

    @classmethod
    def from_config(cls, cfg: Mapping[str, Any], **overrides: Any) -> MailSettings | None:
        if not cfg.get("SMTP_HOST"):
            return None
        tls = cfg.get("SMTP_TLS") or "starttls"
        values: dict[str, Any] = {
            "host": cfg["SMTP_HOST"],
            "port": cfg.get("SMTP_PORT") or SMTP_DEFAULT_PORTS[tls],
            "tls": tls,
            "sender": cfg["SMTP_FROM"],
            "user": cfg.get("SMTP_USER"),
            "password": cfg.get("SMTP_PASSWORD"),
            "ca_file": cfg.get("SMTP_CA_FILE"),
            "timeout": float(cfg.get("SMTP_TIMEOUT_SECONDS") or 10),
        }
        values.update(overrides)
        return cls(**values)

    @property
    def envelope_sender(self) -> str:
        """The bare address of the sender (MAIL FROM)."""
        return parseaddr(self.sender)[1]

    def tls_context(self) -> ssl.SSLContext | None:
        if self.tls == "none":
            return None
        return ssl.create_default_context(cafile=self.ca_file)


@dataclass(frozen=True)
class MailResult:
    """What became of one message. `error` holds the reply code and its enhanced status (or
    the failure's kind), never the server's text, which can quote the address."""

    outcome: MailOutcome
    code: int | None = None
    error: str = ""


def _reply(code: int, message: str) -> str:
    enhanced = message.split(" ", 1)[0] if message[:1].isdigit() and "." in message[:6] else ""
    return f"SMTP {code} {enhanced}".rstrip()


def _from_code(code: int, message: str, *, recipient: bool = False) -> MailResult:
    error = _reply(code, message)
    if 400 <= code < 500:
        return MailResult("retry", code, error)
    if recipient and code in GONE_CODES:
        return MailResult("gone", code, error)
    return MailResult("failed", code, error)


class _Slot:
    """One connection a pass may open; reused until it breaks."""

    def __init__(self) -> None:
        self.client: aiosmtplib.SMTP | None = None

    async def close(self, *, polite: bool) -> None:
        client, self.client = self.client, None
        if client is None:
            return
        with contextlib.suppress(Exception):
            if polite and client.is_connected:
                await asyncio.wait_for(client.quit(), timeout=2)
            else:
                client.close()


class SmtpSender:
    """Sends messages over at most `settings.connections` connections, opened on demand and
    reused for the whole pass (async context manager). Once the server cannot be reached or
    stops answering, the rest of the pass is told to retry without trying again, so a dead
    server costs one timeout, not one per message."""

    def __init__(self, settings: MailSettings) -> None:
        self.settings = settings
        self.connections_opened = 0
        self._down: str | None = None
        self._idle: asyncio.Queue[_Slot] = asyncio.Queue()
        self._slots = [_Slot() for _ in range(max(1, settings.connections))]
        self._context = settings.tls_context()
        self._envelope_sender = settings.envelope_sender

    async def __aenter__(self) -> SmtpSender:
        for slot in self._slots:
            self._idle.put_nowait(slot)
        return self

    async def __aexit__(
        self,
        _type: type[BaseException] | None,
        _exc: BaseException | None,
        _tb: TracebackType | None,
    ) -> None:
        await asyncio.gather(*(slot.close(polite=True) for slot in self._slots))

    async def _connect(self, slot: _Slot) -> aiosmtplib.SMTP:
        s = self.settings
        client = aiosmtplib.SMTP(
            hostname=s.host,
            port=s.port,
            username=s.user,
            password=s.password,
            use_tls=s.tls == "implicit",
            start_tls=s.tls == "starttls",
            tls_context=self._context,
            timeout=s.timeout,
        )
        self.connections_opened += 1
        try:
            await client.connect()  # greeting, EHLO, STARTTLS, EHLO, AUTH
        except BaseException:
            client.close()
            raise
        slot.client = client
        return client

    async def send(self, recipient: str, message: bytes) -> MailResult:
        """Send one message (bytes, CRLF line ends) to one recipient."""
        if self._down is not None:
            return MailResult("retry", error=self._down)
        slot = await self._idle.get()
        try:
            return await self._send(slot, recipient, message)
        finally:
            self._idle.put_nowait(slot)

    async def _send(self, slot: _Slot, recipient: str, message: bytes) -> MailResult:
        if self._down is not None:  # found while this one waited for a connection
            return MailResult("retry", error=self._down)
        try:
            client = slot.client
            if client is None or not client.is_connected:
                await slot.close(polite=False)
                client = await self._connect(slot)
            # the whole transaction is bounded too: each step has its own timeout, but a
            # server answering each line slowly could otherwise hold a message for ever
            await asyncio.wait_for(
                client.sendmail(self._envelope_sender, [recipient], message),
                timeout=self.settings.timeout * 4,
            )
        except aiosmtplib.SMTPRecipientsRefused as exc:
            refused = exc.recipients[0]
            return _from_code(refused.code, refused.message, recipient=True)
        except aiosmtplib.SMTPAuthenticationError as exc:
            await slot.close(polite=False)
            return self._give_up("SMTP AUTH refused", exc.code, exc.message)
        except (aiosmtplib.SMTPConnectError, aiosmtplib.SMTPTimeoutError, TimeoutError) as exc:
            await slot.close(polite=False)
            return self._give_up(f"mail server unreachable ({type(exc).__name__})")
        except aiosmtplib.SMTPServerDisconnected:
            await slot.close(polite=False)
            return MailResult("retry", error="SMTP connection lost")
        except aiosmtplib.SMTPResponseException as exc:
            if exc.code == 421:  # the server is closing this connection
                await slot.close(polite=False)
            elif exc.code >= 500 and isinstance(exc, aiosmtplib.SMTPSenderRefused):
                log.error("the mail server refuses the sender address: %s", _reply(exc.code, ""))
            return _from_code(exc.code, exc.message)
        except (aiosmtplib.SMTPException, OSError) as exc:
            await slot.close(polite=False)
            return self._give_up(f"SMTP failed ({type(exc).__name__})")
        return MailResult("sent", 250)

    def _give_up(self, reason: str, code: int | None = None, message: str = "") -> MailResult:
        if self._down is None:
            detail = f": {_reply(code, message)}" if code is not None else ""
            log.warning("email: %s%s; the rest of this pass is retried later", reason, detail)
        self._down = reason
        return MailResult("retry", code, reason)
