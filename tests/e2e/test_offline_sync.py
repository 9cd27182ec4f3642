"""Check-ins made without a connection wait in IndexedDB and reach the server exactly once when
the connection returns, and survive a lapsed session until the patient signs in again. The app
started without a connection shows the patient's last loaded Today, and nobody else's."""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.browsing import assert_accessible, open_screen, screenshot, serve_axe
from tests.e2e.conftest import PASSWORD, Person, World

pytestmark = pytest.mark.e2e


# whose day the app keeps for an offline start (without creating the database by looking)
SAVED_DAYS = """async () => (await indexedDB.databases()).some(d => d.name === 'hep-offline')
    ? await new Promise((resolve) => {
    const open = indexedDB.open('hep-offline');
    open.onsuccess = () => {
        const db = open.result;
        if (!db.objectStoreNames.contains('days')) { db.close(); resolve([]); return; }
        const req = db.transaction('days').objectStore('days').getAll();
        req.onsuccess = () => { db.close(); resolve(req.result.map(d => d.userId)); };
    };
}) : []"""


def wait_for_worker(page: Page) -> None:
    """The shell is cached (and the page controlled) once the worker has taken over."""
    page.evaluate("() => navigator.serviceWorker.ready.then(() => true)")
    page.wait_for_function("() => Boolean(navigator.serviceWorker.controller)")


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
    # nor is the day kept for an offline start: nobody is signed in on this phone now
    deadline = time.monotonic() + 5
    while page.evaluate(SAVED_DAYS) and time.monotonic() < deadline:
        page.wait_for_timeout(50)
    assert page.evaluate(SAVED_DAYS) == []

    page.get_by_label("Email").fill(patient.email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("#sync-status")).to_have_text("")
    found = server_check_ins(patient)
    assert [(c["state"], c["source"]) for c in found] == [("done", "offline")]


def clock_now(page: Page) -> str:
    return str(
        page.evaluate(
            "() => new Date().toLocaleTimeString(undefined, {hour: '2-digit', minute: '2-digit'})"
        )
    )


def test_an_offline_start_shows_the_last_today_and_its_tick_arrives_once(world: World) -> None:
    therapist = world.therapist()
    patient = world.patient_of(therapist)
    world.program(therapist, patient, ["chin-tucks", "doorway-pec-stretch"])
    context = world.context(patient)
    serve_axe(context)
    page = world.page(context)
    before = clock_now(page)
    open_screen(page, "/today", "Today")
    expect(page.locator("article.entry")).to_have_count(2)
    after = clock_now(page)
    wait_for_worker(page)
    assert page.evaluate(SAVED_DAYS) == [patient.id]

    # the app starts again with no connection at all
    context.set_offline(True)
    page.reload()
    expect(page.locator("main h1")).to_have_text("Today")
    notice = page.get_by_text(re.compile("^Offline — showing what was loaded at "))
    expect(notice).to_be_visible()
    assert notice.inner_text().rsplit(" ", 1)[1] in {before, after}
    expect(page.locator("article.entry")).to_have_count(2)
    expect(page.locator("article.is-done")).to_have_count(0)
    assert_accessible(page, "today offline start")
    screenshot(page, "patient-today-offline-start")

    tick(page, "Chin tucks")
    expect(page.locator("#sync-status")).to_have_text("Offline · 1 to send")
    assert server_check_ins(patient) == []

    context.set_offline(False)
    expect(page.locator("#sync-status")).to_have_text("")
    # the screen is the server's again: no notice, the tick shown as the server has it
    expect(notice).to_have_count(0)
    expect(page.locator("article.is-done")).to_have_count(1)
    found = server_check_ins(patient)
    assert [(c["state"], c["source"]) for c in found] == [("done", "offline")]


def test_a_tick_sent_while_today_is_not_shown_is_part_of_the_kept_day(world: World) -> None:
    therapist = world.therapist()
    patient = world.patient_of(therapist)
    world.program(therapist, patient, ["chin-tucks", "doorway-pec-stretch"])
    context = world.context(patient)
    page = world.page(context)
    open_screen(page, "/today", "Today")
    wait_for_worker(page)
    context.set_offline(True)
    tick(page, "Chin tucks")
    # the queue is sent from another screen: Today is not there to load the server's view
    page.get_by_role("link", name="Pain", exact=True).click()
    context.set_offline(False)
    expect(page.locator("#sync-status")).to_have_text("")
    assert len(server_check_ins(patient)) == 1

    # a later offline start shows it done, not waiting, and offers nothing to send twice
    context.set_offline(True)
    page.evaluate("() => history.replaceState(null, '', '/#/today')")
    page.reload()
    expect(page.get_by_text(re.compile("^Offline — showing"))).to_be_visible()
    chin = page.locator("article", has=page.get_by_role("heading", name="Chin tucks"))
    expect(chin).to_have_class(re.compile("is-done"))
    expect(page.locator("#sync-status")).to_have_text("Offline")
    context.set_offline(False)
    expect(page.locator("#sync-status")).to_have_text("")
    assert len(server_check_ins(patient)) == 1


def test_after_sign_out_the_next_patient_offline_sees_only_their_own_day(world: World) -> None:
    therapist = world.therapist()
    first = world.patient_of(therapist, name="Ana First")
    second = world.patient_of(therapist, name="Bo Second")
    world.program(therapist, first, ["chin-tucks"])
    world.program(therapist, second, ["doorway-pec-stretch"])
    context = world.context(first)
    page = world.page(context)
    open_screen(page, "/today", "Today")
    expect(page.get_by_role("heading", name="Chin tucks")).to_be_visible()
    wait_for_worker(page)
    assert page.evaluate(SAVED_DAYS) == [first.id]

    open_screen(page, "/account", "More")
    page.get_by_role("button", name="Sign out").click()
    expect(page.locator("main h1")).to_have_text("Sign in")
    assert page.evaluate(SAVED_DAYS) == []
    # Clear-Site-Data took the worker with it; the app has just registered it again
    wait_for_worker(page)
    # nobody is signed in: an offline start has nothing of anyone's to show
    context.set_offline(True)
    page.reload()
    expect(page.locator("main h1")).to_have_text("You are offline")
    expect(page.get_by_text("Chin tucks")).to_have_count(0)
    context.set_offline(False)
    expect(page.locator("main h1")).to_have_text("Sign in")

    page.get_by_label("Email").fill(second.email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Doorway chest stretch")).to_be_visible()
    assert page.evaluate(SAVED_DAYS) == [second.id]
    context.set_offline(True)
    page.reload()
    expect(page.get_by_text(re.compile("^Offline — showing"))).to_be_visible()
    expect(page.get_by_role("heading", name="Doorway chest stretch")).to_be_visible()
    expect(page.get_by_text("Chin tucks")).to_have_count(0)
