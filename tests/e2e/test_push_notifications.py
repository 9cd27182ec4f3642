"""Push, end to end into the service worker: hep's dispatcher sends a reminder to a real
RFC 8030 push service (npm web-push-testing), the decrypted message is delivered to our
service worker through the DevTools protocol, the worker shows it (generic text, one tag per
occurrence), and its "Done" and "Snooze" actions reach the API without opening the app."""

from __future__ import annotations

import datetime as dt
import json
import re
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Page, expect

from hep.instance import vapid_key_path
from hep.push.keys import generate_vapid_keys
from tests.e2e.browsing import open_screen, screenshot
from tests.e2e.conftest import HepServer, Person, World, running_hep
from tests.push_service import WebPushTesting, free_port, running_web_push_testing

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def push_service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebPushTesting]:
    with running_web_push_testing(tmp_path_factory.mktemp("wpt")) as service:
        yield service


def daytime_zone(now: dt.datetime) -> str:
    """A zone where it is day for the next minutes: outside a new account's quiet hours
    (22:00-07:00) and on one local day (no midnight in the test)."""
    for name in ("Europe/Berlin", "UTC", "Asia/Tokyo", "America/New_York", "Pacific/Auckland"):
        if 8 <= now.astimezone(ZoneInfo(name)).hour <= 20:
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
    wait on a promise, so poll; a push delivered through the devtools protocol can take several
    seconds to show on a busy 2-core machine)."""
    deadline = time.monotonic() + 15
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
    from hep.reminders.dispatch import run_once
    from hep.reminders.passes import DispatchSettings

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
    # (Today made the weekly check-in's own reminder on first use)
    [after] = [r for r in patient.get("/api/reminders") if r["target"]["kind"] != "review"]
    # 15 minutes after its own time, or after now once that has passed (the dispatcher ran at
    # the reminder's minute, which may still be ahead of the clock)
    later = dt.datetime.now(dt.UTC)
    snoozed = dt.datetime.fromisoformat(after["next_fire_at"])
    wait = dt.timedelta(minutes=15)
    assert max(fire_at, before) + wait <= snoozed <= max(fire_at, later) + wait

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


# --- a new subscription when the server's key (or the push service) changes ------------------

# Headless Chromium cannot reach its vendor's push service, so pushManager.subscribe() never
# settles. This init script plays the browser's part with subscriptions that web-push-testing
# really made (through the test, see BrowserPush): it remembers the subscription across page
# loads, reports the applicationServerKey it is asked for, and refuses, as Chromium does, a
# subscribe() with another key while a subscription exists.
PUSH_MANAGER_STUB = """(() => {
    const toBytes = (text) => Uint8Array.from(
        atob(text.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0)).buffer;
    const toText = (key) => {
        const bytes = key instanceof ArrayBuffer ? new Uint8Array(key)
            : new Uint8Array(key.buffer, key.byteOffset, key.byteLength);
        return btoa(String.fromCharCode(...bytes))
            .replace(/[+]/g, '-').replace(/[/]/g, '_').replace(/=+$/, '');
    };
    const subscription = (data) => data && {
        endpoint: data.endpoint,
        expirationTime: null,
        options: {userVisibleOnly: true, applicationServerKey: toBytes(data.applicationServerKey)},
        getKey: (name) => toBytes(data.keys[name]),
        toJSON: () => ({endpoint: data.endpoint, expirationTime: null, keys: {...data.keys}}),
        unsubscribe: () => window.__hepPushUnsubscribe(data.endpoint),
    };
    PushManager.prototype.subscribe = async function (options) {
        const key = typeof options.applicationServerKey === 'string'
            ? options.applicationServerKey : toText(options.applicationServerKey);
        return subscription(await window.__hepPushSubscribe(key));
    };
    PushManager.prototype.getSubscription = async function () {
        return subscription(await window.__hepPushCurrent());
    };
    PushManager.prototype.permissionState = async function () { return Notification.permission; };
})();"""


class BrowserPush:
    """The browser's one push subscription for our origin, made by web-push-testing."""

    def __init__(self, service: WebPushTesting) -> None:
        self.service = service
        self.current: dict[str, Any] | None = None
        self.asked: list[str] = []
        self.unsubscribed: list[str] = []

    def install(self, context: Any) -> BrowserPush:
        context.expose_function("__hepPushSubscribe", self.subscribe)
        context.expose_function("__hepPushCurrent", lambda: self.current)
        context.expose_function("__hepPushUnsubscribe", self.unsubscribe)
        context.add_init_script(PUSH_MANAGER_STUB)
        return self

    def subscribe(self, key: str) -> dict[str, Any]:
        self.asked.append(key)
        if self.current is not None:
            if self.current["applicationServerKey"] != key:
                raise RuntimeError("InvalidStateError: a subscription with another key exists")
            return self.current
        self.current = {**self.service.subscribe(key), "applicationServerKey": key}
        return self.current

    def unsubscribe(self, endpoint: str) -> bool:
        if self.current is None or self.current["endpoint"] != endpoint:
            return False
        # the push service forgets it: a later push there answers 410
        self.service.expire(self.current["clientHash"])
        self.unsubscribed.append(endpoint)
        self.current = None
        return True


