"""Push, end to end into the service worker: hep's dispatcher sends a reminder to a real
RFC 8030 push service (npm web-push-testing), the decrypted message is delivered to our
service worker through the DevTools protocol, the worker shows it (generic text, one tag per
occurrence), and its "Done" and "Snooze" actions reach the API without opening the app."""

from __future__ import annotations

import datetime as dt
import json
import re
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.browsing import open_screen, screenshot
from tests.e2e.conftest import HepServer, Person, World
from tests.push_service import WebPushTesting, running_web_push_testing

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def push_service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebPushTesting]:
    with running_web_push_testing(tmp_path_factory.mktemp("wpt")) as service:
        yield service


def daytime_zone(now: dt.datetime) -> str:
    """A zone where the next minutes stay on one local day (no midnight in the test)."""
    for name in ("Europe/Berlin", "UTC", "Asia/Tokyo", "America/New_York", "Pacific/Auckland"):
        if 1 <= now.astimezone(ZoneInfo(name)).hour <= 21:
            return name
    raise AssertionError("no daytime zone found")


class PushDevtools:
    """Our service worker's registration as DevTools sees it, to deliver pushes to it."""

    def __init__(self, page: Page) -> None:
        self.origin = page.url.split("/#")[0].rstrip("/")
        self.cdp = page.context.new_cdp_session(page)
        found: list[dict[str, Any]] = []
        self.cdp.on(
            "ServiceWorker.workerRegistrationUpdated", lambda e: found.extend(e["registrations"])
        )
        self.cdp.send("ServiceWorker.enable")
        deadline = time.monotonic() + 5
        while not [r for r in found if r["scopeURL"].rstrip("/") == self.origin]:
            assert time.monotonic() < deadline, f"no registration reported: {found}"
            page.wait_for_timeout(50)
        [mine] = [r for r in found if r["scopeURL"].rstrip("/") == self.origin][-1:]
        self.registration = str(mine["registrationId"])

    def deliver(self, data: str) -> None:
        self.cdp.send(
            "ServiceWorker.deliverPushMessage",
            {"origin": self.origin, "registrationId": self.registration, "data": data},
        )


SHOWN = """async () => {
    const registration = await navigator.serviceWorker.ready;
    return (await registration.getNotifications()).map(n => ({
        title: n.title, body: n.body, tag: n.tag, data: n.data,
        actions: n.actions.map(a => a.action)}));
}"""


def shown(page: Page, count: int) -> list[dict[str, Any]]:
    """The notifications on screen, once there are `count` of them (wait_for_function cannot
    wait on a promise, so poll)."""
    deadline = time.monotonic() + 5
    while True:
        found: list[dict[str, Any]] = page.evaluate(SHOWN)
        if len(found) == count or time.monotonic() > deadline:
            assert len(found) == count, found
            return found
        page.wait_for_timeout(50)


# Runs inside the service worker: the real notificationclick handler with an action, built the
# way the browser would; resolves once the handler's fetch (if any) has settled.
CLICK = """async (action) => {
    const calls = [];
    const realFetch = self.fetch;
    self.fetch = (input, init = {}) => {
        const done = realFetch(input, init);
        calls.push({url: String(input), method: init.method || 'GET',
                    headers: init.headers || {}, body: init.body || null,
                    settled: done.then(r => r.status, () => 0)});
        return done;
    };
    try {
        const [notification] = await self.registration.getNotifications();
        const event = new NotificationEvent('notificationclick', {notification, action});
        try { self.dispatchEvent(event); } catch (e) { /* waitUntil on a synthetic event */ }
        await new Promise(resolve => setTimeout(resolve, 50));
        const statuses = await Promise.all(calls.map(c => c.settled));
        return calls.map((c, i) => ({url: c.url, method: c.method, headers: c.headers,
                                     body: c.body, status: statuses[i]}));
    } finally {
        self.fetch = realFetch;
    }
}"""


def click_in_worker(context: Any, action: str) -> list[dict[str, Any]]:
    worker = context.service_workers[0] if context.service_workers else None
    if worker is None:
        worker = context.wait_for_event("serviceworker")
    calls: list[dict[str, Any]] = worker.evaluate(CLICK, action)
    return calls


def dispatch(server: HepServer, now: dt.datetime) -> Any:
    """One dispatcher pass in-process. It runs asyncio, which cannot share the thread with
    Playwright's sync API, so it gets a thread of its own."""
    from hep.db import Database
    from hep.reminders.dispatch import DispatchSettings, run_once

    def work() -> Any:
        app = server.app()
        return run_once(Database.sessionmaker(app), now, DispatchSettings.from_app(app))

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(work).result(timeout=60)


