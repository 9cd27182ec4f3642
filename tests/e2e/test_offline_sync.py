"""Check-ins made without a connection wait in IndexedDB and reach the server exactly once when
the connection returns, and survive a lapsed session until the patient signs in again."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.browsing import open_screen, screenshot
from tests.e2e.conftest import PASSWORD, Person, World

pytestmark = pytest.mark.e2e


def tick(page: Page, name: str) -> None:
    card = page.locator("article", has=page.get_by_role("heading", name=name))
    card.get_by_role("button", name=re.compile("^Done")).click()
    expect(card).to_have_class(re.compile("is-done"))


def server_check_ins(patient: Person) -> list[dict[str, object]]:
    found: list[dict[str, object]] = patient.get("/api/check-ins")
    return found


def test_two_ticks_offline_arrive_once_each_when_back_online(world: World) -> None:
    therapist = world.therapist()
    patient = world.patient_of(therapist)
    world.program(therapist, patient, ["chin-tucks", "doorway-pec-stretch"])
    context = world.context(patient)
    page = world.page(context)
    open_screen(page, "/today", "Today")
    page.evaluate("() => navigator.serviceWorker.ready.then(() => true)")

    context.set_offline(True)
    tick(page, "Chin tucks")
    tick(page, "Doorway chest stretch")
    expect(page.locator("#sync-status")).to_have_text("Offline · 2 to send")
    screenshot(page, "patient-today-offline")
    assert server_check_ins(patient) == []

    context.set_offline(False)
    expect(page.locator("#sync-status")).to_have_text("")
    found = server_check_ins(patient)
    assert len(found) == 2
    assert len({c["id"] for c in found}) == 2
    assert {c["source"] for c in found} == {"offline"}
    assert {c["state"] for c in found} == {"done"}

    # a reload and another online event replay nothing more
    page.reload()
    expect(page.locator("main h1")).to_have_text("Today")
    page.evaluate("() => window.dispatchEvent(new Event('online'))")
    expect(page.locator("article.is-done")).to_have_count(2)
    assert len(server_check_ins(patient)) == 2


def test_a_tick_waits_through_a_lapsed_session_until_the_patient_signs_in(world: World) -> None:
    therapist = world.therapist()
    patient = world.patient_of(therapist)
    world.program(therapist, patient, ["chin-tucks"])
    context = world.context(patient)
    page = world.page(context)
    open_screen(page, "/today", "Today")

    context.set_offline(True)
    tick(page, "Chin tucks")
    # meanwhile the browser's session ends on the server (expired, or ended elsewhere)
    same_session = world.playwright.request.new_context(
        base_url=world.base,
        extra_http_headers={"X-HEP-CSRF": "1"},
        storage_state={"cookies": context.cookies(), "origins": []},
    )
    assert same_session.post("/api/auth/logout").status == 204
    same_session.dispose()

    context.set_offline(False)
    # the replay meets a 401: the app asks to sign in and keeps the check-in
    expect(page.locator("main h1")).to_have_text("Sign in")
    assert (
        page.evaluate(
            """() => new Promise((resolve) => {
            const open = indexedDB.open('hep-offline');
            open.onsuccess = () => {
                const req = open.result.transaction('check-ins').objectStore('check-ins').count();
                req.onsuccess = () => resolve(req.result);
            };
        })"""
        )
        == 1
    )
    assert server_check_ins(patient) == []

    page.get_by_label("Email").fill(patient.email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("#sync-status")).to_have_text("")
    found = server_check_ins(patient)
    assert [(c["state"], c["source"]) for c in found] == [("done", "offline")]
