"""Several workers writing and reading at once: no "database is locked", no 5xx, nothing lost."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from hep.models import User
from tests.concurrency.harness import Call, Server

CLIENTS = 8
WRITES_PER_CLIENT = 12

pytestmark = pytest.mark.slow


def test_concurrent_writers_lose_nothing_and_never_5xx(server: Server):
    def client(n: int) -> list[int]:
        cookie = server.sign_up(email=f"writer{n}@example.org")
        return [
            server.call(Call("PATCH", "/api/me", {"name": f"W{n} {i}"}, cookie)).status
            for i in range(WRITES_PER_CLIENT)
        ]

    with ThreadPoolExecutor(CLIENTS) as pool:
        statuses = [s for r in pool.map(client, range(CLIENTS)) for s in r]
    assert statuses == [200] * CLIENTS * WRITES_PER_CLIENT
    assert server.count(User) == CLIENTS
    for n in range(CLIENTS):
        assert server.count(User, User.email == f"writer{n}@example.org", User.name == f"W{n} 11")


def test_concurrent_therapist_reads_that_log_access_never_5xx(server: Server):
    """Reads that also write (the access log) must not fail to upgrade a SQLite read lock."""
    cookie = server.sign_up("therapist")
    server.ok(Call("POST", "/api/patients", {"email": "p@example.org", "name": "P"}, cookie), 201)
    with ThreadPoolExecutor(8) as pool:
        statuses = list(
            pool.map(
                lambda _: server.call(Call("GET", "/api/patients", None, cookie)).status, range(48)
            )
        )
    assert statuses == [200] * 48
