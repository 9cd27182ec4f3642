"""The patient's other tools, through the screens: skip with a reason, the pain diary, a
correction with its trail, a reminder with quiet hours, the data export, signing out (nothing
left behind), deleting the account, and the iPhone Home Screen guidance."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import expect

from tests.e2e.browsing import open_screen
from tests.e2e.conftest import PASSWORD, World

pytestmark = pytest.mark.e2e

IPHONE_SAFARI = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1"
)


def test_skip_pain_diary_correction_reminder_and_export(world: World) -> None:
    therapist = world.therapist()
    patient = world.patient_of(therapist)
    world.program(therapist, patient, ["chin-tucks", "doorway-pec-stretch"])
    context = world.context(patient, accept_downloads=True)
    page = world.page(context)

    # skip with a reason
    open_screen(page, "/today", "Today")
    stretch = page.locator("article", has=page.get_by_role("heading", name="Doorway chest"))
    stretch.get_by_role("button", name=re.compile("^Skip")).click()
    stretch.get_by_label(re.compile("Why are you skipping")).select_option("pain")
    stretch.get_by_role("button", name="Skip for this day").click()
    expect(stretch).to_contain_text("Skipped")
    chin = page.locator("article", has=page.get_by_role("heading", name="Chin tucks"))
    chin.get_by_role("button", name=re.compile("^Done")).click()
    expect(chin).to_contain_text("Done for the day")

    # the pain diary, with where it hurts
    open_screen(page, "/pain", "Pain diary")
    page.get_by_role("radio", name="6, strong").check()
    page.get_by_role("checkbox", name="Neck").check()
    page.get_by_role("checkbox", name="Shoulders").check()
    page.get_by_label("Note (optional)").fill("Long drive")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text(re.compile(r"6/10 · Neck, Shoulders"))).to_be_visible()
    [entry] = patient.get("/api/pain")
    assert (entry["score"], entry["regions"], entry["note"]) == (
        6,
        ["neck", "shoulders"],
        "Long drive",
    )

    # correct today's chin tucks: it was only partly done, and it hurt a little
    open_screen(page, "/history", "History")
    page.get_by_role("button", name="Correct Chin tucks").click()
    form = page.locator("li", has=page.get_by_role("button", name="Save correction"))
    form.get_by_role("radio", name="Partly done").check()
    form.get_by_label("Amount (reps, seconds or units)").fill("12")
    form.get_by_role("radio", name="2, mild").check()
    form.get_by_role("button", name="Save correction").click()
    expect(page.locator(".diff li").first).to_contain_text("state done → partial")
    edits = patient.get("/api/check-ins/edits")
    assert edits[0]["action"] == "edit" and edits[0]["after"]["value"] == 12

    # a reminder on weekday evenings, and quiet hours
    open_screen(page, "/reminders", "Reminders")
    page.get_by_role("link", name="Add a reminder").click()
    page.get_by_label("Label (optional)").fill("Evening stretches")
    times = page.get_by_label("Reminder time")
    times.first.fill("19:00")
    page.get_by_role("button", name=re.compile("^Remove")).nth(1).click()
    page.get_by_role("checkbox", name="Saturday").uncheck()
    page.get_by_role("checkbox", name="Sunday").uncheck()
    page.get_by_role("button", name="Add reminder").click()
    expect(page.get_by_role("heading", name="Evening stretches")).to_be_visible()
    expect(page.get_by_text(re.compile("at 19:00, on weekdays"))).to_be_visible()
    page.get_by_label("Quiet from").fill("22:00")
    page.get_by_label("Quiet until").fill("07:00")
    page.get_by_label("Most reminders a day").fill("4")
    page.locator("form", has_text="Quiet hours").get_by_role("button", name="Save").click()
    expect(page.get_by_text("Saved.")).to_be_visible()
    # (Today made the weekly check-in's own reminder on first use)
    [reminder] = [r for r in patient.get("/api/reminders") if r["target"]["kind"] != "review"]
    assert reminder["rule"]["times"] == ["19:00"] and reminder["rule"]["weekdays"] == [
        1,
        2,
        3,
        4,
        5,
    ]
    assert patient.get("/api/me/notification-settings")["daily_cap"] == 4

    # export everything as a file
    open_screen(page, "/account", "More")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download my data (JSON)").click()
    assert download.value.suggested_filename.startswith("hep-export-")
    exported = json.loads(download.value.path().read_text(encoding="utf-8"))
    assert exported["format"] == "hep-export"
    assert exported["account"]["email"] == patient.email
    assert len(exported["check_ins"]) == 2


def test_signing_out_leaves_nothing_behind_and_deleting_ends_everything(world: World) -> None:
    therapist = world.therapist()
    patient = world.patient_of(therapist)
    world.program(therapist, patient, ["chin-tucks"])
    context = world.context(patient)
    page = world.page(context)
    open_screen(page, "/today", "Today")
    page.evaluate("() => navigator.serviceWorker.ready.then(() => true)")
    context.set_offline(True)
    page.locator("article button[data-role=done]").click()
    context.set_offline(False)
    page.evaluate("() => localStorage.setItem('hep.test', '1')")

    open_screen(page, "/account", "More")
    page.evaluate("() => { window.beforeSignOut = true; }")

    with page.expect_response("**/api/auth/logout") as logout:
        page.get_by_role("button", name="Sign out").click()
    # signing out reloads the app: nothing of the session stays in memory
    page.wait_for_function("() => !window.beforeSignOut")

    assert logout.value.status == 204
    assert "storage" in logout.value.all_headers().get("clear-site-data", "")
    expect(page.locator("main h1")).to_have_text("Sign in")
    left = page.evaluate(
        """async () => ({
            local: localStorage.length,
            databases: (await indexedDB.databases()).map(d => d.name),
            caches: await Promise.all((await caches.keys()).map(async name =>
                (await (await caches.open(name)).keys()).map(r => new URL(r.url).pathname))),
        })"""
    )
    assert left["local"] == 0
    assert "hep-offline" not in left["databases"]
    # only the app shell may be cached again (no /api/ answers, ever)
    assert not [p for paths in left["caches"] for p in paths if p.startswith("/api/")]
    assert page.request.get("/api/me").status == 401

    # sign in again and delete the account for good
    page.get_by_label("Email").fill(patient.email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("main h1")).to_have_text("Today")
    open_screen(page, "/account", "More")
    danger = page.locator("form", has=page.get_by_role("button", name="Delete my account"))
    danger.get_by_label("Your password, to confirm").fill(PASSWORD)
    danger.get_by_role("button", name="Delete my account").click()
    page.get_by_role("dialog").get_by_role("button", name="Delete everything").click()
    # the app says the account is gone, then leads back to the start
    expect(page.locator("main h1")).to_have_text("Your account is deleted")
    page.get_by_role("link", name="Back to the start").click()
    expect(page.locator("main h1")).to_have_text("Sign in")
    assert patient.api.get("/api/me").status == 401
    r = world.api_client().post(
        "/api/auth/login", data={"email": patient.email, "password": PASSWORD}
    )
    assert r.status == 401


def test_on_an_iphone_in_safari_the_guide_starts_with_add_to_home_screen(world: World) -> None:
    therapist = world.therapist()
    patient = world.patient_of(therapist)
    context = world.context(patient, user_agent=IPHONE_SAFARI, has_touch=True, is_mobile=True)
    page = world.page(context)
    open_screen(page, "/notifications", "Notifications")
    expect(page.get_by_role("heading", name="Add hep to your Home Screen")).to_be_visible()
    expect(page.get_by_text("Add to Home Screen”, then “Add”")).to_be_visible()
    # permission must not be asked from a browser tab that cannot receive pushes
    expect(page.get_by_role("button", name="Allow notifications")).to_have_count(0)
