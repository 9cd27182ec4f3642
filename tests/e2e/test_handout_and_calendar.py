"""Paper and calendars through the screens: a therapist prints a program's handout (phone
and desktop, the print stylesheet leaving the sheet alone) and the patient prints theirs and
subscribes their calendar, turns names on, makes a new address and stops sharing; axe clean,
screenshots kept."""

from __future__ import annotations

import re
import urllib.request

import pytest
from playwright.sync_api import expect

from tests.e2e.browsing import assert_accessible, open_screen, screenshot, serve_axe
from tests.e2e.conftest import World

pytestmark = pytest.mark.e2e

DESKTOP = {"width": 1280, "height": 900}


def _fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, ""


def test_a_handout_prints_on_phone_and_desktop(world: World) -> None:
    therapist = world.therapist()
    patient = world.patient_of(therapist, name="Pat Paper")
    program = world.program(therapist, patient, ["chin-tucks", "doorway-pec-stretch"])

    # the therapist, at a desk: from the program's history to its handout
    desk = world.context(therapist, viewport=DESKTOP)
    serve_axe(desk)
    page = world.page(desk)
    open_screen(page, f"/programs/{program['id']}/versions", "History of Neck and shoulders")
    page.get_by_role("link", name="Print handout").click()
    expect(page.get_by_role("heading", name="Handout to print")).to_be_visible()
    sheet = page.get_by_role("article", name="Handout")
    expect(sheet.get_by_role("heading", name="Neck and shoulders")).to_be_visible()
    expect(sheet).to_contain_text("Pat Paper")
    expect(sheet).to_contain_text("Dana Therapist")
    expect(sheet.get_by_role("img", name="QR code that opens hep")).to_be_visible()
    for name in ("Chin tucks", "Doorway chest"):
        expect(sheet.get_by_role("heading", name=re.compile(name))).to_be_visible()
    expect(sheet.get_by_text("Dose:").first).to_be_visible()
    # every picture loaded (hep's drawings)
    assert page.evaluate(
        "() => [...document.querySelectorAll('.handout-sheet img')]"
        ".every(i => i.complete && i.naturalWidth > 0)"
    )
    assert_accessible(page, "handout (desktop)")
    screenshot(page, "handout-desktop")
    pdf_link = page.get_by_role("link", name="Download PDF")
    assert pdf_link.get_attribute("href") == f"/api/programs/{program['id']}/handout.pdf?version=1"

    # printing: the sheet alone, without the app's header, navigation or buttons
    page.emulate_media(media="print")
    expect(page.get_by_role("button", name="Print")).to_be_hidden()
    expect(page.locator(".app-header")).to_be_hidden()
    expect(sheet).to_be_visible()
    page.pdf(path=str(world_pdf_path("handout-browser.pdf")))
    page.emulate_media(media="screen")

    # the patient, on the phone: More, Print your program
    phone = world.context(patient)
    serve_axe(phone)
    page = world.page(phone)
    open_screen(page, "/account", "More")
    page.get_by_role("link", name="Print your program").click()
    expect(page.get_by_role("heading", name="Handout to print")).to_be_visible()
    expect(page.get_by_role("article", name="Handout")).to_contain_text("Chin tucks")
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 360, "nothing wider than the phone"
    assert_accessible(page, "handout (phone)")
    screenshot(page, "handout-phone")


def world_pdf_path(name: str) -> object:
    from tests.e2e.browsing import SCREENSHOTS

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS / name


def test_a_patient_subscribes_their_calendar_and_stops(world: World) -> None:
    therapist = world.therapist()
    patient = world.patient_of(therapist)
    program = world.program(therapist, patient, ["chin-tucks"])
    patient.send(
        "POST",
        "/api/reminders",
        {
            "rule": {"type": "times", "times": ["08:00"], "weekdays": [1, 2, 3, 4, 5, 6, 7]},
            "target": {"kind": "program", "program_id": program["id"]},
        },
    )
    context = world.context(patient)
    serve_axe(context)
    page = world.page(context)
    open_screen(page, "/account", "More")
    page.get_by_role("link", name="Calendar").click()
    expect(page.get_by_role("heading", name="Your plan in your calendar")).to_be_visible()
    assert_accessible(page, "calendar (not subscribed)")
    page.get_by_role("button", name="Make my calendar address").click()
    address = page.get_by_role("textbox", name="Address", exact=True)
    expect(address).to_have_value(re.compile(r"/api/calendar\.ics\?token="))
    url = address.input_value()
    subscribe = page.get_by_role("link", name="Add to my calendar")
    assert subscribe.get_attribute("href") == "webcal" + url.removeprefix("http")
    assert_accessible(page, "calendar (address made)")
    screenshot(page, "calendar-made")

    # a calendar app reads it: sessions, generically named
    status, feed = _fetch(url)
    assert status == 200 and "SUMMARY:Exercise session" in feed and "Chin" not in feed

    # names on, from the screen
    page.reload()
    expect(page.get_by_role("heading", name="Subscribed")).to_be_visible()
    page.get_by_role("checkbox", name="Show exercise and habit names in my calendar").check()
    expect(page.get_by_text("Your calendar will show names.")).to_be_visible()
    assert "SUMMARY:Neck and shoulders" in _fetch(url)[1]

    # a new address: the old one stops working
    page.get_by_role("button", name="Make a new address").click()
    page.get_by_role("button", name="Make a new address").last.click()
    expect(page.get_by_role("textbox", name="Address", exact=True)).not_to_have_value(url)
    newer = page.get_by_role("textbox", name="Address", exact=True).input_value()
    assert _fetch(url)[0] == 404 and _fetch(newer)[0] == 200

    # stop sharing
    page.get_by_role("button", name="Stop sharing").click()
    page.get_by_role("button", name="Stop sharing").last.click()
    expect(page.get_by_role("button", name="Make my calendar address")).to_be_visible()
    assert _fetch(newer)[0] == 404
    assert_accessible(page, "calendar (stopped)")
    screenshot(page, "calendar-stopped")
