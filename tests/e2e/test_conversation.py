"""The conversation between visits, through the screens, on a phone (360 px) and a desktop:
Today asks for the week, a questionnaire and a message; the patient looks back on the week,
answers the PSFS and a built questionnaire (a missing answer is named beside its question),
reads a message as text and answers; the therapist sees it all beside adherence, builds a
questionnaire, schedules it, writes, and prints a summary. Every screen passes axe and is
photographed."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.browsing import assert_accessible, open_screen, screenshot, serve_axe
from tests.e2e.conftest import Person, World

pytestmark = pytest.mark.e2e

DESK = {"width": 1280, "height": 900}
PHONE = {"width": 360, "height": 780}


def check(page: Page, path: str, heading: str, name: str) -> None:
    """Open a screen, check it with axe, make sure nothing pushes it sideways, photograph it."""
    open_screen(page, path, heading)
    assert_accessible(page, name)
    width = page.viewport_size["width"] if page.viewport_size else 0
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width, name
    screenshot(page, name)


def setting_up(world: World) -> tuple[Person, Person, dict[str, Any]]:
    """A patient on a program since today, asked about their week today, with a PSFS due and
    a message from their therapist."""
    therapist = world.therapist("Dana Therapist")
    patient = world.patient_of(therapist, name="Pat Lee")
    world.program(therapist, patient, ["chin-tucks"])
    today = dt.date.fromisoformat(patient.get("/api/today")["date"])
    patient.send(
        "PUT", "/api/weekly-reviews/schedule", {"weekday": today.isoweekday(), "time": "19:00"}
    )
    psfs = therapist.send(
        "POST", f"/api/patients/{patient.id}/measures", {"instrument": "psfs", "every_weeks": 2}
    )
    therapist.send(
        "PUT",
        f"/api/patients/{patient.id}/messages/{uuid.uuid4()}",
        {"body": "How did the <b>stairs</b> go this week?"},
    )
    return therapist, patient, psfs


def test_the_patient_answers_the_week_a_questionnaire_and_a_message(world: World) -> None:
    therapist, patient, psfs = setting_up(world)
    context = world.context(patient, viewport=PHONE)
    serve_axe(context)
    page = world.page(context)

    check(page, "/today", "Today", "patient-today-asks")
    prompts = page.locator(".prompts")
    expect(prompts.get_by_role("heading", name="How did your week go?")).to_be_visible()
    expect(prompts.get_by_role("heading", name=re.compile("Everyday activities"))).to_be_visible()
    expect(prompts.get_by_role("heading", name="A new message")).to_be_visible()

    # the week: prefilled from the logs, one screen
    prompts.get_by_role("link", name="Look back on the week").click()
    expect(page.locator("main h1")).to_have_text("Your week")
    assert_accessible(page, "patient-weekly-review")
    screenshot(page, "patient-weekly-review")
    sessions = page.get_by_label(re.compile("Exercise sessions you did"))
    expect(sessions).to_have_value("0")
    sessions.fill("1")
    page.get_by_role("checkbox", name="No time").check()
    page.get_by_label("Anything to add? (optional)").fill("Long shifts")
    page.get_by_role("button", name="Send to my therapist").click()
    expect(page.locator(".form-alert").first).to_contain_text("Choose how sure you are")
    page.get_by_role("radio", name="7", exact=True).check()
    page.get_by_role("button", name="Send to my therapist").click()
    expect(page.get_by_text("Thank you.")).to_be_visible()
    [review] = patient.get("/api/weekly-reviews")
    assert (review["sessions_done"], review["barriers"], review["confidence"]) == (
        1,
        ["no_time"],
        7,
    )

    # the PSFS: name activities, rate each
    open_screen(page, f"/measures/{psfs['id']}", "Everyday activities")
    assert_accessible(page, "patient-psfs")
    screenshot(page, "patient-psfs")
    page.get_by_label("Activity 1", exact=True).fill("Climbing stairs")
    page.get_by_role("group", name="How well can you do it now? (activity 1)").get_by_role(
        "radio", name="4 of 10"
    ).check()
    page.get_by_label("Activity 2 (optional)").fill("Lifting groceries")
    page.get_by_role("group", name="How well can you do it now? (activity 2)").get_by_role(
        "radio", name="6 of 10"
    ).check()
    page.get_by_role("button", name="Send").click()
    expect(page.locator("main h1")).to_have_text("Questionnaires")
    assert_accessible(page, "patient-questionnaires")
    screenshot(page, "patient-questionnaires")
    expect(
        page.get_by_role("cell", name="Climbing stairs: 4 · Lifting groceries: 6")
    ).to_be_visible()

    # the message: shown as text, answered
    check(page, "/messages", "Messages", "patient-messages")
    expect(page.locator(".message-body").first).to_have_text(
        "How did the <b>stairs</b> go this week?"
    )
    assert page.locator(".message-body b").count() == 0
    page.get_by_label("Your message").fill("Better: two flights <i>without</i> stopping.")
    page.get_by_role("button", name="Send").click()
    expect(page.locator(".message.mine .message-body")).to_have_text(
        "Better: two flights <i>without</i> stopping."
    )
    thread = therapist.get(f"/api/patients/{patient.id}/messages")
    assert thread["unread"] == 1 and patient.get("/api/messages")["unread"] == 0

    check(page, "/summary", "Progress summary: Pat Lee", "patient-summary")
    check(page, "/today", "Today", "patient-today-after")
    expect(page.locator(".prompts .prompt")).to_have_count(0)

    # the same screens on a desktop
    desk = world.context(patient, viewport=DESK)
    serve_axe(desk)
    page = world.page(desk)
    for path, heading, name in [
        ("/weekly-review", "Your week", "patient-weekly-review-desktop"),
        ("/measures", "Questionnaires", "patient-questionnaires-desktop"),
        (f"/measures/{psfs['id']}", "Everyday activities", "patient-psfs-desktop"),
        ("/messages", "Messages", "patient-messages-desktop"),
        ("/summary", "Progress summary", "patient-summary-desktop"),
    ]:
        check(page, path, heading, name)


def test_the_therapist_builds_schedules_writes_and_prints(world: World) -> None:
    therapist, patient, _ = setting_up(world)
    desk = world.context(therapist, viewport=DESK)
    serve_axe(desk)
    page = world.page(desk)

    # a questionnaire of every kind of question
    check(page, "/questionnaires", "Questionnaires", "therapist-questionnaires")
    builder = page.locator("form", has=page.get_by_role("heading", name="Build a questionnaire"))
    builder.get_by_label("Title").fill("Knee check")
    first = builder.locator("fieldset.question").nth(0)
    first.get_by_label("Question", exact=True).fill("How steady on stairs?")
    first.get_by_label("0 means", exact=True).fill("Not at all")
    first.get_by_label("10 means").fill("Fully")
    builder.get_by_role("button", name="Add a question").click()
    second = builder.locator("fieldset.question").nth(1)
    second.get_by_label("Question", exact=True).fill("When is it worst?")
    second.get_by_label("Kind of answer").select_option("single")
    second.get_by_label("Choices, one per line").fill("Morning\nEvening")
    builder.get_by_role("button", name="Add a question").click()
    third = builder.locator("fieldset.question").nth(2)
    third.get_by_label("Question", exact=True).fill("What helps?")
    third.get_by_label("Kind of answer").select_option("multiple")
    third.get_by_label("Choices, one per line").fill("Heat\nRest")
    builder.get_by_role("button", name="Add a question").click()
    fourth = builder.locator("fieldset.question").nth(3)
    fourth.get_by_label("Question", exact=True).fill("Anything else?")
    fourth.get_by_label("Kind of answer").select_option("text")
    fourth.get_by_label("An answer is needed").uncheck()
    assert_accessible(page, "therapist-questionnaire-builder")
    screenshot(page, "therapist-questionnaire-builder")
    builder.get_by_role("button", name="Save questionnaire").click()
    expect(
        page.get_by_text("How steady on stairs? · When is it worst? · What helps? · Anything else?")
    ).to_be_visible()

    # the patient's page: check-ins, measures, messages
    open_screen(page, f"/patients/{patient.id}", "Pat Lee")
    page.wait_for_selector(".conversation h2")
    schedule = page.locator("form", has=page.get_by_role("heading", name="Schedule a measure"))
    schedule.get_by_label("Measure").select_option(label="Knee check")
    schedule.get_by_label("Every how many weeks").fill("4")
    schedule.get_by_role("button", name="Schedule").click()
    expect(page.get_by_role("heading", name=re.compile("^Knee check"))).to_be_visible()
    page.get_by_label("Your message").fill("Keep going, and tell me about the stairs.")
    page.get_by_role("button", name="Send").click()
    expect(page.locator(".message.mine .message-body").last).to_have_text(
        "Keep going, and tell me about the stairs."
    )
    assert_accessible(page, "therapist-patient-conversation")
    screenshot(page, "therapist-patient-conversation")

    # the patient answers the new questionnaire, leaving out a needed answer first
    phone = world.context(patient, viewport=PHONE)
    serve_axe(phone)
    mine = world.page(phone)
    plan = next(
        p for p in patient.get("/api/measures")["plans"] if p["measure"]["title"] == "Knee check"
    )
    open_screen(mine, f"/measures/{plan['id']}", "Knee check")
    mine.get_by_role("radio", name="8 of 10").check()
    mine.get_by_role("radio", name="Morning").check()
    mine.get_by_role("button", name="Send").click()
    expect(mine.locator('[data-field="answers.q3"] .field-error')).to_have_text(
        "Choose at least one."
    )
    assert_accessible(mine, "patient-custom-questionnaire-error")
    screenshot(mine, "patient-custom-questionnaire-error")
    mine.get_by_role("checkbox", name="Heat").check()
    mine.get_by_role("button", name="Send").click()
    expect(mine.locator("main h1")).to_have_text("Questionnaires")

    # the summary, and how it prints
    check(page, f"/patients/{patient.id}/summary", "Progress summary: Pat Lee", "therapist-summary")
    expect(page.get_by_role("heading", name="Weekly check-ins")).to_be_visible()
    page.emulate_media(media="print")
    expect(page.locator("#nav")).to_be_hidden()
    expect(page.get_by_role("button", name="Print")).to_be_hidden()
    screenshot(page, "therapist-summary-print")
    page.emulate_media(media="screen")

    # the therapist's screens on a phone too
    page.set_viewport_size(PHONE)
    check(page, "/questionnaires", "Questionnaires", "therapist-questionnaires-phone")
    check(page, f"/patients/{patient.id}", "Pat Lee", "therapist-patient-conversation-phone")
    check(page, f"/patients/{patient.id}/summary", "Progress summary", "therapist-summary-phone")
