"""Every screen passes axe-core without serious or critical violations (under the real CSP),
gets a phone-size screenshot, and the core path works with the keyboard alone."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.browsing import assert_accessible, open_screen, screenshot, serve_axe
from tests.e2e.conftest import PASSWORD, Person, World

pytestmark = pytest.mark.e2e


def seed_history(world: World, therapist: Person, patient: Person) -> dict[str, Any]:
    """A patient a week into a program: check-ins, a habit, pain entries, a reminder."""
    program = world.program(therapist, patient, ["chin-tucks", "doorway-pec-stretch"])
    water = patient.send("POST", "/api/habits/starters/water")
    patient.send("POST", "/api/habits/starters/sleep")
    today = dt.date.fromisoformat(patient.get("/api/today")["date"])
    chin, stretch = (i["item_key"] for i in program["items"])
    for back in range(0, 6):
        day = (today - dt.timedelta(days=back)).isoformat()
        if back % 3 != 2:
            patient.send(
                "PUT",
                f"/api/check-ins/{uuid.uuid4()}",
                {"item_key": chin, "local_date": day, "state": "done", "pain": 3 + back % 3},
            )
        patient.send(
            "PUT",
            f"/api/check-ins/{uuid.uuid4()}",
            {"habit_id": water["id"], "local_date": day, "state": "partial", "value": 4 + back},
        )
        patient.send("PUT", f"/api/pain/{day}", {"score": 2 + back % 4, "regions": ["neck"]})
    patient.send(
        "PUT",
        f"/api/check-ins/{uuid.uuid4()}",
        {
            "item_key": stretch,
            "local_date": (today - dt.timedelta(days=1)).isoformat(),
            "state": "skipped",
            "skip_reason": "no_time",
        },
    )
    patient.send(
        "POST",
        "/api/reminders",
        {
            "label": "Morning routine",
            "target": {"kind": "program", "program_id": program["id"]},
            "rule": {"type": "times", "times": ["08:00", "18:30"], "weekdays": [1, 2, 3, 4, 5]},
        },
        expect=201,
    )
    therapist.send(
        "POST",
        "/api/templates",
        {
            "title": "Desk neck starter",
            "items": [{"exercise_id": i["exercise"]["id"]} for i in program["items"]],
        },
        expect=201,
    )
    return {"program": program, "chin": chin, "yesterday": (today - dt.timedelta(days=1))}


def check(page: Page, path: str, heading: str, name: str, ready: str | None = None) -> None:
    """Open a screen (its heading shows once its data is in), check it, photograph it."""
    open_screen(page, path, heading)
    if ready:
        page.wait_for_selector(ready)
    assert_accessible(page, name)
    width = page.viewport_size["width"] if page.viewport_size else 0
    # nothing may push the page sideways on a phone
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width, name
    screenshot(page, name)


def test_every_screen_passes_axe_and_is_photographed(world: World) -> None:
    therapist = world.therapist()
    patient = world.patient_of(therapist, name="Pat Lee")
    seeded = seed_history(world, therapist, patient)
    invite = therapist.send(
        "POST",
        "/api/patients",
        {"email": f"n-{uuid.uuid4().hex[:6]}@example.org", "name": "Noor Ahmed"},
    )

    guest = world.context()
    serve_axe(guest)
    page = world.page(guest)
    check(page, "/sign-in", "Sign in", "sign-in")
    check(page, "/sign-up", "Create an account", "sign-up-patient")
    check(page, "/sign-up/therapist", "therapist account", "sign-up-therapist")
    check(page, "/invite/" + invite["invite"]["url"].split("#/invite/")[1], "Welcome", "invite")
    check(page, "/invite/not-a-real-code", "no longer works", "invite-expired")
    # a sign-in with field errors is still accessible
    open_screen(page, "/sign-in", "Sign in")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".form-alert")).not_to_be_empty()
    assert_accessible(page, "sign-in-error")

    phone = world.context(patient)
    serve_axe(phone)
    page = world.page(phone)
    check(page, "/today", "Today", "patient-today-week-in")
    check(page, f"/day/{seeded['yesterday'].isoformat()}", "", "patient-back-fill-day")
    check(page, f"/exercise/{seeded['chin']}", "Chin tucks", "patient-exercise-timer")
    check(page, "/pain", "Pain diary", "patient-pain-diary")
    check(page, "/progress", "Progress", "patient-progress")
    check(page, "/reminders", "Reminders", "patient-reminders")
    check(page, "/reminders?new=1", "Reminders", "patient-reminder-form")
    check(page, "/history", "History", "patient-history")
    check(page, "/habits", "Habits", "patient-habits")
    check(page, "/notifications", "Notifications", "patient-notifications")
    check(page, "/account", "More", "patient-more")
    check(page, f"/check-in/{uuid.uuid4()}", "passed", "patient-check-in-passed")
    # panels that open inside the Today screen
    open_screen(page, "/today", "Today")
    card = page.locator("article", has=page.get_by_role("heading", name="Doorway chest stretch"))
    card.get_by_role("button", name=re.compile("^Partly done")).click()
    assert_accessible(page, "patient-today-details-open")
    screenshot(page, "patient-today-details")

    desk = world.context(therapist, viewport={"width": 1280, "height": 900})
    serve_axe(desk)
    page = world.page(desk)
    program = seeded["program"]
    check(page, "/patients", "Patients", "therapist-patients")
    check(page, f"/patients/{patient.id}", "Pat Lee", "therapist-patient")
    check(
        page,
        f"/patients/{patient.id}/programs/new",
        "New program",
        "therapist-new-program",
        ".results ul",
    )
    check(
        page,
        f"/programs/{program['id']}/edit",
        "Neck and shoulders",
        "therapist-edit-program",
        ".results ul",
    )
    check(page, f"/programs/{program['id']}/versions", "History", "therapist-program-history")
    check(page, "/library", "Exercise library", "therapist-library", ".results ul")
    check(page, "/library/new", "New exercise", "therapist-new-exercise")
    check(page, "/templates", "Templates", "therapist-templates")
    check(page, "/account", "Account", "therapist-account")
    # the therapist's screens at phone size too
    page.set_viewport_size({"width": 360, "height": 780})
    check(page, "/patients", "Patients", "therapist-patients-phone")
    check(page, f"/patients/{patient.id}", "Pat Lee", "therapist-patient-phone")


def tab_to(page: Page, selector: str, limit: int = 40) -> None:
    """Press Tab until the element matching `selector` has focus."""
    target = page.locator(selector)
    for _ in range(limit):
        if target.evaluate("el => el === document.activeElement"):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{selector} never got focus with Tab")


def test_sign_in_and_a_tick_work_with_the_keyboard_alone(world: World) -> None:
    therapist = world.therapist()
    patient = world.patient_of(therapist)
    world.program(therapist, patient, ["chin-tucks"])
    page = world.page(world.context())
    open_screen(page, "/sign-in", "Sign in")

    tab_to(page, "input[name=email]")
    page.keyboard.type(patient.email)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.locator("main h1")).to_have_text("Today")
    # focus moved to the new screen's heading
    expect(page.locator("main h1")).to_be_focused()

    done = page.locator("article", has=page.get_by_role("heading", name="Chin tucks")).get_by_role(
        "button", name=re.compile("^Done")
    )
    tab_to(page, "article button[data-role=done]")
    expect(done).to_be_focused()
    page.keyboard.press("Enter")
    card = page.locator("article", has=page.get_by_role("heading", name="Chin tucks"))
    expect(card).to_contain_text("1 of 1 session")
    # focus lands on the follow-up question, not lost at the top of the page
    expect(card.get_by_role("button", name=re.compile("^Add pain and effort"))).to_be_focused()
    page.keyboard.press("Enter")
    # the panel opens with focus inside; arrow keys walk the pain scale as a radio group
    tab_to(page, 'article input[name=pain][value="0"]')
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    tab_to(page, "article form button[type=submit]")
    page.keyboard.press("Enter")
    expect(card.get_by_role("heading", name="Chin tucks")).to_be_focused()
    found = patient.get("/api/check-ins")
    assert [(c["state"], c["source"], c["pain"]) for c in found] == [("done", "app", 3)]


@pytest.mark.parametrize("language", ["de", "es"])
def test_every_screen_in_german_and_spanish_passes_axe_and_fits_a_phone(
    world: World, language: str
) -> None:
    """The longer words of another language: each screen axe-clean, nothing pushed sideways at
    360 px, the page marked as that language, and no English title left on it."""
    therapist = world.therapist()
    patient = world.patient_of(therapist, name="Pat Lee")
    seeded = seed_history(world, therapist, patient)
    for person in (therapist, patient):
        person.send("PATCH", "/api/me", {"language": language})

    def in_language(page: Page, path: str, name: str, english: str, ready: str = "") -> None:
        check(page, path, "", f"{name}-{language}", ready or None)
        assert page.evaluate("() => document.documentElement.lang") == language
        if english:  # (a program's title is the therapist's own words)
            assert page.locator("main h1").inner_text().strip() != english, (path, english)

    phone = world.context(patient)
    serve_axe(phone)
    page = world.page(phone)
    for path, english in [
        ("/today", "Today"),
        (f"/exercise/{seeded['chin']}", "Chin tucks"),
        ("/pain", "Pain diary"),
        ("/progress", "Progress"),
        ("/reminders", "Reminders"),
        ("/reminders?new=1", "Reminders"),
        ("/habits", "Habits"),
        ("/notifications", "Notifications"),
        ("/account", "More"),
        ("/pause", "Pause"),
        ("/email", "Email"),
    ]:
        in_language(page, path, "patient-" + path.split("/")[1].split("?")[0], english)

    for size, options in (("desk", {"viewport": {"width": 1280, "height": 900}}), ("phone", {})):
        context = world.context(therapist, **options)
        serve_axe(context)
        page = world.page(context)
        program = seeded["program"]
        for path, english, ready in [
            ("/patients", "Patients", ""),
            (f"/programs/{program['id']}/edit", "", ".results ul"),
            ("/library", "Exercise library", ".results ul"),
            ("/templates", "Templates", ""),
        ]:
            name = f"therapist{path.split('/')[1] and '-' + path.split('/')[1]}-{size}"
            in_language(page, path, name, english, ready)
