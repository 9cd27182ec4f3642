"""A clinic's shared library in the browser: a built-in exercise copied to adapt, shared with the
clinic (a colleague finds it and may only copy it) and archived; a template renamed and shared
(no new version), edited in the builder into a new version whose history shows both, read but
not changed by a colleague, then deleted. Axe-clean, photographed at 360 px and desktop."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.browsing import DESK, both_sizes, confirm, open_screen, serve_axe
from tests.e2e.conftest import PASSWORD, ZONE, Person, World

pytestmark = pytest.mark.e2e


def colleague(world: World, admin: Person, clinic_id: str, name: str) -> Person:
    """A therapist who joined the admin's clinic through its invite link, with a new account."""
    email = f"{name.split()[0].lower()}-{admin.id[:8]}@example.org"
    invite = admin.send("POST", f"/api/clinics/{clinic_id}/invites", {"email": email})
    code = invite["url"].split("#/join-clinic/")[1]
    client = world.api_client()
    r = client.post(
        f"/api/clinic-invites/{code}/accept",
        data={"name": name, "password": PASSWORD, "timezone": ZONE},
    )
    assert r.status == 200, r.text()
    return Person(email, name, "therapist", client, r.json()["user"]["id"])


def test_exercises_and_templates_are_shared_copied_versioned_and_archived(world: World) -> None:
    dana = world.therapist("Dana Reyes")
    [clinic] = dana.get("/api/clinics")
    dana.send("PATCH", f"/api/clinics/{clinic['id']}", {"name": "Riverside Physio"})
    sam = colleague(world, dana, clinic["id"], "Sam Okafor")
    by_slug = {e["slug"]: e for e in dana.get("/api/exercises?page_size=100")}
    template = dana.send(
        "POST",
        "/api/templates",
        {"title": "Desk neck", "items": [{"exercise_id": by_slug["chin-tucks"]["id"]}]},
    )

    context = world.context(dana, viewport=DESK)
    serve_axe(context)
    page = world.page(context)

    # a built-in is copied to adapt, then shared with the clinic
    open_screen(page, "/library", "Exercise library")
    page.get_by_label("Search exercises").fill("chin tuck")
    page.get_by_role("button", name="Copy to adapt Chin tucks").click()
    expect(page.locator("main h1")).to_have_text("Edit Chin tucks")
    page.get_by_label("Name").fill("Chin tucks against the wall")
    page.get_by_label("Who sees it").select_option(label="Shared with Riverside Physio")
    both_sizes(page, "therapist-exercise-form")
    page.get_by_role("button", name="Save exercise").click()
    expect(page.locator("main h1")).to_have_text("Exercise library")
    [mine] = dana.get("/api/exercises?mine=true")
    assert (mine["name"], mine["clinic_id"], mine["built_in"]) == (
        "Chin tucks against the wall",
        clinic["id"],
        False,
    )
    # a colleague finds it, and may copy it but not edit it
    found = sam.get("/api/exercises?q=against+the+wall")
    assert [e["id"] for e in found] == [mine["id"]]
    sam_page = world.page(world.context(sam, viewport=DESK))
    open_screen(sam_page, "/library", "Exercise library")
    sam_page.get_by_label("Search exercises").fill("against the wall")
    row = sam_page.locator("li", has=sam_page.get_by_text("Chin tucks against the wall"))
    expect(row).to_contain_text("a colleague's")
    expect(row.get_by_role("button", name=re.compile("^Copy to adapt"))).to_be_visible()
    expect(row.get_by_role("link", name=re.compile("^Edit"))).to_have_count(0)

    # archived: out of search, listed among the archived
    open_screen(page, f"/library/{mine['id']}/edit", "Edit Chin tucks against the wall")
    page.get_by_role("button", name="Archive exercise").click()
    confirm(page, "Archive")
    expect(page.locator("main h1")).to_have_text("Exercise library")
    page.get_by_label("Search exercises").fill("against the wall")
    expect(page.locator(".results")).to_contain_text("No exercise matches.")
    page.get_by_label("Archived exercises instead").check()
    expect(page.locator(".results ul.list > li")).to_contain_text("archived")
    both_sizes(page, "therapist-library-archived")

    # a template renamed and shared: no new version
    open_screen(page, f"/templates/{template['id']}", "Desk neck")
    settings = page.locator("form", has=page.get_by_role("heading", name="Name and sharing"))
    settings.get_by_label("Title").fill("Desk neck starter")
    settings.get_by_label("Who sees it").select_option(label="Shared with Riverside Physio")
    settings.get_by_role("button", name="Save").click()
    expect(page.locator("main h1")).to_have_text("Desk neck starter")
    expect(page.locator(".subtitle")).to_contain_text(
        "Yours · shared with Riverside Physio · version 1"
    )
    # edited in the builder: a new version, the first still shown
    page.get_by_role("link", name="Edit exercises").click()
    expect(page.locator("main h1")).to_have_text("Edit Desk neck starter")
    page.get_by_label("Search exercises").fill("band row")
    page.get_by_role("button", name="Add Band row", exact=True).click()
    page.get_by_label("What changed").fill("Rows for the upper back")
    both_sizes(page, "therapist-template-edit")
    page.get_by_role("button", name="Save new version").click()
    expect(page.locator("main h1")).to_have_text("Desk neck starter")
    expect(page.locator(".subtitle")).to_contain_text("version 2")
    expect(page.locator("ol.list > li")).to_have_count(2)
    expect(page.locator("ol.list")).to_contain_text("Rows for the upper back")
    page.get_by_role("button", name="Show version 1").click()
    shown = page.locator("[data-role=version]", has=page.get_by_role("heading", name="Version 1"))
    expect(shown).to_contain_text("Chin tucks")
    expect(shown).not_to_contain_text("Band row")
    both_sizes(page, "therapist-template")

    # the colleague reads and prescribes it, but only its author changes it
    open_screen(sam_page, "/templates", "Templates")
    card = sam_page.locator("article", has=sam_page.get_by_role("link", name="Desk neck starter"))
    expect(card).to_contain_text("By Dana Reyes · shared with Riverside Physio")
    card.get_by_role("link", name="Desk neck starter").click()
    expect(sam_page.locator("main h1")).to_have_text("Desk neck starter")
    expect(sam_page.get_by_role("link", name="Edit exercises")).to_have_count(0)
    expect(sam_page.locator("main")).to_contain_text("Only its author changes this template")

    # deleted by its author
    page.get_by_role("button", name="Delete template").click()
    confirm(page, "Delete")
    expect(page.locator("main h1")).to_have_text("Templates")
    assert dana.api.get(f"/api/templates/{template['id']}").status == 404
