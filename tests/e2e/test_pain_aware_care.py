"""Pain-aware care in the browser: a patient says "flare-up" in one tap and Today keeps only
the gentle exercise, pauses for being unwell and says when it is over, meets guidance the
moment they log high pain, and reads what changed in their program and why; the therapist sees
who is in trouble and why, acknowledges with a note, applies a proposed step with its evidence
in one tap, sets a patient's thresholds, marks items and steps in the builder, and a clinic's
admin sets its defaults. Every screen is axe-clean and photographed at 360 px and desktop."""

from __future__ import annotations

import re
import uuid
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.browsing import DESK, PHONE, both_sizes, open_screen, serve_axe
from tests.e2e.conftest import Person, World

pytestmark = pytest.mark.e2e


def prescribe(world: World, dana: Person, pat: Person) -> dict[str, Any]:
    """Chin tucks (kept in a flare-up, stepping back to a gentler neck exercise on one painful
    session) and the doorway stretch, every day from today."""
    by_slug = {e["slug"]: e for e in dana.get("/api/exercises?page_size=100")}
    today = pat.get("/api/today")["date"]
    return dana.send(
        "POST",
        f"/api/patients/{pat.id}/programs",
        {
            "title": "Neck and shoulders",
            "start_date": today,
            "items": [
                {
                    "exercise_id": by_slug["chin-tucks"]["id"],
                    "times_per_day": 1,
                    "keep_in_flare": True,
                    "previous_step": {"reps": 5},
                    "step_rules": {"regress_pain": 7, "regress_sessions": 1, "regress_window": 1},
                },
                {"exercise_id": by_slug["doorway-pec-stretch"]["id"], "times_per_day": 1},
            ],
        },
    )


def test_a_patient_pauses_meets_guidance_and_reads_what_changed(world: World) -> None:
    dana = world.therapist("Dana Reyes")
    pat = world.patient_of(dana, name="Pat Lee")
    prescribe(world, dana, pat)
    context = world.context(pat, viewport=PHONE)
    serve_axe(context)
    phone = world.page(context)
    cards = phone.locator("main article")

    # a flare-up in one tap: only the gentle exercise stays
    open_screen(phone, "/today", "Today")
    expect(cards).to_have_count(2)
    phone.get_by_role("button", name="I'm having a flare-up").click()
    pause = phone.locator("[data-role=pause]")
    expect(pause).to_contain_text("Flare-up: paused since")
    expect(pause).to_contain_text("1 exercise is paused today")
    expect(cards).to_have_count(1)
    expect(cards.first).to_contain_text("Chin tucks")
    both_sizes(phone, "patient-today-flare-up")
    phone.get_by_role("button", name="It's over").click()
    expect(cards).to_have_count(2)

    # unwell, with a note: nothing due until it is over
    phone.get_by_role("link", name="Other pauses").click()
    expect(phone.locator("main h1")).to_have_text("Pause")
    phone.get_by_role("radio", name=re.compile("^Unwell")).check()
    phone.get_by_label("A note for your care team (optional)").fill("A cold")
    both_sizes(phone, "patient-pause")
    phone.get_by_role("button", name="Pause from today").click()
    expect(phone.locator("main h1")).to_have_text("Today")
    expect(phone.locator("[data-role=pause]")).to_contain_text("Unwell: paused since")
    expect(phone.get_by_text("Nothing is due today.")).to_be_visible()
    phone.get_by_role("button", name="It's over").click()
    expect(cards).to_have_count(2)

    # high pain during an exercise: stop, and what to do, at once
    chin = phone.locator("article", has=phone.get_by_role("heading", name="Chin tucks"))
    chin.get_by_role("button", name=re.compile("^Partly done")).click()
    chin.get_by_role("radio", name="8, strong").check()
    chin.get_by_role("button", name="Log this session").click()
    guidance = phone.get_by_role("alertdialog")
    expect(guidance).to_contain_text("Stop for now")
    expect(guidance).to_contain_text("Stop this exercise for today")
    expect(guidance).to_contain_text("Your care team has been told")
    both_sizes(phone, "patient-pain-guidance")
    guidance.get_by_role("button", name="OK").click()
    expect(guidance).to_have_count(0)

    # the painful session proposed a step back; the therapist takes it, the patient reads why
    (proposal,) = dana.get(f"/api/patients/{pat.id}/proposals")
    dana.send("POST", f"/api/proposals/{proposal['id']}/apply")
    phone.reload()
    changed = phone.locator("[data-role=program-changes]")
    expect(changed).to_contain_text("Your program changed")
    expect(changed).to_contain_text("steps back to Chin tucks (5 times)")
    changed.get_by_role("link", name="What changed and why").click()
    expect(phone.locator("main h1")).to_have_text("What changed and why")
    expect(phone.locator("[data-role=change]")).to_contain_text("Stepped back")
    both_sizes(phone, "patient-program-changes")

    # the pain diary: the same guidance
    open_screen(phone, "/pain", "Pain diary")
    phone.get_by_role("radio", name="9, strong").check()
    phone.get_by_role("button", name="Save").click()
    expect(phone.get_by_role("alertdialog")).to_contain_text("Stop for now")
    phone.get_by_role("alertdialog").get_by_role("button", name="OK").click()


