"""Push fixtures: a VAPID key pair, our fake push service, and the real web-push-testing."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from hep.push.keys import VapidKeys, generate_vapid_keys
from tests.push_service import FakePushService, WebPushTesting, running_web_push_testing


@pytest.fixture(scope="session")
def vapid_keys() -> VapidKeys:
    return generate_vapid_keys()


@pytest.fixture(scope="session")
def fake_push_service() -> Iterator[FakePushService]:
    service = FakePushService().start()
    try:
        yield service
    finally:
        service.stop()


@pytest.fixture
def fake_push(fake_push_service: FakePushService) -> FakePushService:
    """The session's fake push service with no scripted replies and nothing received."""
    fake_push_service.reset()
    return fake_push_service


@pytest.fixture(scope="session")
def web_push_testing(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebPushTesting]:
    """A real RFC 8030 push service on loopback for the whole session."""
    with running_web_push_testing(tmp_path_factory.mktemp("web-push-testing")) as service:
        yield service
