"""Files into hep through the screens: a therapist imports a program file as a template and,
as their clinic's admin, a patient list (checked by a dry run, then imported with a link for
each); a file with problems shows each where it is. Axe clean, screenshots kept."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.browsing import assert_accessible, open_screen, screenshot, serve_axe
from tests.e2e.conftest import World

pytestmark = pytest.mark.e2e


def test_a_program_file_and_a_patient_list_come_into_hep(world: World) -> None:
    therapist = world.therapist()
    patient = world.patient_of(therapist)
    program = world.program(therapist, patient, ["chin-tucks"])
    exported = therapist.get(f"/api/programs/{program['id']}/export")
    context = world.context(therapist, viewport={"width": 1280, "height": 900})
    serve_axe(context)
    page = world.page(context)

    # a file with a problem says where it is
    open_screen(page, "/account", "Account")
    page.get_by_role("link", name="Import a program file").click()
    expect(page.get_by_role("heading", name="Import a program file")).to_be_visible()
    broken = dict(exported, items=[{"exercise": {"slug": "no-such-exercise"}}])
    page.get_by_label("Program file").set_input_files(
        {
            "name": "broken.hep.json",
            "mimeType": "application/json",
            "buffer": json.dumps(broken).encode(),
        }
    )
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("$.items[0].exercise.slug")
    assert_accessible(page, "import a program file (problems)")
    screenshot(page, "import-program-problems")
    page.get_by_label("Program file").set_input_files(
        {
            "name": "neck.hep.json",
            "mimeType": "application/json",
            "buffer": json.dumps(exported).encode(),
        }
    )
    expect(page.get_by_role("heading", name="Templates")).to_be_visible()
    [template] = therapist.get("/api/templates")
    assert template["title"] == "Neck and shoulders"

    # the template's page exports each version as a program file again
    open_screen(page, f"/templates/{template['id']}", "Neck and shoulders")
    with page.expect_download() as download:
        page.get_by_role("link", name="Export as a file Version 1").click()
    again = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert (again["format"], again["title"]) == ("hep-program", "Neck and shoulders")
    assert [i["exercise"] for i in again["items"]] == [i["exercise"] for i in exported["items"]]

    # the patient list of the therapist's own clinic
    open_screen(page, "/account", "Account")
    page.get_by_role("link", name="Import patients into").click()
    expect(page.get_by_role("heading", name="Import patients")).to_be_visible()
    csv = (
        "name,email,timezone,therapist\n"
        "Ann Moving,ann.moving@example.org,Europe/Berlin,\n"
        f"Bob Moving,bob.moving@example.org,America/New_York,{therapist.email}\n"
    )
    page.get_by_label("Patient list (CSV)").set_input_files(
        {"name": "patients.csv", "mimeType": "text/csv", "buffer": csv.encode()}
    )
    expect(page.get_by_role("heading", name="Ready: 2 patients")).to_be_visible()
    expect(page.get_by_role("cell", name="ann.moving@example.org")).to_be_visible()
    assert_accessible(page, "import patients (dry run)")
    screenshot(page, "import-patients-ready")
    assert len(therapist.get("/api/patients")) == 1, "a dry run imports nothing"
    page.get_by_role("button", name="Import 2 patients").click()
    expect(page.get_by_role("heading", name="Imported 2 patients")).to_be_visible()
    link = page.get_by_role("textbox", name="Invite link for Ann Moving")
    expect(link).to_have_value(world.base + "/#/invite/" + link.input_value().split("#/invite/")[1])
    assert_accessible(page, "import patients (done)")
    screenshot(page, "import-patients-done")
    names = sorted(p["name"] for p in therapist.get("/api/patients"))
    assert names == ["Ann Moving", "Bob Moving", "Pat Patient"]
