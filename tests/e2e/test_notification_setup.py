"""The notifications screen says what actually happened: a test that reached no device, or
failed on one, is not "sent"; registering this phone that fails says so and why, in words
meant for the person holding it."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import expect

from tests.e2e.browsing import assert_accessible, open_screen, screenshot, serve_axe
from tests.e2e.conftest import World
from tests.push_service import BrowserSubscription, FakePushService, Reply

pytestmark = pytest.mark.e2e

# The browser's push service refuses, as Chromium's does when it cannot reach its vendor.
SUBSCRIBE_FAILS = """(() => {
    PushManager.prototype.subscribe = async function () {
        throw new DOMException('Registration failed - push service error', 'AbortError');
    };
    PushManager.prototype.getSubscription = async function () { return null; };
})();"""


@pytest.fixture
def push_service() -> Iterator[FakePushService]:
    service = FakePushService().start()
    try:
        yield service
    finally:
        service.stop()


def test_a_test_notification_reports_how_many_devices_it_reached(
    world: World, push_service: FakePushService
) -> None:
    therapist = world.therapist()
    patient = world.patient_of(therapist)
    context = world.context(patient)
    context.grant_permissions(["notifications"], origin=world.base)
    context.add_init_script(SUBSCRIBE_FAILS)
    serve_axe(context)
    page = world.page(context)
    open_screen(page, "/notifications", "Notifications")
    step = page.locator(".steps-guide > li", has=page.get_by_role("heading", name="Check it works"))
    send = step.get_by_role("button", name="Send a test notification")
    result = step.get_by_role("status")

    # no device at all: nothing was sent, and the screen says where to start
    send.click()
    expect(result).to_contain_text("reached no device")
    expect(page.get_by_text(re.compile("Test sent"))).to_have_count(0)
    assert_accessible(page, "notifications, test reached nobody")

    # a device whose push service refuses it
    keys = BrowserSubscription.create()
    device = {
        "endpoint": push_service.url("/old-phone"),
        "keys": {"p256dh": keys.p256dh, "auth": keys.auth},
    }
    patient.send("POST", "/api/push/subscriptions", device, expect=201)
    push_service.reply("/old-phone", Reply(status=500))
    send.click()
    expect(result).to_contain_text("did not arrive on 1 device")

    # and once it goes through
    push_service.reply("/old-phone", Reply(status=201))
    send.click()
    expect(result).to_contain_text("sent to 1 device")


def test_registering_this_phone_that_fails_says_so_on_the_screen(world: World) -> None:
    therapist = world.therapist()
    patient = world.patient_of(therapist)
    context = world.context(patient)
    context.grant_permissions(["notifications"], origin=world.base)
    context.add_init_script(SUBSCRIBE_FAILS)
    serve_axe(context)
    page = world.page(context)
    open_screen(page, "/notifications", "Notifications")
    step = page.locator(
        ".steps-guide > li", has=page.get_by_role("heading", name="Allow notifications")
    )
    # allowed is not the same as registered
    expect(step).to_contain_text("not registered")
    step.get_by_role("button", name="Register this phone").click()
    problem = step.get_by_role("alert")
    expect(problem).to_contain_text("could not be registered")
    # the browser's own wording is for developers, not for the person holding the phone
    expect(problem).not_to_contain_text("AbortError")
    expect(problem).not_to_contain_text("push service error")
    expect(step.get_by_role("button", name="Try again")).to_be_visible()
    assert_accessible(page, "notifications, registration failed")
    screenshot(page, "patient-notifications-register-failed")