def test_a_reminder_push_shows_and_its_actions_log_and_snooze(
    world: World, server: HepServer, push_service: WebPushTesting
) -> None:
    now = dt.datetime.now(dt.UTC)
    zone = daytime_zone(now)
    therapist = world.therapist()
    patient = world.patient_of(therapist, name="Pat Private", timezone=zone)
    program = world.program(therapist, patient, ["chin-tucks"])

    # the subscription a browser would get from its push service
    key = patient.get("/api/push/vapid-public-key")["public_key"]
    subscription = push_service.subscribe(key)
    patient.send(
        "POST",
        "/api/push/subscriptions",
        {"endpoint": subscription["endpoint"], "keys": subscription["keys"]},
        expect=201,
    )
    local = now.astimezone(ZoneInfo(zone))
    reminder = patient.send(
        "POST",
        "/api/reminders",
        {
            "target": {"kind": "program", "program_id": program["id"]},
            "rule": {
                "type": "times",
                "times": [(local + dt.timedelta(minutes=2)).strftime("%H:%M")],
            },
        },
        expect=201,
    )
    fire_at = dt.datetime.fromisoformat(reminder["next_fire_at"])

    # hep's dispatcher decides and sends, as the scheduler process would at that minute
    report = dispatch(server, fire_at + dt.timedelta(seconds=1))
    assert report.sent == 1, report
    [message] = push_service.notifications(subscription["clientHash"])
    raw = message if isinstance(message, str) else json.dumps(message)
    payload = json.loads(raw)
    occurrence = payload["notification"]["data"]["occurrence_id"]
    assert "Chin" not in raw and "Pat" not in raw

    context = world.context(patient, timezone_id=zone)
    context.grant_permissions(["notifications"], origin=world.base)
    page = world.page(context)
    open_screen(page, "/today", "Today")
    page.evaluate("() => navigator.serviceWorker.ready.then(() => true)")
    devtools = PushDevtools(page)

    devtools.deliver(raw)
    [note] = shown(page, 1)
    assert note["title"] == payload["notification"]["title"]
    assert note["body"] == payload["notification"]["body"]
    assert note["tag"] == payload["notification"]["tag"] == f"hep-{occurrence}"
    assert note["actions"] == ["done", "snooze"]
    # a duplicate delivery of the same occurrence replaces itself
    devtools.deliver(raw)
    assert len(shown(page, 1)) == 1

    # "Done" on the notification logs the due item, without opening anything
    calls = click_in_worker(context, "done")
    assert [(c["method"], c["url"].removeprefix(world.base), c["status"]) for c in calls] == [
        ("POST", f"/api/notifications/{occurrence}/done", 200)
    ]
    assert calls[0]["headers"]["X-HEP-CSRF"] == "1"
    found = patient.get("/api/check-ins")
    assert [(c["state"], c["source"]) for c in found] == [("done", "notification")]
    assert shown(page, 0) == []
    # the open app hears about it and shows the item done
    chin = page.locator("article", has=page.get_by_role("heading", name="Chin tucks"))
    expect(chin).to_have_class(re.compile("is-done"))

    # "Snooze" moves the reminder 15 minutes on
    devtools.deliver(raw)
    shown(page, 1)
    before = dt.datetime.now(dt.UTC)
    calls = click_in_worker(context, "snooze")
    assert [(c["method"], c["url"].removeprefix(world.base), c["status"]) for c in calls] == [
        ("POST", f"/api/notifications/{occurrence}/snooze", 200)
    ]
    assert json.loads(calls[0]["body"]) == {"minutes": 15}
    [after] = patient.get("/api/reminders")
    moved = dt.datetime.fromisoformat(after["next_fire_at"]) - before
    assert dt.timedelta(minutes=14) <= moved <= dt.timedelta(minutes=16)

    # a plain tap opens the one-tap check-in page in the app that is already open
    devtools.deliver(raw)
    shown(page, 1)
    calls = click_in_worker(context, "")
    assert not [c for c in calls if "/api/" in c["url"]]
    expect(page.locator("main h1")).to_have_text("Time to check in")
    assert page.url.endswith(f"/#/check-in/{occurrence}")
    expect(page.get_by_text("Chin tucks")).to_be_visible()
    screenshot(page, "patient-check-in-from-notification")


def test_a_test_notification_shows_without_actions(world: World) -> None:
    therapist = world.therapist()
    patient: Person = world.patient_of(therapist)
    context = world.context(patient)
    context.grant_permissions(["notifications"], origin=world.base)
    page = world.page(context)
    open_screen(page, "/notifications", "Notifications")
    page.evaluate("() => navigator.serviceWorker.ready.then(() => true)")
    screenshot(page, "patient-notifications-setup")
    payload = {
        "web_push": 8030,
        "notification": {
            "title": "Notifications work",
            "body": "This is a test notification from hep.",
            "navigate": f"{world.base}/",
            "tag": "hep-test-1",
            "silent": False,
            "data": {"test_id": "1", "kind": "test"},
            "mutable": True,
        },
    }
    PushDevtools(page).deliver(json.dumps(payload))
    [note] = shown(page, 1)
    assert (note["title"], note["tag"], note["actions"]) == (
        "Notifications work",
        "hep-test-1",
        [],
    )