def registered(hep: HepServer, person: Person) -> list[str]:
    """The push endpoints hep holds for `person`, read from its database."""
    from sqlalchemy import select

    from hep.db import Database
    from hep.models import PushSubscription

    with Database.sessionmaker(hep.app())() as session:
        rows = session.scalars(
            select(PushSubscription.endpoint).where(
                PushSubscription.user_id == uuid.UUID(person.id)
            )
        )
        return sorted(rows)


def decrypted(service: WebPushTesting, subscription: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        json.loads(m if isinstance(m, str) else json.dumps(m))
        for m in service.notifications(subscription["clientHash"])
    ]


def saves_subscription(response: Any) -> bool:
    return bool(
        response.url.endswith("/api/push/subscriptions") and response.request.method == "POST"
    )


def test_a_new_server_key_makes_the_app_subscribe_again(
    tmp_path: Path, playwright_instance: Any, browser: Any, push_service: WebPushTesting
) -> None:
    # a hep of its own: this test changes its key and restarts it
    port = free_port()
    world = World(f"http://127.0.0.1:{port}", playwright_instance, browser)
    try:
        with running_hep(tmp_path, port) as hep:
            therapist = world.therapist()
            patient = world.patient_of(therapist)
            old_key = patient.get("/api/push/vapid-public-key")["public_key"]
            context = world.context(patient)
            phone = BrowserPush(push_service).install(context)
            page = world.page(context)
            open_screen(page, "/notifications", "Notifications")
            # the patient allows notifications (the browser's prompt answered "Allow")
            context.grant_permissions(["notifications"], origin=world.base)
            page.get_by_role("button", name="Allow notifications").click()
            expect(page.get_by_text("Allowed, and this phone is registered")).to_be_visible()
            old = phone.current
            assert old is not None
            assert phone.asked == [old_key]
            assert registered(hep, patient) == [old["endpoint"]]

        # the operator replaces the key pair and restarts hep: same database, same address
        vapid_key_path(tmp_path).write_text(generate_vapid_keys().private_pem())
        with running_hep(tmp_path, port) as hep:
            new_key = patient.get("/api/push/vapid-public-key")["public_key"]
            assert new_key != old_key
            # the next start of the app notices, drops the old subscription, makes a new one
            with page.expect_response(saves_subscription) as saved:
                page.reload()
            assert saved.value.status == 201
            new = phone.current
            assert new is not None and new["endpoint"] != old["endpoint"]
            assert phone.asked == [old_key, new_key]
            assert phone.unsubscribed == [old["endpoint"]]
            assert registered(hep, patient) == [new["endpoint"]]

            # hep's push, signed with the new key, arrives at the new subscription decrypted
            assert patient.send("POST", "/api/push/test") == {"sent": 1, "failed": 0}
            [message] = decrypted(push_service, new)
            assert message["notification"]["data"]["kind"] == "test"
            assert decrypted(push_service, old) == []

            # another start with the same key keeps the subscription as it is
            with page.expect_response(saves_subscription) as saved:
                page.reload()
            assert saved.value.status == 200
            assert phone.asked == [old_key, new_key]
            assert registered(hep, patient) == [new["endpoint"]]
    finally:
        world.close()
    assert not world.page_errors, world.page_errors
    assert "Traceback" not in (tmp_path / "gunicorn.log").read_text()


