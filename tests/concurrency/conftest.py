"""One gunicorn per engine for the concurrency tests; each test starts from empty tables."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask

from tests.concurrency.harness import Server, serve

# both sign-in limits at 5; a trusted proxy lets a test give each racer its own address
LIMITS = {
    "HEP_LOGIN_LIMIT_ACCOUNT": "5",
    "HEP_LOGIN_LIMIT_ADDRESS": "5",
    "HEP_TRUSTED_PROXIES": "1",
}


@pytest.fixture(scope="package")
def gunicorn(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with serve(database_url, tmp_path_factory.mktemp("gunicorn"), **LIMITS) as server:
        yield server


@pytest.fixture
def server(gunicorn: Server, app: Flask) -> Iterator[Server]:  # app: empties the tables
    start = gunicorn.log_size()
    yield gunicorn
    log = gunicorn.log_since(start)
    assert "database is locked" not in log, log[-3000:]
    assert "Traceback" not in log, log[-3000:]
