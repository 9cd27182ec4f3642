"""A group practice in the browser: a clinic admin renames the clinic and invites a therapist,
who joins with a new account from the link on their phone; the two share a patient, one leaves
the care team and the patient removes the other; the admin reads the caseload and the audit
log. Field errors show beside their fields and go once the form succeeds; every screen is
axe-clean and photographed at 360 px and at desktop width."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.browsing import DESK, PHONE, both_sizes, confirm, open_screen, serve_axe
from tests.e2e.conftest import PASSWORD, World

pytestmark = pytest.mark.e2e


def field_error(page: Page, form: Any, label: str) -> Any:
    """The error shown beside the field with this label."""
    return form.locator(".field", has=page.get_by_label(label, exact=True)).locator(".field-error")


def test_a_clinic_admin_invites_a_therapist_who_joins_and_they_share_a_patient(
    world: World,
) -> None:
    dana = world.therapist("Dana Reyes")
    [clinic] = dana.get("/api/clinics")
    desk_context = world.context(dana, viewport=DESK)
    serve_axe(desk_context)
    desk = world.page(desk_context)

    # the clinic a therapist signs up with is renamed; an empty name is refused beside the field
    open_screen(desk, "/clinics", "Your clinics")
    both_sizes(desk, "clinic-list")
    desk.get_by_role("link", name="Dana Reyes").click()
    expect(desk.locator("main h1")).to_have_text("Dana Reyes")
    rename = desk.locator("form", has=desk.get_by_role("heading", name="Name"))
    rename.get_by_label("Clinic name").fill(" ")
    rename.get_by_role("button", name="Rename").click()
    expect(field_error(desk, rename, "Clinic name")).not_to_be_empty()
    rename.get_by_label("Clinic name").fill("Riverside Physio")
    rename.get_by_role("button", name="Rename").click()
    expect(desk.locator("main h1")).to_have_text("Riverside Physio")

    # an invite to a malformed address is refused beside the field; a good one gives a link,
    # and the stale error goes
    invites = desk.locator("[data-role=invites]")
    invites.get_by_label("Their email").fill("sam at riverside")
    invites.get_by_role("button", name="Invite and get link").click()
    expect(field_error(desk, invites, "Their email")).not_to_be_empty()
    sam_email = f"sam-{dana.id[:6]}@example.org"
    invites.get_by_label("Their email").fill(sam_email)
    invites.get_by_role("button", name="Invite and get link").click()
    link = invites.locator("[data-role=invite-url]")
    expect(link).to_have_value(re.compile(r"#/join-clinic/[\w-]+$"))
    expect(invites.locator(".field-error")).to_have_count(0)
    expect(invites.locator("li", has_text=sam_email)).to_be_visible()
    # without a mail server there is no "Email it from hep", only a draft for a mail app
    expect(invites.get_by_role("button", name="Email it from hep")).to_have_count(0)
    expect(invites.get_by_role("link", name="Write an email with it")).to_be_visible()
    both_sizes(desk, "clinic-admin")
    url = link.input_value()

    # the therapist opens the link on their phone and joins with a new account
    phone_context = world.context(viewport=PHONE)
    serve_axe(phone_context)
    phone = world.page(phone_context)
    phone.goto(url)
    expect(phone.locator("main h1")).to_have_text("Join Riverside Physio")
    expect(phone.locator("main")).to_contain_text(f"Dana Reyes invites {sam_email}")
    both_sizes(phone, "join-clinic")
    phone.get_by_label("Your name").fill("Sam Okafor")
    phone.get_by_label("Choose a password").fill(PASSWORD)
    phone.get_by_role("button", name="Create account and join").click()
    expect(phone.locator("main h1")).to_have_text("Your clinics")
    expect(phone.get_by_role("link", name="Riverside Physio")).to_be_visible()
    # a link works once
    phone.goto(url)
    expect(phone.locator("main h1")).to_have_text("This link no longer works")

    # a therapist with an account signs in from the link and comes back to join; the link sent
    # again is a new one
    theo = world.therapist("Theo Brandt")
    invites.get_by_label("Their email").fill(theo.email)
    invites.get_by_role("button", name="Invite and get link").click()
    expect(link).not_to_have_value(url)
    first = link.input_value()
    invites.get_by_role("button", name=f"New link for {theo.email}").click()
    expect(link).not_to_have_value(first)
    theo_page = world.page(world.context(viewport=PHONE))
    theo_page.goto(first)
    expect(theo_page.locator("main h1")).to_have_text("This link no longer works")
    theo_page.goto(link.input_value())
    theo_page.get_by_role("button", name="Sign in to join").click()
    theo_page.get_by_label("Email").fill(theo.email)
    theo_page.get_by_label("Password", exact=True).fill(PASSWORD)
    theo_page.get_by_role("button", name="Sign in").click()
    expect(theo_page.locator("main h1")).to_have_text("Join Riverside Physio")
    expect(theo_page.locator("main")).to_contain_text("You join as Theo Brandt")
    theo_page.get_by_role("button", name="Join the clinic").click()
    expect(theo_page.get_by_role("link", name="Riverside Physio")).to_be_visible()

    # the last admin stays one (the server says so beside the role); Sam becomes an admin;
    # Theo is removed
    desk.reload()
    members = desk.locator("[data-role=members]")
    me = members.locator("li[data-member]", has_text="Dana Reyes (you)")
    me.get_by_label("Role of Dana Reyes").select_option("therapist")
    me.get_by_role("button", name="Change role of Dana Reyes").click()
    expect(me.locator(".field-error")).to_contain_text("keeps at least one admin")
    sam_row = members.locator(f"li[data-member='{sam_email}']")
    sam_row.get_by_label("Role of Sam Okafor").select_option("admin")
    sam_row.get_by_role("button", name="Change role of Sam Okafor").click()
    expect(sam_row.locator(".badge").first).to_have_text("Clinic admin")
    theo_row = members.locator(f"li[data-member='{theo.email}']")
    theo_row.get_by_role("button", name=re.compile(r"^Remove from clinic\W+Theo Brandt$")).click()
    confirm(desk, "Remove")
    expect(theo_row).to_have_count(0)
    assert [c["name"] for c in theo.get("/api/clinics")] == ["Theo Brandt"]

    # the two share a patient: Dana adds Sam to Pat's care team
    pat = world.patient_of(dana, name="Pat Lee")
    open_screen(desk, f"/patients/{pat.id}", "Pat Lee")
    team = desk.locator("[data-role=care-team]")
    team.get_by_label("Add a colleague").select_option(label="Sam Okafor")
    team.get_by_role("button", name="Add to the team").click()
    expect(team.locator("li[data-member='Sam Okafor']")).to_be_visible()
    expect(team.locator("li[data-member='Dana Reyes']")).to_contain_text("Lead")
    both_sizes(desk, "therapist-patient-care-team")
    # the lead is handed over
    team.get_by_role("button", name=re.compile(r"^Make lead\W+Sam Okafor$")).click()
    confirm(desk, "Hand over the lead")
    expect(team.locator("li[data-member='Sam Okafor']")).to_contain_text("Lead")
    expect(team.locator("li[data-member='Dana Reyes']")).not_to_contain_text("Lead")

    # the clinic's caseload and audit log, for its admin
    open_screen(desk, f"/clinics/{clinic['id']}/caseload", "Caseload of Riverside Physio")
    row = desk.locator("li", has=desk.get_by_role("link", name="Pat Lee"))
    expect(row).to_contain_text("Sam Okafor (lead), Dana Reyes")
    both_sizes(desk, "clinic-caseload")
    open_screen(desk, f"/clinics/{clinic['id']}/audit-log", "Audit log of Riverside Physio")
    desk.get_by_label("What").select_option(label="A therapist joined a clinic")
    desk.get_by_role("button", name="Show").click()
    # newest first: Theo, then Sam
    expect(desk.locator("li[data-action]")).to_have_count(2)
    expect(desk.locator("li[data-action]").first).to_contain_text("By Theo Brandt")
    expect(desk.locator("li[data-action]").last).to_contain_text("By Sam Okafor")
    both_sizes(desk, "clinic-audit-log")

    # the patient sees both, then Sam leaves the team from the patient's page
    patient_context = world.context(pat, viewport=PHONE)
    serve_axe(patient_context)
    patient_page = world.page(patient_context)
    open_screen(patient_page, "/care-team", "Your care team")
    expect(patient_page.locator("li[data-member]")).to_have_count(2)
    both_sizes(patient_page, "patient-care-team")

    sam_context = world.context(viewport=PHONE)
    sam = world.page(sam_context)
    sam.goto("/#/sign-in")
    sam.get_by_label("Email").fill(sam_email)
    sam.get_by_label("Password", exact=True).fill(PASSWORD)
    sam.get_by_role("button", name="Sign in").click()
    expect(sam.locator("main h1")).to_have_text("Patients")
    sam.get_by_role("link", name="Pat Lee").click()
    expect(sam.locator("main h1")).to_have_text("Pat Lee")
    sam.get_by_role("button", name="Leave the team").click()
    expect(sam.get_by_role("dialog")).to_contain_text("You stop seeing Pat Lee's records at once")
    expect(sam.get_by_role("dialog")).to_contain_text("The lead passes to Dana Reyes")
    confirm(sam, "Leave the team")
    expect(sam.locator("main h1")).to_have_text("Patients")
    expect(sam.get_by_role("link", name="Pat Lee")).to_have_count(0)
    assert sam.request.get(f"/api/patients/{pat.id}").status == 404

    # the patient removes Dana: the confirmation says what happens, and her access ends
    patient_page.reload()
    expect(patient_page.locator("li[data-member]")).to_have_count(1)
    patient_page.get_by_role("button", name="Remove Dana Reyes from your care team").click()
    dialog = patient_page.get_by_role("dialog")
    expect(dialog).to_contain_text("Dana Reyes stops seeing your records at once")
    expect(dialog).to_contain_text("You will have no therapist in hep")
    confirm(patient_page, "Remove")
    expect(patient_page.locator("main")).to_contain_text("No therapist.")
    patient_page.get_by_text("Everyone who was on the care team").click()
    expect(patient_page.locator("details")).to_contain_text("removed by the patient")
    expect(patient_page.locator("details")).to_contain_text("left the team")
    assert dana.api.get(f"/api/patients/{pat.id}").status == 404
