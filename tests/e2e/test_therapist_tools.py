"""The therapist's tools, through the screens: a program edit saves a new version that keeps
each item's history, templates are saved and prescribed, custom exercises join the library,
an invite is re-sent, a habit is suggested, and the patient list puts who needs attention first
and says why (falling adherence with both weeks' figures)."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from tests.e2e.browsing import open_screen, screenshot
from tests.e2e.conftest import ZONE, HepServer, Person, World

pytestmark = pytest.mark.e2e

DESK = {"width": 1280, "height": 900}


def test_versions_templates_custom_exercises_invites_and_habits(world: World) -> None:
    therapist = world.therapist()
    patient = world.patient_of(therapist, name="Pat Lee")
    program = world.program(therapist, patient, ["chin-tucks", "doorway-pec-stretch"])
    page = world.page(world.context(therapist, viewport=DESK))

    # edit: chin tucks to 3 sets, drop the stretch, add band rows
    open_screen(page, f"/programs/{program['id']}/edit", "Neck and shoulders")
    chin = page.locator(".item-editor", has=page.get_by_role("heading", name="1. Chin tucks"))
    chin.get_by_label("Sets").fill("3")
    page.get_by_role("button", name="Remove Doorway chest stretch").click()
    page.get_by_label("Search exercises").fill("band row")
    page.get_by_role("button", name="Add Band row", exact=True).click()
    page.get_by_label("What changed").fill("Progressed chin tucks; rows instead of the stretch")
    page.get_by_role("button", name="Save new version").click()
    expect(page.locator("main h1")).to_have_text("Pat Lee")
    expect(page.get_by_text("· version 2")).to_be_visible()
    revised = therapist.get(f"/api/programs/{program['id']}")
    assert revised["version"] == 2
    kept = {i["exercise"]["name"]: i["item_key"] for i in revised["items"]}
    # the chin tucks keep their key, so their history and streak carry on
    assert kept["Chin tucks"] == program["items"][0]["item_key"]
    assert [i["sets"] for i in revised["items"] if i["exercise"]["name"] == "Chin tucks"] == [3]

    page.get_by_role("link", name="Version history").click()
    expect(page.locator("main h1")).to_have_text("History of Neck and shoulders")
    expect(page.locator("ol.list > li")).to_have_count(2)
    page.get_by_role("button", name="Show version 1").click()
    expect(page.get_by_role("heading", name="Version 1: Neck and shoulders")).to_be_visible()
    expect(page.get_by_text("Doorway chest stretch")).to_be_visible()

    # save a template from the builder and prescribe it to a second patient
    other = world.patient_of(therapist, name="Noor Ahmed")
    open_screen(page, f"/patients/{other.id}/programs/new", "New program for Noor Ahmed")
    page.get_by_label("Title").fill("Desk neck protocol")
    page.get_by_label("Search exercises").fill("chin tuck")
    page.get_by_role("button", name="Add Chin tucks", exact=True).click()
    page.get_by_role("button", name="Save as template").click()
    expect(page.get_by_text("Saved template “Desk neck protocol”.")).to_be_visible()
    open_screen(page, "/templates", "Templates")
    card = page.locator("article", has=page.get_by_role("heading", name="Desk neck protocol"))
    card.get_by_label("Patient").select_option(label="Noor Ahmed")
    card.get_by_role("button", name=re.compile("^Prescribe")).click()
    expect(page.locator("main h1")).to_have_text("Noor Ahmed")
    [applied] = therapist.get(f"/api/patients/{other.id}/programs")
    assert applied["title"] == "Desk neck protocol"

    # a custom exercise joins the library
    open_screen(page, "/library/new", "New exercise")
    name = f"Towel neck glide {uuid.uuid4().hex[:4]}"
    page.get_by_label("Name").fill(name)
    page.get_by_role("checkbox", name="Neck").check()
    page.get_by_label("Kind").select_option("mobility")
    page.get_by_label("Reps").fill("8")
    page.get_by_label("Steps").fill("Sit tall.\nGlide the head back against the towel.")
    page.get_by_label("Cautions").fill("Stop if it tingles.")
    page.get_by_role("button", name="Add exercise").click()
    expect(page.locator("main h1")).to_have_text("Exercise library")
    page.get_by_label("Only my own exercises").check()
    expect(page.get_by_role("link", name=f"Edit {name}")).to_be_visible()
    [mine] = therapist.get("/api/exercises?mine=true")
    assert (mine["name"], mine["instructions"][1]) == (
        name,
        "Glide the head back against the towel.",
    )

    # an invite not yet accepted can be re-sent
    waiting = therapist.send(
        "POST", "/api/patients", {"email": f"w-{uuid.uuid4().hex[:6]}@example.org", "name": "Wes"}
    )
    open_screen(page, f"/patients/{waiting['patient']['id']}", "Wes")
    page.get_by_role("button", name="Re-send invite").click()
    fresh = page.locator("[data-role=invite-url]").input_value()
    assert "#/invite/" in fresh and fresh != waiting["invite"]["url"]

    # suggest a habit to the patient
    open_screen(page, f"/patients/{patient.id}", "Pat Lee")
    page.get_by_role("button", name="Suggest a habit").click()
    page.get_by_role("button", name="Suggest Drink water").click()
    expect(page.get_by_text("Suggested: Drink water")).to_be_visible()
    [habit] = patient.get("/api/habits")
    assert habit["suggested"] is True and habit["target"] == 8


def test_the_patient_list_puts_who_needs_attention_first(world: World) -> None:
    therapist = world.therapist()
    steady = world.patient_of(therapist, name="Ada Steady")
    hurting = world.patient_of(therapist, name="Ben Hurting")
    world.patient_of(therapist, name="Cy Silent")
    for person in (steady, hurting):
        world.program(therapist, person, ["chin-tucks"])
    today = dt.date.fromisoformat(steady.get("/api/today")["date"])
    for person, scores in ((steady, [2, 2]), (hurting, [2, 7])):
        item = person.get("/api/programs")[0]["items"][0]["item_key"]
        person.send(
            "PUT",
            f"/api/check-ins/{uuid.uuid4()}",
            {"item_key": item, "local_date": today.isoformat(), "state": "done"},
        )
        # last week against this week: rising pain for Ben
        person.send("PUT", f"/api/pain/{today - dt.timedelta(days=7)}", {"score": scores[0]})
        person.send("PUT", f"/api/pain/{today}", {"score": scores[1]})

    page = world.page(world.context(therapist))
    open_screen(page, "/patients", "Patients")
    names = page.locator("ul.list a.name").all_inner_texts()
    assert names[:2] == ["Ben Hurting", "Cy Silent"], names
    assert names[-1] == "Ada Steady"
    ben = page.locator("li", has=page.get_by_role("link", name="Ben Hurting"))
    expect(ben.get_by_text("Pain rising")).to_be_visible()
    cy = page.locator("li", has=page.get_by_role("link", name="Cy Silent"))
    expect(cy.get_by_text("No check-ins yet")).to_be_visible()


def log_on_the_day(server: HepServer, person: Person, item_key: str, days: list[dt.date]) -> None:
    """Check-ins the patient made on each of `days` (at noon there), written in-process with
    that day's clock: the API's edit window does not reach back two weeks."""
    from hep.checkins import put_check_in
    from hep.db import Database
    from hep.models import User

    with Database.sessionmaker(server.app())() as session:
        owner = session.get(User, uuid.UUID(person.id))
        assert owner is not None
        for day in days:
            noon = dt.datetime.combine(day, dt.time(12), ZoneInfo(ZONE)).astimezone(dt.UTC)
            body = {"item_key": uuid.UUID(item_key), "local_date": day, "state": "done"}
            put_check_in(session, owner, uuid.uuid4(), body, now=noon, window_days=7)
        session.commit()


def test_the_patient_list_shows_adherence_falling_with_both_weeks(
    world: World, server: HepServer
) -> None:
    therapist = world.therapist()
    falling = world.patient_of(therapist, name="Flo Falling")
    steady = world.patient_of(therapist, name="Sam Steady")
    today = dt.date.fromisoformat(falling.get("/api/today")["date"])
    exercises = {e["slug"]: e["id"] for e in therapist.get("/api/exercises?page_size=100")}
    for person, last_week in ((falling, [6, 5, 4]), (steady, [6, 5, 4, 3, 2, 1, 0])):
        program = therapist.send(
            "POST",
            f"/api/patients/{person.id}/programs",
            {
                "title": "Neck",
                "start_date": (today - dt.timedelta(days=13)).isoformat(),
                "items": [{"exercise_id": exercises["chin-tucks"], "times_per_day": 1}],
            },
        )
        item = program["items"][0]["item_key"]
        # every day of the week before the last; then what the last week holds
        log_on_the_day(server, person, item, [today - dt.timedelta(days=n) for n in range(7, 14)])
        for back in last_week:
            person.send(
                "PUT",
                f"/api/check-ins/{uuid.uuid4()}",
                {
                    "item_key": item,
                    "local_date": (today - dt.timedelta(days=back)).isoformat(),
                    "state": "done",
                },
            )

    listed = {p["name"]: p for p in therapist.get("/api/patients")}
    flo = listed["Flo Falling"]
    assert flo["percent_prev_7_days"] == 100
    assert "adherence falling" in flo["attention"]
    assert "adherence falling" not in listed["Sam Steady"]["attention"]

    page = world.page(world.context(therapist))
    open_screen(page, "/patients", "Patients")
    names = page.locator("ul.list a.name").all_inner_texts()
    assert names.index("Flo Falling") < names.index("Sam Steady"), names
    row = page.locator("li", has=page.get_by_role("link", name="Flo Falling"))
    last = int(flo["percent_7_days"] + 0.5)
    expect(row.get_by_text(f"Adherence falling (100% → {last}%)")).to_be_visible()
    sam = page.locator("li", has=page.get_by_role("link", name="Sam Steady"))
    expect(sam.get_by_text("On track")).to_be_visible()
    screenshot(page, "therapist-patients-adherence-falling")
