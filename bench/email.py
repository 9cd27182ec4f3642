"""10,000 email reminders to an SMTP sink on loopback (aiosmtpd, STARTTLS and AUTH, as a
clinic's relay would ask), through the email channel as a dispatcher pass sends them: a few
connections reused for the whole pass. Beside it, the same messages with one connection
each (connect, STARTTLS, AUTH, send, QUIT), the way a sender without reuse works, at the same
concurrency. Prints time, messages per second, CPU per message and connections used."""

from __future__ import annotations

import asyncio
import multiprocessing
import resource
import tempfile
import time
import uuid
from multiprocessing.connection import Connection
from pathlib import Path

import aiosmtplib

from hep.channels import Message, Outgoing
from hep.channels.email import EmailAddress, EmailChannel, EmailSettings
from hep.mail.smtp import MailSettings
from tests.mail_server import PASSWORD, USER, mail_server


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _deliveries(count: int) -> list[Outgoing[EmailAddress]]:
    found = []
    for n in range(count):
        user = uuid.uuid4()
        address = EmailAddress(user, user, f"patient{n}@example.org", "Europe/Berlin")
        message = Message(
            kind="program",
            key=uuid.uuid4().hex,
            link="https://hep.example.org/#/check-in/x",
            ttl=1800,
        )
        found.append(Outgoing(uuid.uuid4(), address, message))
    return found


def _settings(server_config: dict) -> EmailSettings:
    mail = MailSettings.from_config(server_config)
    assert mail is not None
    return EmailSettings(mail, "https://hep.example.org", b"k" * 32)


async def _pooled(settings: EmailSettings, deliveries: list) -> tuple[int, int]:
    channel = EmailChannel(settings)
    sent = 0
    async for result in channel.send(deliveries):
        sent += result.outcome == "sent"
    await channel.close()
    return sent, channel.connections_opened


async def _one_connection_each(settings: EmailSettings, deliveries: list) -> tuple[int, int]:
    channel = EmailChannel(settings)  # to write the very same messages
    mail = settings.mail
    context = mail.tls_context()
    gate = asyncio.Semaphore(mail.connections)

    async def one(delivery: Outgoing[EmailAddress]) -> bool:
        raw = channel.mail_for(delivery.address, [delivery])
        async with gate:
            try:
                await aiosmtplib.send(
                    raw,
                    sender=mail.envelope_sender,
                    recipients=[delivery.address.email],
                    hostname=mail.host,
                    port=mail.port,
                    start_tls=True,
                    tls_context=context,
                    username=USER,
                    password=PASSWORD,
                    timeout=mail.timeout,
                )
            except aiosmtplib.SMTPException:
                return False
            return True

    results = await asyncio.gather(*(one(d) for d in deliveries))
    return sum(results), len(deliveries)


def _measure(label: str, run) -> None:
    cpu, started = _cpu(), time.perf_counter()
    sent, connections = asyncio.run(run())
    elapsed = time.perf_counter() - started
    used = _cpu() - cpu
    print(
        f"  {label:<34} {sent:>6} sent in {elapsed:6.2f} s  {sent / elapsed:7.0f} msg/s  "
        f"{1e6 * used / max(sent, 1):6.0f} µs CPU/msg  {connections:>6} connections"
    )


def _sink(folder: str, pipe: Connection) -> None:
    """The SMTP sink in its own process, so its CPU is not the sender's."""
    import logging
    import warnings

    logging.getLogger("mail.log").setLevel(logging.ERROR)
    warnings.simplefilter("ignore")
    with mail_server(Path(folder)) as server:
        pipe.send(server.config())
        while pipe.recv() == "count":
            pipe.send((len(server.received), server.sessions))


def main(quick: bool = False) -> None:
    count = 1000 if quick else 10_000
    print(f"email benchmark: {count} reminders to an aiosmtpd sink (STARTTLS + AUTH) on loopback")
    spawn = multiprocessing.get_context("spawn")
    with tempfile.TemporaryDirectory() as folder:
        mine, theirs = spawn.Pipe()
        sink = spawn.Process(target=_sink, args=(folder, theirs), daemon=True)
        sink.start()
        try:
            config = mine.recv() | {"SMTP_TIMEOUT_SECONDS": 30}
            settings = _settings(config)
            deliveries = _deliveries(count)
            _measure("email channel, connections reused", lambda: _pooled(settings, deliveries))
            mine.send("count")
            received, sessions = mine.recv()
            print(f"  (the sink received {received} messages over {sessions} connections)")
            _measure(
                "one connection per message",
                lambda: _one_connection_each(settings, deliveries),
            )
        finally:
            mine.send("stop")
            sink.join(timeout=10)
    assert received == count, f"the sink got {received} of {count}"


if __name__ == "__main__":
    main()
