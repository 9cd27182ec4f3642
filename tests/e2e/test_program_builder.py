"""The program builder on a desk and on a phone: a value outside what the server accepts is
marked at once and never turned into an impossible time per session, every menu shows its
whole choice, and a passing message never covers the Save buttons."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.browsing import assert_accessible, open_screen, screenshot, serve_axe
from tests.e2e.conftest import World

pytestmark = pytest.mark.e2e

DESK = {"width": 1280, "height": 900}
PHONE = {"width": 360, "height": 780}

# the room a <select> gives its text, beside the widest of its options in the select's font
MENU_ROOM = """(select) => {
    const style = getComputedStyle(select);
    const pen = document.createElement('canvas').getContext('2d');
    pen.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
    const widest = Math.max(...[...select.options].map((o) => pen.measureText(o.text).width));
    const arrow = 20;
    const room = select.clientWidth - parseFloat(style.paddingLeft)
        - parseFloat(style.paddingRight) - arrow;
    return {widest, room};
}"""


def boxes_overlap(a: dict[str, float], b: dict[str, float]) -> bool:
    return not (
        a["x"] + a["width"] <= b["x"]
        or b["x"] + b["width"] <= a["x"]
        or a["y"] + a["height"] <= b["y"]
        or b["y"] + b["height"] <= a["y"]
    )


def assert_toasts_clear_of_save(page: Page) -> None:
    toast = page.locator("#toasts .toast").last
    expect(toast).to_be_visible()
    toast_box = toast.bounding_box()
    assert toast_box is not None
    for button in page.locator(".sticky-summary .actions > *").all():
        box = button.bounding_box()
        assert box is not None
        assert not boxes_overlap(toast_box, box), (button.inner_text(), toast_box, box)


@pytest.mark.parametrize("viewport", [DESK, PHONE], ids=["desk", "phone"])
def test_the_builder_marks_bad_values_shows_whole_menus_and_keeps_save_in_sight(
    world: World, viewport: dict[str, int]
) -> None:
    therapist = world.therapist()
    patient = world.patient_of(therapist, name="Bo Builder")
    program = world.program(therapist, patient, ["chin-tucks", "doorway-pec-stretch"])
    context = world.context(therapist, viewport=viewport)
    serve_axe(context)
    page = world.page(context)
    open_screen(page, f"/programs/{program['id']}/edit", "Neck and shoulders")
    page.wait_for_selector(".results ul")
    summary = page.locator(".sticky-summary [role=status]")
    expect(summary).to_contain_text(re.compile(r"about [0-9.]+ min per session"))

    # a number the server would refuse is marked where it was typed, not summed
    editor = page.locator(".item-editor").first
    reps = editor.get_by_label("Reps")
    for bad in ("-5000", "99999"):
        reps.fill(bad)
        expect(summary).not_to_contain_text(re.compile(r"-[0-9]|[0-9]{4,} min"))
        expect(summary).to_contain_text("Check the marked values")
        expect(reps).to_have_attribute("aria-invalid", "true")
        expect(editor.get_by_text("Reps: a whole number from 1 to 500.")).to_be_visible()
    assert_accessible(page, "program builder with a bad value")
    reps.fill("12")
    expect(reps).not_to_have_attribute("aria-invalid", "true")
    expect(summary).to_contain_text(re.compile(r"about [0-9.]+ min per session"))

    # every menu of fixed choices shows its longest choice whole (a step's exercise is chosen
    # from the library's names, which the phone's own picker shows whole)
    for select in page.locator(".item-editor select:not([name$='-exercise'])").all():
        room: dict[str, Any] = select.evaluate(MENU_ROOM)
        assert room["widest"] <= room["room"], (select.get_attribute("name"), room)

    # adding an exercise says so without covering the Save buttons
    page.get_by_role("button", name="Add Ankle circles").click()
    assert_toasts_clear_of_save(page)
    screenshot(page, f"therapist-program-builder-{'desk' if viewport == DESK else 'phone'}")
