"""A therapist attaches a photo to a patient's exercise from a file input; the patient sees it
on Today's card and the exercise's page, and still sees it offline."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.browsing import assert_accessible, open_screen, screenshot, serve_axe
from tests.e2e.conftest import World
from tests.media.samples import picture

pytestmark = pytest.mark.e2e

SHOWN = "(img) => img.complete && img.naturalWidth > 0"


def wait_shown(page: Page, selector: str) -> None:
    """Until the first picture matching `selector` has loaded and has pixels."""
    page.wait_for_function(
        f"(s) => {{ const i = document.querySelector(s); return Boolean(i) && ({SHOWN})(i); }}",
        arg=selector,
    )


def wait_for_worker(page: Page) -> None:
    page.evaluate("() => navigator.serviceWorker.ready.then(() => true)")
    page.wait_for_function("() => Boolean(navigator.serviceWorker.controller)")


def test_a_photo_attached_in_the_builder_reaches_todays_card_and_stays_offline(
    world: World, tmp_path: Path
) -> None:
    therapist = world.therapist()
    patient = world.patient_of(therapist)
    program = world.program(therapist, patient, ["chin-tucks"])
    photo = tmp_path / "from-the-clinic.jpg"
    photo.write_bytes(picture())

    context = world.context(therapist)
    serve_axe(context)
    page = world.page(context)
    open_screen(page, f"/programs/{program['id']}/edit", "Neck and shoulders")
    editor = page.locator(".item-editor").first
    editor.locator("input[data-role=media-file]").set_input_files(str(photo))
    thumbnail = editor.locator("[data-role=item-media] img")
    expect(thumbnail).to_have_count(1)
    thumbnail.evaluate(SHOWN)
    assert_accessible(page, "program builder with a photo")
    screenshot(page, "media-builder")

    media = patient.get(f"/api/programs/{program['id']}/media")
    assert [m["kind"] for m in media] == ["image"]

    context = world.context(patient)
    serve_axe(context)
    page = world.page(context)
    open_screen(page, "/today", "Today")
    wait_for_worker(page)
    page.reload()
    page.wait_for_selector("main h1")
    card = page.locator("article", has=page.get_by_role("heading", name="Chin tucks"))
    card_thumbnail = card.locator("img.media-thumb")
    expect(card_thumbnail).to_have_attribute("src", media[0]["thumbnail_url"])
    wait_shown(page, "article img.media-thumb")
    assert_accessible(page, "Today with a photo")
    screenshot(page, "media-today")

    card.get_by_role("link", name=re.compile("How to")).click()
    wait_shown(page, ".media-gallery img")
    assert_accessible(page, "exercise page with a photo")
    screenshot(page, "media-exercise")

    # the worker kept the program's media: offline, the card still shows it
    page.wait_for_function(
        """async () => { const c = await caches.open('hep-media-v1');
            return (await c.keys()).length >= 3; }"""
    )
    context.set_offline(True)
    open_screen(page, "/today", "Today")
    page.reload()
    wait_shown(page, "article img.media-thumb")
    card = page.locator("article", has=page.get_by_role("heading", name="Chin tucks"))
    card.get_by_role("link", name=re.compile("How to")).click()
    wait_shown(page, ".media-gallery img")
    screenshot(page, "media-exercise-offline")


def test_a_built_in_exercise_shows_its_drawing_on_the_card_and_its_page(world: World) -> None:
    therapist = world.therapist()
    patient = world.patient_of(therapist)
    world.program(therapist, patient, ["cat-camel"])
    context = world.context(patient)
    serve_axe(context)
    page = world.page(context)
    open_screen(page, "/today", "Today")
    card = page.locator("article", has=page.get_by_role("heading", name="Cat-camel"))
    expect(card.locator("img.media-thumb")).to_have_attribute(
        "src", "/illustrations/cat-camel.svg?still=1"
    )
    card.get_by_role("link", name=re.compile("How to")).click()
    drawing = page.get_by_role("img", name="Drawing: Cat-camel")
    expect(drawing).to_be_visible()
    drawing.evaluate(SHOWN)
    assert_accessible(page, "exercise page with its drawing")


def test_a_therapist_adds_a_photo_to_their_own_exercise(world: World, tmp_path: Path) -> None:
    therapist = world.therapist()
    exercise = therapist.send(
        "POST",
        "/api/exercises",
        {"name": "Towel chin tuck", "regions": ["neck"], "category": "posture"},
    )
    photo = tmp_path / "towel.png"
    photo.write_bytes(picture("PNG"))
    context = world.context(therapist)
    serve_axe(context)
    page = world.page(context)
    open_screen(page, f"/library/{exercise['id']}/edit", "Edit Towel chin tuck")
    page.locator("input[data-role=media-file]").set_input_files(str(photo))
    # below the form, and loaded lazily: in view first
    page.locator(".media-gallery img").scroll_into_view_if_needed()
    wait_shown(page, ".media-gallery img")
    expect(page.get_by_role("img", name="Photo: Towel chin tuck")).to_be_visible()
    assert [m["content_type"] for m in therapist.get(f"/api/exercises/{exercise['id']}/media")] == [
        "image/png"
    ]
    assert_accessible(page, "own exercise with a photo")
