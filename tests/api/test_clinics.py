"""Clinics: a solo practice without extra steps, therapists invited by link, roles that keep an
admin, members removed (their access ends at once), the caseload, and site admins who manage
clinics but read no health data."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from hep.db import db
from hep.models import ClinicInvite, Role, User
from tests.conftest import PASSWORD, Cast


def ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, (response.status_code, response.get_json())
    return response.get_json()


def code_of(url: str) -> str:
    return url.rsplit("/", 1)[1]


def invite(client: FlaskClient, clinic_id: Any, email: str, role: str = "therapist") -> str:
    body = {"email": email, "role": role}
    made = ok(client.post(f"/api/clinics/{clinic_id}/invites", json=body), 201)
    assert "/#/join-clinic/" in made["url"]
    return code_of(made["url"])


def test_a_therapist_who_signs_up_works_in_a_clinic_of_their_own(cast: Cast):
    t = cast.client()
    body = {"email": "solo@example.org", "name": "Dr Solo", "password": PASSWORD}
    ok(t.post("/api/auth/signup/therapist", json=body), 201)
    [clinic] = ok(t.get("/api/clinics"))
    assert clinic["name"] == "Dr Solo" and clinic["my_role"] == "admin" and clinic["members"] == 1
    added = ok(t.post("/api/patients", json={"email": "p@example.org", "name": "Pat"}), 201)
    caseload = ok(t.get(f"/api/clinics/{clinic['id']}/caseload"))
    assert [(p["id"], [x["name"] for x in p["therapists"]]) for p in caseload] == [
        (added["patient"]["id"], ["Dr Solo"])
    ]


def test_a_clinic_admin_invites_a_therapist_who_joins_with_a_new_account(cast: Cast):
    boss = cast.user(Role.THERAPIST, "Dr Boss")
    clinic = cast.clinic(boss, name="Back Care")
    code = invite(cast.client(boss), clinic.id, "New.One@Example.org")
    phone = cast.client()
    preview = ok(phone.get(f"/api/clinic-invites/{code}"))
    assert preview["clinic_name"] == "Back Care" and preview["invited_by"] == "Dr Boss"
    assert preview["email"] == "new.one@example.org" and preview["role"] == "therapist"
    joined = phone.post(
        f"/api/clinic-invites/{code}/accept", json={"name": "Dr New", "password": PASSWORD}
    )
    assert ok(joined)["user"]["role"] == "therapist"
    [mine] = ok(phone.get("/api/clinics"))
    assert mine["name"] == "Back Care" and mine["my_role"] == "therapist"
    # single use, even for the one who used it
    again = cast.client().post(
        f"/api/clinic-invites/{code}/accept", json={"name": "X", "password": PASSWORD}
    )
    assert again.status_code == 404
    actions = [
        e["action"] for e in ok(cast.client(boss).get(f"/api/clinics/{clinic.id}/audit-log"))
    ]
    assert {"clinic_invite_sent", "clinic_member_joined", "account_created"} <= set(actions)


def test_an_existing_therapist_joins_with_their_account_and_then_names_the_clinic(cast: Cast):
    boss, other = cast.user(Role.THERAPIST), cast.user(Role.THERAPIST, "Dr Two Jobs")
    first = cast.clinic(other, name="First")
    second = cast.clinic(boss, name="Second")
    code = invite(cast.client(boss), second.id, "whatever@example.org")
    t = cast.client(other)
    ok(t.post(f"/api/clinic-invites/{code}/accept", json={}))
    assert sorted(c["name"] for c in ok(t.get("/api/clinics"))) == ["First", "Second"]
    new = {"email": "p@example.org", "name": "Pat"}
    assert t.post("/api/patients", json=new).status_code == 422  # which clinic?
    added = ok(t.post("/api/patients", json=new | {"clinic_id": str(second.id)}), 201)
    caseload = ok(cast.client(boss).get(f"/api/clinics/{second.id}/caseload"))
    assert [p["id"] for p in caseload] == [added["patient"]["id"]]
    assert ok(cast.client(other).get(f"/api/clinics/{first.id}/caseload")) == []


def test_an_invite_to_an_address_with_an_account_needs_that_account_signed_in(cast: Cast):
    boss = cast.user(Role.THERAPIST)
    taken = cast.user(Role.THERAPIST, email="taken@example.org")
    clinic = cast.clinic(boss)
    code = invite(cast.client(boss), clinic.id, "taken@example.org")
    body = {"name": "Someone", "password": PASSWORD}
    assert cast.client().post(f"/api/clinic-invites/{code}/accept", json=body).status_code == 409
    assert cast.client().post(f"/api/clinic-invites/{code}/accept", json={}).status_code == 422
    patient = cast.client(cast.user(Role.PATIENT))
    assert patient.post(f"/api/clinic-invites/{code}/accept", json={}).status_code == 403
    ok(cast.client(taken).post(f"/api/clinic-invites/{code}/accept", json={}))


def test_a_resent_invite_replaces_the_old_link_and_an_expired_one_is_refused(
    app: Flask, cast: Cast
):
    boss = cast.user(Role.THERAPIST)
    clinic = cast.clinic(boss)
    c = cast.client(boss)
    old = invite(c, clinic.id, "late@example.org")
    [listed] = ok(c.get(f"/api/clinics/{clinic.id}/invites"))
    assert listed["url"] is None  # the code is not stored
    again = ok(c.post(f"/api/clinics/{clinic.id}/invites/{listed['id']}/resend"), 201)
    assert cast.client().get(f"/api/clinic-invites/{old}").status_code == 404
    new = code_of(again["url"])
    ok(cast.client().get(f"/api/clinic-invites/{new}"))
    row = db.session.scalar(select(ClinicInvite).where(ClinicInvite.id == uuid.UUID(again["id"])))
    assert row is not None
    row.expires_at = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)
    db.session.commit()
    assert cast.client().get(f"/api/clinic-invites/{new}").status_code == 404
    assert c.delete(f"/api/clinics/{clinic.id}/invites/{again['id']}").status_code == 204
    assert ok(c.get(f"/api/clinics/{clinic.id}/invites")) == []


def test_a_clinic_always_keeps_an_admin(cast: Cast):
    boss, colleague = cast.user(Role.THERAPIST), cast.user(Role.THERAPIST)
    clinic = cast.clinic(boss, colleague)
    c = cast.client(boss)
    members = f"/api/clinics/{clinic.id}/members"
    assert c.patch(f"{members}/{boss.id}", json={"role": "therapist"}).status_code == 409
    assert c.delete(f"{members}/{boss.id}").status_code == 409  # others would have no admin
    assert (
        cast.client(colleague)
        .patch(f"{members}/{colleague.id}", json={"role": "admin"})
        .status_code
        == 403
    )
    ok(c.patch(f"{members}/{colleague.id}", json={"role": "admin"}))
    ok(c.patch(f"{members}/{boss.id}", json={"role": "therapist"}))
    roles = {m["name"]: m["role"] for m in ok(c.get(members))}
    assert roles == {boss.name: "therapist", colleague.name: "admin"}
    assert c.delete(f"{members}/{boss.id}").status_code == 204  # leaving is allowed now
    assert ok(cast.client(colleague).get(members))[0]["name"] == colleague.name


def test_removing_a_therapist_from_the_clinic_ends_their_access_at_once(cast: Cast):
    boss, leaving = cast.user(Role.THERAPIST, "Dr Boss"), cast.user(Role.THERAPIST, "Dr Leaving")
    clinic = cast.clinic(boss, leaving)
    patient = cast.user(Role.PATIENT)
    link = cast.link(leaving, patient)
    assert link.clinic_id == clinic.id
    live = cast.client(leaving)  # a session that stays signed in throughout
    ok(live.get(f"/api/patients/{patient.id}"))
    p = cast.client(patient)
    reads = len(ok(p.get("/api/me/access-log?page_size=100")))

    assert (
        cast.client(boss).delete(f"/api/clinics/{clinic.id}/members/{leaving.id}").status_code
        == 204
    )
    assert live.get(f"/api/patients/{patient.id}").status_code == 404
    assert live.get(f"/api/patients/{patient.id}/programs").status_code == 404
    assert ok(live.get("/api/patients")) == []
    log = ok(p.get("/api/me/access-log?page_size=100"))
    assert len(log) == reads + 1  # the ending itself, and no read after it
    assert log[0]["actor"] == "Dr Leaving" and "left the clinic" in log[0]["action"]
    team = ok(p.get("/api/me/care-team"))
    assert team["members"] == []
    assert [(m["name"], m["end_reason"]) for m in team["history"]] == [
        ("Dr Leaving", "left_clinic")
    ]


def test_the_caseload_lists_every_patient_with_their_team_and_logs_the_read(cast: Cast):
    boss = cast.user(Role.THERAPIST, "Dr Boss")
    ann, ben = cast.user(Role.THERAPIST, "Dr Ann"), cast.user(Role.THERAPIST, "Dr Ben")
    clinic = cast.clinic(boss, ann, ben)
    shared, alone = cast.user(Role.PATIENT, "Pat Shared"), cast.user(Role.PATIENT, "Quin Alone")
    cast.link(ann, shared)
    cast.link(ben, shared)
    cast.link(ben, alone)
    rows = ok(cast.client(boss).get(f"/api/clinics/{clinic.id}/caseload"))
    assert {r["name"]: [(t["name"], t["lead"]) for t in r["therapists"]] for r in rows} == {
        "Pat Shared": [("Dr Ann", True), ("Dr Ben", False)],
        "Quin Alone": [("Dr Ben", True)],
    }
    assert all(r["attention"] == ["not logging"] for r in rows)
    for patient in (shared, alone):
        log = ok(cast.client(patient).get("/api/me/access-log"))
        assert [(e["actor"], e["action"]) for e in log] == [("Dr Boss", "clinic caseload")]
    assert cast.client(ann).get(f"/api/clinics/{clinic.id}/caseload").status_code == 403
    admin = cast.client(cast.user(Role.ADMIN))
    assert admin.get(f"/api/clinics/{clinic.id}/caseload").status_code == 403


def test_a_site_admin_sets_a_clinic_up_and_reads_no_health_data(cast: Cast):
    admin = cast.client(cast.user(Role.ADMIN, "Site Admin"))
    made = ok(admin.post("/api/clinics", json={"name": "Group Practice"}), 201)
    assert made["my_role"] is None and made["members"] == 0
    code = invite(admin, made["id"], "lead@example.org", role="admin")
    lead = cast.client()
    body = {"name": "Dr Lead", "password": PASSWORD}
    ok(lead.post(f"/api/clinic-invites/{code}/accept", json=body))
    assert ok(lead.get("/api/clinics"))[0]["my_role"] == "admin"
    found = ok(admin.get("/api/clinics?q=group"))
    assert [c["name"] for c in found] == ["Group Practice"]
    ok(admin.patch(f"/api/clinics/{made['id']}", json={"name": "Group Practice North"}))
    members = ok(admin.get(f"/api/clinics/{made['id']}/members"))
    assert [(m["name"], m["role"]) for m in members] == [("Dr Lead", "admin")]
    assert admin.get(f"/api/clinics/{made['id']}/caseload").status_code == 403
    audit = ok(admin.get("/api/admin/audit-log?action=clinic_renamed"))
    assert audit[0]["actor_name"] == "Site Admin"
    assert audit[0]["detail"] == "Group Practice -> Group Practice North"


def test_a_clinic_admin_disables_only_members_of_no_other_clinic(cast: Cast):
    boss, mine, shared = (cast.user(Role.THERAPIST) for _ in range(3))
    clinic = cast.clinic(boss, mine, shared)
    cast.clinic(shared, name="Elsewhere")
    c = cast.client(boss)
    members = f"/api/clinics/{clinic.id}/members"
    gone = ok(c.patch(f"{members}/{mine.id}", json={"is_active": False}))
    assert gone["is_active"] is False
    assert db.session.get(User, mine.id, populate_existing=True).is_active is False
    assert c.patch(f"{members}/{shared.id}", json={"is_active": False}).status_code == 403
    link = ok(c.post(f"{members}/{mine.id}/sign-in-link"), 201)
    assert "/#/sign-in-link/" in link["url"]
    assert c.post(f"{members}/{shared.id}/sign-in-link").status_code == 403
