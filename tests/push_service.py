"""Push services for tests: web-push-testing (a real RFC 8030 service) and a scriptable fake."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json
import os
import shutil
import socket
import ssl
import subprocess
import threading
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import http_ece
from aiohttp import web
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

from tests.tools import require_tool

NODE_DIR = Path(__file__).resolve().parent / "node"
WEB_PUSH_TESTING_SERVER = (
    NODE_DIR / "node_modules" / "web-push-testing" / "src" / "bin" / "server.js"
)
# Loopback only, and never through a proxy from the environment.
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


# --- the browser side of a subscription ------------------------------------------------------


@dataclass
class BrowserSubscription:
    """What a browser holds for one push subscription: the ECDH key pair and auth secret."""

    private_key: ec.EllipticCurvePrivateKey
    auth_secret: bytes

    @classmethod
    def create(cls) -> BrowserSubscription:
        return cls(ec.generate_private_key(ec.SECP256R1()), os.urandom(16))

    @property
    def p256dh(self) -> str:
        raw = self.private_key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        return b64url(raw)

    @property
    def auth(self) -> str:
        return b64url(self.auth_secret)

    def decrypt(self, body: bytes) -> bytes:
        """Decrypt an aes128gcm push body as the browser would."""
        plain: bytes = http_ece.decrypt(
            body, private_key=self.private_key, auth_secret=self.auth_secret, version="aes128gcm"
        )
        return plain


# --- VAPID, checked the way push services check it --------------------------------------------


@dataclass(frozen=True)
class Vapid:
    token: str
    public_key: str
    claims: dict[str, Any]


def parse_vapid(authorization: str) -> Vapid:
    """Split `vapid t=<jwt>,k=<key>` (RFC 8292 §3) and decode the claims (no verification)."""
    scheme, _, params = authorization.partition(" ")
    assert scheme == "vapid", authorization[:20]
    values = dict(part.strip().split("=", 1) for part in params.split(","))
    token = values["t"]
    claims = json.loads(unb64url(token.split(".")[1]))
    return Vapid(token=token, public_key=values["k"], claims=claims)


def verify_vapid(authorization: str, expected_public_key: str) -> dict[str, Any]:
    """Check the ES256 signature against `expected_public_key`; return the claims."""
    vapid = parse_vapid(authorization)
    assert vapid.public_key == expected_public_key
    header_b64, claims_b64, signature_b64 = vapid.token.split(".")
    assert json.loads(unb64url(header_b64)) == {"typ": "JWT", "alg": "ES256"}
    signature = unb64url(signature_b64)
    assert len(signature) == 64
    der = encode_dss_signature(
        int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big")
    )
    key = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), unb64url(vapid.public_key))
    try:
        key.verify(der, f"{header_b64}.{claims_b64}".encode(), ec.ECDSA(hashes.SHA256()))
    except InvalidSignature:
        raise AssertionError("VAPID JWT signature does not verify") from None
    return vapid.claims


# --- our own fake push service ------------------------------------------------------------------


@dataclass
class Reply:
    """How the fake service answers POSTs to one path."""

    status: int = 201
    headers: dict[str, str] = field(default_factory=dict)
    hang: bool = False
    redirect_to: str | None = None
    delay: float = 0.0


@dataclass(frozen=True)
class Received:
    port: int
    path: str
    headers: dict[str, str]
    body: bytes


class FakePushService:
    """An aiohttp push service on 127.0.0.1 (two ports = two origins) in its own thread.

    Answers 201 unless `reply(path, Reply(...))` says otherwise (any status with headers, a
    307 redirect, or hanging until stopped), after `latency` seconds; records every request.
    `host`, `ports` and `ssl_context` let it pose as a public https service (port 443) where
    the test owns the network, as the production-path test does."""

    def __init__(
        self,
        latency: float = 0.0,
        *,
        host: str = "127.0.0.1",
        ports: tuple[int, ...] = (0, 0),
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        self.latency = latency
        self._host = host
        self._bind_ports = ports
        self._ssl_context = ssl_context
        self.received: list[Received] = []
        self.in_flight: dict[int, int] = {}
        self.peak_in_flight: dict[int, int] = {}
        """Concurrent requests per port (origin), now and at most since reset()."""
        self._replies: dict[str, Reply] = {}
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._runner: web.AppRunner | None = None
        self._release: asyncio.Event | None = None
        self.ports: list[int] = []

    def url(self, path: str, origin: int = 0) -> str:
        return f"http://127.0.0.1:{self.ports[origin]}{path}"

    def origin(self, index: int = 0) -> str:
        return f"http://127.0.0.1:{self.ports[index]}"

    def reply(self, path: str, reply: Reply) -> None:
        self._replies[path] = reply

    def reset(self) -> None:
        self._replies.clear()
        self.received.clear()
        self.peak_in_flight.clear()
        self.latency = 0.0

    def to(self, path: str) -> list[Received]:
        return [r for r in self.received if r.path == path]

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        sockname = request.transport.get_extra_info("sockname") if request.transport else None
        port = sockname[1] if sockname else 0
        self.in_flight[port] = now = self.in_flight.get(port, 0) + 1
        self.peak_in_flight[port] = max(self.peak_in_flight.get(port, 0), now)
        try:
            return await self._answer(request, port)
        finally:
            self.in_flight[port] -= 1

    async def _answer(self, request: web.Request, port: int) -> web.StreamResponse:
        body = await request.read()
        self.received.append(
            Received(
                port=port,
                path=request.path,
                headers={k.lower(): v for k, v in request.headers.items()},
                body=body,
            )
        )
        reply = self._replies.get(request.path, Reply())
        if self.latency or reply.delay:
            await asyncio.sleep(self.latency + reply.delay)
        if reply.hang:
            assert self._release is not None
            await self._release.wait()
        if reply.redirect_to is not None:
            return web.Response(status=307, headers={"Location": reply.redirect_to})
        return web.Response(status=reply.status, headers=reply.headers)

    async def _start(self) -> None:
        self._release = asyncio.Event()
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._handle)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.5)
        await self._runner.setup()
        for port in self._bind_ports:
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind((self._host, port))
            site = web.SockSite(self._runner, sock, backlog=1024, ssl_context=self._ssl_context)
            await site.start()
            self.ports.append(sock.getsockname()[1])

    async def _stop(self) -> None:
        if self._release is not None:
            self._release.set()
        if self._runner is not None:
            await self._runner.cleanup()

    def start(self) -> FakePushService:
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self._start(), self._loop).result(timeout=10)
        return self

    def stop(self) -> None:
        asyncio.run_coroutine_threadsafe(self._stop(), self._loop).result(timeout=10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)
        self._loop.close()


# --- web-push-testing: a real RFC 8030 push service (npm) --------------------------------------


class WebPushTesting:
    """The npm `web-push-testing` server, started in the foreground on a free port.

    It validates the ES256 VAPID token against the subscription's key, needs a TTL header and
    really decrypts aes128gcm; `notifications()` returns what it decrypted."""

    def __init__(self, log_path: Path) -> None:
        self.port = free_port()
        self.base_url = f"http://localhost:{self.port}"
        self._log_path = log_path
        self._process: subprocess.Popen[bytes] | None = None

    @staticmethod
    def require() -> str:
        """The node binary; skip loudly (fail under HEP_TEST_STRICT=1) if anything is missing."""
        node = shutil.which("node")
        require_tool("node", node is not None, "node is not on PATH (install Node 20+)")
        require_tool(
            "web-push-testing",
            WEB_PUSH_TESTING_SERVER.exists(),
            "web-push-testing not installed: run npm ci in tests/node",
        )
        assert node is not None
        return node

    def start(self, node: str, timeout: float = 15.0) -> WebPushTesting:
        log = self._log_path.open("wb")
        self._process = subprocess.Popen(
            [node, str(WEB_PUSH_TESTING_SERVER), str(self.port)],
            cwd=NODE_DIR,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
        log.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                break
            with contextlib.suppress(OSError):
                if self._post("/status", {}, expect_json=False) is not None:
                    return self
            time.sleep(0.05)
        self.stop()
        output = self._log_path.read_text(errors="replace")[-2000:]
        raise RuntimeError(f"web-push-testing did not start on port {self.port}:\n{output}")

    def stop(self) -> None:
        process, self._process = self._process, None
        if process is None or process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)

    def _post(self, path: str, body: dict[str, Any], expect_json: bool = True) -> Any:
        request = urllib.request.Request(
            self.base_url + path,
            data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        with _OPENER.open(request, timeout=5) as response:
            raw = response.read()
        return json.loads(raw) if expect_json else raw

    def subscribe(self, application_server_key: str) -> dict[str, Any]:
        """A standard PushSubscription JSON (endpoint, keys) plus the service's clientHash."""
        reply = self._post(
            "/subscribe",
            {"applicationServerKey": application_server_key, "userVisibleOnly": "true"},
        )
        data: dict[str, Any] = reply["data"]
        return data

    def notifications(self, client_hash: str) -> list[str]:
        """The decrypted payloads the service accepted for this subscription, oldest first."""
        messages: list[str] = self._post("/get-notifications", {"clientHash": client_hash})["data"][
            "messages"
        ]
        return messages

    def expire(self, client_hash: str) -> None:
        """Unsubscribe: later pushes to this subscription answer 410."""
        self._post(f"/expire-subscription/{client_hash}", {}, expect_json=False)


@contextlib.contextmanager
def running_web_push_testing(log_dir: Path) -> Iterator[WebPushTesting]:
    """Start web-push-testing (skipping loudly if it is not installed) and stop it after."""
    node = WebPushTesting.require()
    service = WebPushTesting(log_dir / "web-push-testing.log").start(node)
    try:
        yield service
    finally:
        service.stop()