# Runs inside the service worker, where the page's init script does not reach: PushManager
# stubbed with subscriptions the test made at web-push-testing (`held`: what the browser still
# has, or null; `replacement`: what subscribe() gives), then the event a browser sends when its
# push service has replaced the subscription. Resolves with the keys subscribe() was asked for,
# what was unsubscribed, and the handler's POSTs to hep.
SUBSCRIPTION_CHANGE = """async ({held, replacement}) => {
    const toBytes = (text) => Uint8Array.from(
        atob(text.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0)).buffer;
    const toText = (key) => {
        const bytes = key instanceof ArrayBuffer ? new Uint8Array(key)
            : new Uint8Array(key.buffer, key.byteOffset, key.byteLength);
        return btoa(String.fromCharCode(...bytes))
            .replace(/[+]/g, '-').replace(/[/]/g, '_').replace(/=+$/, '');
    };
    const asked = [];
    const unsubscribed = [];
    const posts = [];
    const subscription = (data, key) => ({
        endpoint: data.endpoint,
        options: {userVisibleOnly: true, applicationServerKey: key},
        toJSON: () => ({endpoint: data.endpoint, expirationTime: null, keys: {...data.keys}}),
        unsubscribe: async () => { unsubscribed.push(data.endpoint); return true; },
    });
    const real = {
        subscribe: PushManager.prototype.subscribe,
        getSubscription: PushManager.prototype.getSubscription,
        fetch: self.fetch,
    };
    PushManager.prototype.getSubscription = async () =>
        held && subscription(held, toBytes(held.applicationServerKey));
    PushManager.prototype.subscribe = async (options) => {
        asked.push(toText(options.applicationServerKey));
        return subscription(replacement, options.applicationServerKey);
    };
    self.fetch = (input, init = {}) => {
        const done = real.fetch.call(self, input, init);
        if ((init.method || 'GET') === 'POST') {
            posts.push(done.then((r) => [new URL(r.url).pathname, r.status], () => ['', 0]));
        }
        return done;
    };
    try {
        const event = new ExtendableEvent('pushsubscriptionchange');
        // waitUntil throws on a synthetic event; the handler's work has started by then
        try { self.dispatchEvent(event); } catch (e) { /* reported, not thrown */ }
        for (let i = 0; i < 100 && !posts.length; i += 1) {
            await new Promise((resolve) => setTimeout(resolve, 50));
        }
        return {asked, unsubscribed, posts: await Promise.all(posts)};
    } finally {
        Object.assign(PushManager.prototype, {subscribe: real.subscribe,
                                              getSubscription: real.getSubscription});
        self.fetch = real.fetch;
    }
}"""


@pytest.mark.parametrize("held", ["nothing", "a subscription made with an old key"])
def test_the_worker_hands_hep_a_new_subscription_made_with_its_key(
    world: World, server: HepServer, push_service: WebPushTesting, held: str
) -> None:
    therapist = world.therapist()
    patient = world.patient_of(therapist)
    key = patient.get("/api/push/vapid-public-key")["public_key"]
    old = push_service.subscribe(key)
    patient.send(
        "POST",
        "/api/push/subscriptions",
        {"endpoint": old["endpoint"], "keys": old["keys"]},
        expect=201,
    )
    context = world.context(patient)
    page = world.page(context)
    open_screen(page, "/today", "Today")
    page.evaluate("() => navigator.serviceWorker.ready.then(() => true)")
    worker = context.service_workers[0] if context.service_workers else None
    worker = worker or context.wait_for_event("serviceworker")

    # the push service ends the old subscription; the browser may still hold one that was
    # made with a key hep no longer has
    push_service.expire(old["clientHash"])
    stale = None
    if held != "nothing":
        stale_key = generate_vapid_keys().public_key
        stale = {**push_service.subscribe(stale_key), "applicationServerKey": stale_key}
    replacement = push_service.subscribe(key)
    seen = worker.evaluate(SUBSCRIPTION_CHANGE, {"held": stale, "replacement": replacement})
    assert seen == {
        "asked": [key],
        "unsubscribed": [stale["endpoint"]] if stale else [],
        "posts": [["/api/push/subscriptions", 201]],
    }
    assert registered(server, patient) == sorted([old["endpoint"], replacement["endpoint"]])

    # hep reaches the new one; the old one answers 410
    assert patient.send("POST", "/api/push/test") == {"sent": 1, "failed": 1}
    [message] = decrypted(push_service, replacement)
    assert message["notification"]["data"]["kind"] == "test"
