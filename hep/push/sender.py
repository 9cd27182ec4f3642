"""Concurrent web-push sender: pooled aiohttp, cached VAPID, aes128gcm, typed results."""

from __future__ import annotations

import asyncio
import contextvars
import datetime as dt
import email.utils
import functools
import logging
import re
import socket
import time
from collections.abc import AsyncIterator, Callable, Iterable, Sequence
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any, get_args

import aiohttp
from aiohttp.abc import AbstractResolver, ResolveResult

from hep.channels import Urgency
from hep.clock import utcnow
from hep.logs import describe
from hep.push.encryption import encrypt
from hep.push.endpoints import (
    Endpoint,
    EndpointPolicy,
    EndpointRejected,
    Resolve,
    check_addresses,
    parse_endpoint,
    resolve_addresses,
)
from hep.push.keys import InvalidSubscription, VapidKeys
from hep.push.vapid import VapidTokenCache

log = logging.getLogger("hep.push")

URGENCIES: frozenset[str] = frozenset(get_args(Urgency))
MAX_PLAINTEXT_BYTES = 3993
"""One aes128gcm record within the 4,096 bytes a push service takes (RFC 8291 §4)."""
MAX_RETRY_AFTER = 86400.0
RATE_LIMIT_DEFAULT = 60.0
"""Assumed back-off when a 429 carries no usable Retry-After."""
_TOPIC = re.compile(r"[A-Za-z0-9_-]{1,32}")
_ERROR_BODY_CHARS = 200


@dataclass(frozen=True, slots=True)
class PushMessage:
    """One push to one subscription. `key` is the opaque id of the delivery row; `ttl` the
    seconds the push service may hold it (> 0, no longer than the reminder is useful); `topic`
    the occurrence's `payload.topic_for` — set it for reminders: it collapses duplicates."""

    key: str
    endpoint: str
    p256dh: str
    auth: str
    payload: bytes = field(repr=False)
    ttl: int
    urgency: Urgency = "normal"
    topic: str | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.ttl, int) or isinstance(self.ttl, bool) or self.ttl <= 0:
            raise ValueError("ttl must be a positive number of seconds")
        if self.urgency not in URGENCIES:
            raise ValueError(f"urgency must be one of {sorted(URGENCIES)}")
        if self.topic is not None and not _TOPIC.fullmatch(self.topic):
            raise ValueError("topic must be 1-32 base64url characters")
        if not isinstance(self.payload, bytes) or not self.payload:
            raise ValueError("payload must be non-empty bytes")


@dataclass(frozen=True, slots=True)
class PushResult:
    """What happened to one PushMessage.

    ok: the push service accepted it (2xx). permanent: retrying this delivery cannot help.
    gone: 404/410, the subscription no longer exists (delete it). retry_after: seconds the
    push service (or our per-origin back-off) asks us to wait. status: the HTTP status, None
    if no response was received. error: a short description without payload or key material.
    """

    key: str
    ok: bool
    status: int | None
    permanent: bool
    retry_after: float | None = None
    error: str | None = None
    gone: bool = False

    def raise_for_error(self) -> None:
        """Raise DeliveryError unless ok, for callers that prefer exceptions."""
        if not self.ok:
            raise DeliveryError(
                self.error or "push failed",
                self.permanent,
                status=self.status,
                gone=self.gone,
                retry_after=self.retry_after,
            )