def test_a_therapist_sees_why_acknowledges_and_takes_a_step(world: World) -> None:
    dana = world.therapist("Dana Reyes")
    pat = world.patient_of(dana, name="Pat Lee")
    calm = world.patient_of(dana, name="Alex Calm")
    program = prescribe(world, dana, pat)
    today = pat.get("/api/today")["date"]
    key = program["items"][0]["item_key"]
    pat.send(
        "PUT",
        f"/api/check-ins/{uuid.uuid4()}",
        {"item_key": key, "local_date": today, "state": "partial", "pain": 8},
    )
    pat.send("POST", "/api/pauses", {"mode": "flare_up", "note": "Slept badly"})
    assert calm  # on the list, with nothing open
    context = world.context(dana, viewport=DESK)
    serve_axe(context)
    desk = world.page(context)

    # the list: who is in trouble first, and why
    open_screen(desk, "/patients", "Patients")
    first = desk.locator("main li").filter(has_text="Pat Lee")
    expect(first).to_contain_text("High pain")
    expect(first).to_contain_text("Flare-up")
    expect(first).to_contain_text("Paused: Flare-up")
    both_sizes(desk, "therapist-patients-pain")

    # the panel: reasons, the pause, acknowledge with a note
    open_screen(desk, f"/patients/{pat.id}", "Pat Lee")
    panel = desk.locator("[data-role=attention]")
    expect(panel.locator("[data-reason='high pain']")).to_be_visible()
    expect(panel.locator("[data-role=patient-pause]")).to_contain_text("Slept badly")
    proposals = desk.locator("[data-role=proposals]")
    expect(proposals).to_contain_text("steps back to Chin tucks (5 times)")
    expect(proposals.get_by_role("region", name="Sessions behind it")).to_contain_text("8")
    both_sizes(desk, "therapist-patient-attention")
    panel.get_by_label("What you did (optional)").fill("Called, eased the program")
    panel.get_by_role("button", name="Acknowledge").click()
    expect(panel.locator("[data-reason='high pain']")).to_contain_text("acknowledged")
    panel.get_by_text("History").click()
    expect(panel.locator("[data-role=attention-history]")).to_contain_text(
        "Called, eased the program"
    )

    # one tap takes the step: a new version, history kept
    proposals.get_by_role("button", name=re.compile("^Step back")).click()
    expect(proposals).to_contain_text("None now")
    assert dana.get(f"/api/programs/{program['id']}")["version"] == 2

    # the patient's own thresholds and automatic steps
    settings = desk.locator("[data-role=care-settings]")
    settings.get_by_text("Thresholds for this patient").click()
    settings.get_by_label("High pain: a score at or above").fill("6")
    settings.get_by_label(re.compile("hep steps exercises back at once")).check()
    settings.get_by_role("button", name="Save").click()
    expect(desk.get_by_text("Saved.")).to_be_visible()
    rules = dana.get(f"/api/patients/{pat.id}/care-rules")
    assert rules["thresholds"]["high_pain"] == 6 and rules["auto_regress"] is True

    # back on the list: below a patient with something open only if something new happens
    open_screen(desk, "/patients", "Patients")
    expect(desk.locator("main li").filter(has_text="Pat Lee")).to_contain_text("Seen:")


def test_the_builder_marks_items_for_pauses_and_steps_and_a_clinic_sets_its_defaults(
    world: World,
) -> None:
    dana = world.therapist("Dana Reyes")
    pat = world.patient_of(dana, name="Pat Lee")
    program = prescribe(world, dana, pat)
    context = world.context(dana, viewport=DESK)
    serve_axe(context)
    desk = world.page(context)
    open_screen(desk, f"/programs/{program['id']}/edit", "Neck and shoulders")
    stretch = desk.locator("fieldset.item-editor").nth(1)
    stretch.get_by_text("Pauses and steps").click()
    stretch.get_by_label("Part of the minimum dose (a busy week)").check()
    stretch.get_by_label("Next step, when it gets easy").select_option("same")
    stretch.locator("[data-role=next_step]").get_by_label("Sets").fill("3")
    chin = desk.locator("fieldset.item-editor").first
    chin.get_by_text("Pauses and steps").click()
    expect(chin.get_by_label("Keep during a flare-up (a gentle one)")).to_be_checked()
    desk.get_by_label("If the patient logs high pain, tell them (optional)").fill(
        "Stop, rest the neck, and send me a message."
    )
    both_sizes(desk, "therapist-builder-pauses-and-steps")
    desk.get_by_role("button", name="Save new version").click()
    expect(desk.locator("main h1")).to_have_text("Pat Lee")
    saved = dana.get(f"/api/programs/{program['id']}")
    chin_item, stretch_item = saved["items"]
    assert chin_item["keep_in_flare"] and chin_item["previous_step"]["reps"] == 5
    assert stretch_item["minimum_dose"] and stretch_item["next_step"]["sets"] == 3
    assert saved["pain_advice"] == "Stop, rest the neck, and send me a message."

    # the clinic's defaults, set by its admin (Dana runs a clinic of her own)
    (clinic,) = dana.get("/api/clinics")
    open_screen(desk, f"/clinics/{clinic['id']}", clinic["name"])
    desk.get_by_role("link", name="Attention thresholds").click()
    expect(desk.locator("main h1")).to_have_text("Attention thresholds")
    desk.get_by_label("High pain: a score at or above").fill("8")
    desk.get_by_label("Your clinic's words (optional)").fill("Rest and call the clinic.")
    both_sizes(desk, "therapist-clinic-thresholds")
    desk.get_by_role("button", name="Save").click()
    expect(desk.get_by_text(re.compile("^Saved"))).to_be_visible()
    found = dana.get(f"/api/clinics/{clinic['id']}/care-rules")
    assert found["own"] == {"high_pain": 8} and found["pain_advice"] == "Rest and call the clinic."
