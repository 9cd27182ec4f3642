"""Whatever the app marks hidden stays out of sight on every screen that hides something: a
class that sets `display` (buttons, grids, cards) must not bring a hidden element back."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page

from tests.e2e.browsing import open_screen
from tests.e2e.conftest import World

pytestmark = pytest.mark.e2e

SHOWN_THOUGH_HIDDEN = """() => [...document.querySelectorAll('[hidden]')]
    .filter((el) => getComputedStyle(el).display !== 'none')
    .map((el) => el.outerHTML.slice(0, 120))"""


def shown_though_hidden(page: Page) -> list[str]:
    found: list[str] = page.evaluate(SHOWN_THOUGH_HIDDEN)
    return found


def test_nothing_marked_hidden_is_shown(world: World) -> None:
    therapist = world.therapist()
    patient = world.patient_of(therapist, name="Hal Hidden")
    world.program(therapist, patient, ["chin-tucks"])
    patient.send("POST", "/api/habits/starters/water")
    patient.send(
        "POST", "/api/reminders", {"rule": {"type": "times", "times": ["09:00"]}}, expect=201
    )
    found: dict[str, Any] = {}

    page = world.page(world.context(patient))
    for path, heading in (
        ("/today", "Today"),
        ("/reminders?new=1", "Reminders"),
        ("/habits", "Habits"),
        ("/account", "More"),
    ):
        open_screen(page, path, heading)
        page.wait_for_load_state("networkidle")
        found[path] = shown_though_hidden(page)

    desk = world.page(world.context(therapist, viewport={"width": 1280, "height": 900}))
    open_screen(desk, f"/patients/{patient.id}", "Hal Hidden")
    found["/patients/<id>"] = shown_though_hidden(desk)
    # a search with few results hides "More results"
    open_screen(desk, "/library", "Exercise library")
    desk.get_by_label("Only my own exercises").check()
    desk.wait_for_selector(".results p")
    found["/library (mine)"] = shown_though_hidden(desk)

    assert not {path: shown for path, shown in found.items() if shown}, found