class DeliveryError(Exception):
    """A push was not delivered; `permanent` says whether retrying can help."""

    def __init__(
        self,
        message: str,
        permanent: bool,
        *,
        status: int | None = None,
        gone: bool = False,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.permanent = permanent
        self.status = status
        self.gone = gone
        self.retry_after = retry_after


def parse_retry_after(value: str | None, now: dt.datetime) -> float | None:
    """Seconds to wait from a Retry-After header (delay-seconds or an HTTP-date), clamped to
    [0, MAX_RETRY_AFTER]; None if absent or unreadable."""
    if value is None:
        return None
    text = value.strip()
    if text.isdigit():
        return min(float(text), MAX_RETRY_AFTER)
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return min(max((when - now).total_seconds(), 0.0), MAX_RETRY_AFTER)


_LEFT: contextvars.ContextVar[Callable[[], None] | None] = contextvars.ContextVar(
    "push_left", default=None
)


class _Request(aiohttp.ClientRequest):
    """A request that says when its body has left: written to the connection's socket (not
    held in a user-space buffer), so the push service can have it even if this process dies
    before the answer. The callback comes from the sending task's context (`_LEFT`)."""

    async def write_bytes(self, writer: Any, conn: Any, content_length: int | None = None) -> None:
        await super().write_bytes(writer, conn, content_length)
        left = _LEFT.get()
        protocol, transport = conn.protocol, conn.transport
        if (
            left is not None
            and protocol is not None
            and protocol.exception() is None
            and transport is not None
            and transport.get_write_buffer_size() == 0
        ):
            left()


class _CheckedResolver(AbstractResolver):
    """DNS for the connection pool that only ever returns addresses the policy checked, so a
    name that re-resolves to a private address between check and connect (DNS rebinding)
    still cannot be reached. Results are cached for `ttl` seconds per (host, port)."""

    def __init__(self, resolve: Resolve, ttl: float) -> None:
        self._resolve = resolve
        self._ttl = ttl
        self._cache: dict[tuple[str, int], tuple[float, list[ResolveResult]]] = {}
        self._pending: dict[tuple[str, int], asyncio.Future[list[ResolveResult]]] = {}

    async def check(self, endpoint: Endpoint) -> list[ResolveResult]:
        """Resolve and check `endpoint`'s host (cached); raises EndpointRejected."""
        key = (endpoint.host, endpoint.port)
        loop = asyncio.get_running_loop()
        cached = self._cache.get(key)
        if cached is not None and cached[0] > loop.time():
            return cached[1]
        pending = self._pending.get(key)
        if pending is not None:
            return await asyncio.shield(pending)
        future: asyncio.Future[list[ResolveResult]] = loop.create_future()
        self._pending[key] = future
        try:
            pairs = await loop.run_in_executor(None, resolve_addresses, endpoint, self._resolve)
            check_addresses(endpoint, (address for _, address in pairs))
            results: list[ResolveResult] = [
                {
                    "hostname": endpoint.host,
                    "host": address,
                    "port": endpoint.port,
                    "family": family,
                    "proto": 0,
                    "flags": socket.AI_NUMERICHOST | socket.AI_NUMERICSERV,
                }
                for family, address in pairs
            ]
            self._cache[key] = (loop.time() + self._ttl, results)
            future.set_result(results)
            return results
        except asyncio.CancelledError:
            future.cancel()
            raise
        except Exception as exc:
            future.set_exception(exc)
            future.exception()  # mark retrieved: there may be no other waiter
            raise
        finally:
            del self._pending[key]

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        cached = self._cache.get((host, port))
        if cached is None:
            # Every send checks first, so this is unreachable in practice; refuse rather than
            # connect to an unchecked address.
            raise OSError(f"{host}:{port} was not checked against the endpoint policy")
        if family in (socket.AF_INET, socket.AF_INET6):
            return [r for r in cached[1] if r["family"] == family]
        return list(cached[1])

    async def close(self) -> None:
        self._cache.clear()


class _Batch:
    """Per-`send_many` state: origins that answered 429 and until when (loop time)."""

    def __init__(self) -> None:
        self.blocked_until: dict[str, float] = {}


class PushSender:
    """Sends PushMessages concurrently through one pooled aiohttp session.

    - `max_in_flight` requests at once overall, `per_origin` at once per push-service origin
      (default: no lower per-origin limit); every request has `timeout` seconds in total.
    - The endpoint policy is checked again before every send; connections go only to checked
      addresses. A rejected endpoint is a permanent failure and no connection is made.
    - One VAPID JWT per origin (aud = origin, exp = now + 12 h), reused until 1 h before exp.
    - Redirects are never followed: a 3xx is a permanent failure of this delivery.
    - Per-origin back-off inside one `send_many`: after a 429, later messages to that origin
      wait for Retry-After if it ends within `max_backoff_wait` seconds; otherwise they are not
      sent and come back with ok=False, permanent=False, status=None and `retry_after` set.
      A 429 without a usable Retry-After counts as RATE_LIMIT_DEFAULT seconds.
    - Logs name the delivery key, origin and status; never payloads, endpoint paths or keys.
    - `on_left(key)` is called the moment a message's request has been written to its
      connection's socket (from then on the push service may have it, whatever happens here).
    """

    def __init__(
        self,
        vapid_keys: VapidKeys,
        *,
        subject: str,
        policy: EndpointPolicy | None = None,
        timeout: float = 10.0,
        max_in_flight: int = 256,
        per_origin: int | None = None,
        max_backoff_wait: float = 5.0,
        resolve: Resolve = socket.getaddrinfo,
        dns_ttl: float = 60.0,
        clock: Callable[[], dt.datetime] = utcnow,
        on_left: Callable[[str], None] | None = None,
    ) -> None:
        if timeout <= 0 or max_in_flight <= 0 or (per_origin is not None and per_origin <= 0):
            raise ValueError("timeout, max_in_flight and per_origin must be positive")
        self._keys = vapid_keys
        self._tokens = VapidTokenCache(vapid_keys, subject)
        self._policy = policy or EndpointPolicy()
        self._timeout = aiohttp.ClientTimeout(total=timeout)
        self._max_in_flight = max_in_flight
        self._per_origin = min(per_origin or max_in_flight, max_in_flight)
        self._max_backoff_wait = max_backoff_wait
        self._resolver = _CheckedResolver(resolve, dns_ttl)
        self._clock = clock
        self._on_left = on_left
        self._session: aiohttp.ClientSession | None = None
        self._in_flight: asyncio.Semaphore | None = None
        self._origin_slots: dict[str, asyncio.Semaphore] = {}

    def __repr__(self) -> str:
        return f"PushSender(public_key={self._keys.public_key!r}, policy={self._policy!r})"

    @property
    def vapid_signatures(self) -> int:
        """How many VAPID JWTs this sender has signed."""
        return self._tokens.signatures

    async def __aenter__(self) -> PushSender:
        connector = aiohttp.TCPConnector(
            limit=self._max_in_flight,
            limit_per_host=self._per_origin,
            resolver=self._resolver,
            use_dns_cache=False,
        )
        self._session = aiohttp.ClientSession(
            connector=connector,
            timeout=self._timeout,
            cookie_jar=aiohttp.DummyCookieJar(),
            trust_env=False,
            headers={"User-Agent": "hep-push"},
            request_class=_Request,
        )
        self._in_flight = asyncio.Semaphore(self._max_in_flight)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._session is not None:
            await self._session.close()
        self._session = None
        self._in_flight = None
        self._origin_slots.clear()

    async def send_many(self, messages: Iterable[PushMessage]) -> list[PushResult]:
        """Send all `messages` concurrently; results come back in the same order."""
        batch = _Batch()
        return list(await asyncio.gather(*(self._send(m, batch) for m in messages)))

    async def stream(self, messages: Sequence[PushMessage]) -> AsyncIterator[PushResult]:
        """Send all `messages` concurrently (sharing per-origin back-off, as `send_many`) and
        yield each result as soon as it is known, in no particular order. A message whose
        sending fails unexpectedly comes back as a retryable failure (and is logged); if the
        caller stops early, the messages still unanswered are cancelled."""
        batch = _Batch()
        answered: asyncio.Queue[PushResult] = asyncio.Queue()
        tasks = [asyncio.create_task(self._send_into(m, batch, answered)) for m in messages]
        try:
            for _ in range(len(tasks)):
                yield await answered.get()
        finally:
            unfinished = [task for task in tasks if not task.done()]
            for task in unfinished:
                task.cancel()
            if unfinished:
                await asyncio.gather(*unfinished, return_exceptions=True)

    async def _send_into(
        self, message: PushMessage, batch: _Batch, answered: asyncio.Queue[PushResult]
    ) -> None:
        try:
            result = await self._send(message, batch)
        except Exception as exc:  # a bug here must not lose the other messages' results
            log.error("push %s failed: %s", message.key, describe(exc))
            result = PushResult(message.key, False, None, False, error=type(exc).__name__)
        answered.put_nowait(result)

    async def send(self, message: PushMessage) -> PushResult:
        """Send one message (use send_many for many: it shares per-origin back-off)."""
        return await self._send(message, _Batch())

    def _blocked_for(self, batch: _Batch, origin: str) -> float:
        until = batch.blocked_until.get(origin)
        if until is None:
            return 0.0
        return max(until - asyncio.get_running_loop().time(), 0.0)

    async def _wait_for_origin(self, batch: _Batch, origin: str) -> float:
        """0 when the origin may be sent to now; else the seconds the caller must come back in."""
        while (remaining := self._blocked_for(batch, origin)) > 0:
            if remaining > self._max_backoff_wait:
                return remaining
            await asyncio.sleep(remaining)
        return 0.0

    async def _send(self, message: PushMessage, batch: _Batch) -> PushResult:
        if self._session is None or self._in_flight is None:
            raise RuntimeError("use PushSender as `async with PushSender(...) as sender`")
        try:
            endpoint = parse_endpoint(message.endpoint, self._policy)
        except EndpointRejected as exc:
            return self._rejected(message, exc)
        origin = endpoint.origin
        slots = self._origin_slots.get(origin)
        if slots is None:
            slots = self._origin_slots[origin] = asyncio.Semaphore(self._per_origin)
        if wait := await self._wait_for_origin(batch, origin):
            return self._deferred(message, wait)
        async with slots, self._in_flight:
            # A 429 may have arrived while this message queued for a slot.
            if wait := await self._wait_for_origin(batch, origin):
                return self._deferred(message, wait)
            try:
                await self._resolver.check(endpoint)
            except EndpointRejected as exc:
                return self._rejected(message, exc)
            failure, body = self._encrypt(message)
            if failure is not None:
                return failure
            headers = {
                "TTL": str(message.ttl),
                "Urgency": message.urgency,
                "Content-Encoding": "aes128gcm",
                "Content-Type": "application/octet-stream",
                "Authorization": self._tokens.header_for(origin, self._clock()),
            }
            if message.topic is not None:
                headers["Topic"] = message.topic
            started = time.monotonic()
            if self._on_left is not None:
                _LEFT.set(functools.partial(self._on_left, message.key))
            try:
                async with self._session.post(
                    endpoint.parsed,
                    data=body,
                    headers=headers,
                    allow_redirects=False,
                    timeout=self._timeout,
                ) as response:
                    status = response.status
                    retry_header = response.headers.get("Retry-After")
                    reply = await response.content.read(_ERROR_BODY_CHARS)
            except TimeoutError:
                elapsed = time.monotonic() - started
                log.warning("push %s to %s timed out after %.1f s", message.key, origin, elapsed)
                return PushResult(message.key, False, None, False, error="timed out")
            except aiohttp.ClientError as exc:
                log.warning("push %s to %s failed: %s", message.key, origin, type(exc).__name__)
                return PushResult(
                    message.key, False, None, False, error=f"{type(exc).__name__}: {exc}"[:300]
                )
        return self._interpret(message, origin, batch, status, retry_header, reply)

    def _encrypt(self, message: PushMessage) -> tuple[PushResult | None, bytes]:
        if len(message.payload) > MAX_PLAINTEXT_BYTES:
            log.error(
                "push %s: payload of %d bytes is too large (a bug in hep)",
                message.key,
                len(message.payload),
            )
            return PushResult(message.key, False, None, True, error="payload too large"), b""
        try:
            return None, encrypt(message.payload, message.p256dh, message.auth)
        except InvalidSubscription as exc:
            return PushResult(message.key, False, None, True, error=f"invalid key {exc}"), b""
        except (ValueError, TypeError):
            return PushResult(message.key, False, None, True, error="encryption failed"), b""

    def _rejected(self, message: PushMessage, exc: EndpointRejected) -> PushResult:
        log.warning("push %s not sent: endpoint rejected (%s)", message.key, exc.reason)
        return PushResult(
            message.key,
            False,
            None,
            permanent=not exc.temporary,
            error=f"endpoint rejected: {exc.reason}",
        )

    def _deferred(self, message: PushMessage, wait: float) -> PushResult:
        return PushResult(
            message.key,
            False,
            None,
            False,
            retry_after=wait,
            error="not sent: the push service rate-limited this origin (429)",
        )

    def _interpret(
        self,
        message: PushMessage,
        origin: str,
        batch: _Batch,
        status: int,
        retry_header: str | None,
        reply: bytes,
    ) -> PushResult:
        key = message.key
        if 200 <= status < 300:
            return PushResult(key, True, status, False)
        detail = reply.decode("utf-8", "replace").strip()
        detail = re.sub(r"[^\x20-\x7e]", "?", detail)[:_ERROR_BODY_CHARS]
        suffix = f": {detail}" if detail else ""
        if status in (404, 410):
            log.info("push %s: subscription gone (%d)", key, status)
            return PushResult(key, False, status, True, error="subscription gone", gone=True)
        if status == 429:
            retry_after = parse_retry_after(retry_header, self._clock())
            wait = RATE_LIMIT_DEFAULT if retry_after is None else retry_after
            until = asyncio.get_running_loop().time() + wait
            batch.blocked_until[origin] = max(batch.blocked_until.get(origin, 0.0), until)
            log.warning("push %s: %s rate-limited us (429), retry after %.0f s", key, origin, wait)
            return PushResult(key, False, status, False, retry_after, "rate limited" + suffix)
        if status >= 500:
            retry_after = parse_retry_after(retry_header, self._clock())
            log.warning("push %s: %s answered %d", key, origin, status)
            return PushResult(key, False, status, False, retry_after, f"server error{suffix}")
        if status in (401, 403):
            log.error(
                "push %s: %s refused our VAPID authorization (%d)%s — check the VAPID "
                "key pair and subject",
                key,
                origin,
                status,
                suffix,
            )
            return PushResult(key, False, status, True, error=f"VAPID rejected ({status}){suffix}")
        if status == 413:
            log.error("push %s: %s says the payload is too large (413) — a bug in hep", key, origin)
            return PushResult(key, False, status, True, error="payload too large (413)")
        if 300 <= status < 400:
            log.warning("push %s: %s answered a redirect (%d), not followed", key, origin, status)
            return PushResult(key, False, status, True, error=f"redirect ({status}) not followed")
        log.error("push %s: %s rejected the request (%d)%s", key, origin, status, suffix)
        return PushResult(key, False, status, True, error=f"rejected ({status}){suffix}")


def send_batch(
    messages: Iterable[PushMessage], vapid_keys: VapidKeys, *, subject: str, **options: Any
) -> list[PushResult]:
    """Synchronous convenience: run `PushSender(vapid_keys, subject=..., **options)` over
    `messages` in a new event loop (not from inside a running loop)."""

    async def run() -> list[PushResult]:
        async with PushSender(vapid_keys, subject=subject, **options) as sender:
            return await sender.send_many(messages)

    return asyncio.run(run())
