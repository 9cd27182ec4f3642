"""Therapists add and invite patients (patients accept, read the access log, export, delete), and
the care team: several therapists, one lead, access that ends at once."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import func, select

from hep.db import db
from hep.models import AccessLogEntry, AuthSession, CareLink, Role, User
from tests.conftest import PASSWORD, Cast


def invite_code(response) -> str:
    return response.get_json()["invite"]["url"].rsplit("/", 1)[1]


def test_a_therapist_invites_a_patient_who_accepts_in_another_browser(cast: Cast):
    therapist = cast.user(Role.THERAPIST, "Dr Tess")
    t = cast.client(therapist)
    r = t.post(
        "/api/patients",
        json={"email": "pat@example.org", "name": "Pat", "timezone": "Europe/Berlin"},
    )
    assert r.status_code == 201
    body = r.get_json()
    assert body["patient"]["invite_accepted"] is False
    assert "/#/invite/" in body["invite"]["url"]
    code = invite_code(r)

    phone = cast.client()
    preview = phone.get(f"/api/invites/{code}")
    assert preview.status_code == 200
    assert preview.get_json()["therapist_name"] == "Dr Tess"
    accepted = phone.post(
        f"/api/invites/{code}/accept", json={"password": PASSWORD, "timezone": "Europe/Vienna"}
    )
    assert accepted.status_code == 200
    me = phone.get("/api/me").get_json()
    assert me["role"] == "patient" and me["timezone"] == "Europe/Vienna"

    assert phone.post(f"/api/invites/{code}/accept", json={"password": PASSWORD}).status_code == 404
    listed = t.get("/api/patients").get_json()
    assert [p["invite_accepted"] for p in listed] == [True]


def test_a_resent_invite_replaces_the_old_link(cast: Cast):
    t = cast.client(cast.user(Role.THERAPIST))
    r = t.post("/api/patients", json={"email": "pat@example.org", "name": "Pat"})
    old = invite_code(r)
    pid = r.get_json()["patient"]["id"]
    again = t.post(f"/api/patients/{pid}/invite")
    assert again.status_code == 201
    new = again.get_json()["url"].rsplit("/", 1)[1]
    anon = cast.client()
    assert anon.get(f"/api/invites/{old}").status_code == 404
    assert anon.post(f"/api/invites/{new}/accept", json={"password": PASSWORD}).status_code == 200
    assert t.post(f"/api/patients/{pid}/invite").status_code == 409


def test_an_expired_invite_is_refused(app: Flask, cast: Cast):
    app.config["INVITE_DAYS"] = 1
    t = cast.client(cast.user(Role.THERAPIST))
    code = invite_code(t.post("/api/patients", json={"email": "p@example.org", "name": "P"}))
    import datetime as dt

    from hep.models import Invite

    db.session.execute(
        Invite.__table__.update().values(expires_at=dt.datetime(2000, 1, 1, tzinfo=dt.UTC))
    )
    db.session.commit()
    app.config["INVITE_DAYS"] = 7
    r = cast.client().post(f"/api/invites/{code}/accept", json={"password": PASSWORD})
    assert r.status_code == 404


def test_an_invited_patient_cannot_sign_in_before_accepting(cast: Cast):
    t = cast.client(cast.user(Role.THERAPIST))
    t.post("/api/patients", json={"email": "p@example.org", "name": "P"})
    r = cast.client().post("/api/auth/login", json={"email": "p@example.org", "password": PASSWORD})
    assert r.status_code == 401


def test_therapists_see_only_their_own_patients(cast: Cast):
    t1, t2 = cast.user(Role.THERAPIST), cast.user(Role.THERAPIST)
    p1, p3 = cast.user(Role.PATIENT), cast.user(Role.PATIENT)
    cast.link(t1, p1)
    cast.link(t2, p3)
    c1 = cast.client(t1)
    assert [p["id"] for p in c1.get("/api/patients").get_json()] == [str(p1.id)]
    assert c1.get(f"/api/patients/{p3.id}").status_code == 404
    assert c1.get(f"/api/patients/{p1.id}").status_code == 200


def test_therapist_reads_land_in_the_patients_access_log(cast: Cast):
    t = cast.user(Role.THERAPIST, "Dr Who")
    p = cast.user(Role.PATIENT)
    cast.link(t, p)
    cast.client(t).get(f"/api/patients/{p.id}")
    log = cast.client(p).get("/api/me/access-log")
    assert log.status_code == 200
    entries = log.get_json()
    assert entries[0]["actor"] == "Dr Who" and entries[0]["action"] == "patient profile"
    assert set(entries[0]) == {"actor", "action", "at", "first_at", "count"}
    assert entries[0]["count"] == 1


def test_page_sizes_are_clamped(app: Flask, cast: Cast):
    t = cast.user(Role.THERAPIST)
    for _ in range(3):
        cast.link(t, cast.user(Role.PATIENT))
    app.config["PAGE_SIZE_MAX"] = 2
    try:
        r = cast.client(t).get("/api/patients?page_size=100000")
        assert r.status_code == 200 and len(r.get_json()) == 2
    finally:
        app.config["PAGE_SIZE_MAX"] = 100


def test_a_patient_exports_everything_as_json(cast: Cast):
    t = cast.user(Role.THERAPIST, "Dr Export")
    p = cast.user(Role.PATIENT)
    cast.link(t, p)
    cast.client(t).get(f"/api/patients/{p.id}")
    r = cast.client(p).get("/api/me/export")
    assert r.status_code == 200
    data = r.get_json()
    assert data["format"] == "hep-export" and data["account"]["email"] == p.email
    assert data["therapists"][0]["name"] == "Dr Export"
    assert data["access_log"][0]["action"] == "patient profile"
    assert "password_hash" not in str(data)


def test_deleting_the_account_ends_sessions_and_removes_the_data(cast: Cast):
    t = cast.user(Role.THERAPIST)
    p = cast.user(Role.PATIENT)
    cast.link(t, p)
    cast.client(t).get(f"/api/patients/{p.id}")
    phone = cast.client(p)
    assert phone.delete("/api/me", json={"password": "wrong one!!"}).status_code == 422
    r = phone.delete("/api/me", json={"password": PASSWORD})
    assert r.status_code == 204 and "storage" in r.headers["Clear-Site-Data"]
    assert phone.get("/api/me").status_code == 401
    for model in (User, AuthSession, CareLink, AccessLogEntry):
        owned = {
            User: User.id == p.id,
            AuthSession: AuthSession.user_id == p.id,
            CareLink: CareLink.patient_id == p.id,
            AccessLogEntry: AccessLogEntry.patient_id == p.id,
        }[model]
        assert db.session.scalar(select(func.count()).select_from(model).where(owned)) == 0
    assert db.session.get(User, t.id) is not None


def test_patients_needing_attention_are_listed_first(cast: Cast):
    import datetime as dt
    import uuid

    from hep.checkins import put_check_in
    from hep.habits import add_starter

    t = cast.user(Role.THERAPIST)
    quiet = cast.user(Role.PATIENT, "Zoe Quiet")
    active = cast.user(Role.PATIENT, "Aaron Active")
    cast.link(t, quiet)
    cast.link(t, active)
    now = dt.datetime.now(dt.UTC)
    habit = add_starter(db.session, active, "downtime", now)
    put_check_in(
        db.session,
        active,
        uuid.uuid4(),
        {"habit_id": habit.id, "local_date": now.date(), "state": "done"},
        now=now,
        window_days=7,
    )
    db.session.commit()
    listed = cast.client(t).get("/api/patients").get_json()
    assert [p["name"] for p in listed] == ["Zoe Quiet", "Aaron Active"]  # not by name
    assert listed[0]["attention"] == ["not logging"] and listed[1]["attention"] == []


# --- the team: several therapists, one lead, access that ends at once ----------------------


def _ok(response, status: int = 200):
    assert response.status_code == status, (response.status_code, response.get_json())
    return response.get_json()


def _team(client, patient) -> list[tuple[str, bool]]:
    members = _ok(client.get(f"/api/patients/{patient.id}/team"))["members"]
    return [(m["name"], m["lead"]) for m in members]


def test_a_therapist_the_patient_removes_loses_access_at_once_in_a_live_session(cast: Cast):
    t = cast.user(Role.THERAPIST, "Dr Gone")
    p = cast.user(Role.PATIENT)
    cast.link(t, p)
    live = cast.client(t)  # signed in before, and stays signed in
    _ok(live.get(f"/api/patients/{p.id}"))
    phone = cast.client(p)
    before = len(_ok(phone.get("/api/me/access-log?page_size=100")))
    assert phone.delete(f"/api/me/care-team/{t.id}").status_code == 204
    for path in ("", "/programs", "/check-ins", "/adherence", "/team", "/pain"):
        assert live.get(f"/api/patients/{p.id}{path}").status_code == 404, path
    assert _ok(live.get("/api/patients")) == []
    log = _ok(phone.get("/api/me/access-log?page_size=100"))
    assert len(log) == before + 1, "reads after the removal were logged"
    assert log[0]["action"] == "was removed from your care team by you"
    assert phone.delete(f"/api/me/care-team/{t.id}").status_code == 404


def test_the_lead_is_handed_over_and_passes_on_when_the_lead_leaves(cast: Cast):
    boss = cast.user(Role.THERAPIST, "Dr Boss")
    lead, colleague = cast.user(Role.THERAPIST, "Dr Lead"), cast.user(Role.THERAPIST, "Dr Col")
    cast.clinic(boss, lead, colleague)
    p = cast.user(Role.PATIENT)
    cast.link(lead, p)
    a, b = cast.client(lead), cast.client(colleague)
    assert b.get(f"/api/patients/{p.id}").status_code == 404  # same clinic, not on the team
    _ok(a.post(f"/api/patients/{p.id}/team", json={"therapist_id": str(colleague.id)}), 201)
    assert _team(a, p) == [("Dr Lead", True), ("Dr Col", False)]
    _ok(b.get(f"/api/patients/{p.id}"))
    body = {"therapist_id": str(colleague.id)}
    assert b.put(f"/api/patients/{p.id}/team/lead", json=body).status_code == 403
    _ok(a.put(f"/api/patients/{p.id}/team/lead", json=body))
    assert _team(a, p) == [("Dr Col", True), ("Dr Lead", False)]
    # the lead leaves: the lead passes to the one left
    assert b.delete(f"/api/patients/{p.id}/team/{colleague.id}").status_code == 204
    assert _team(a, p) == [("Dr Lead", True)]
    leads = db.session.scalars(
        select(CareLink).where(CareLink.patient_id == p.id, CareLink.is_lead)
    ).all()
    assert [(link.therapist_id, link.ended_at) for link in leads] == [(lead.id, None)]
    actions = [e["action"] for e in _ok(cast.client(p).get("/api/me/access-log?page_size=100"))]
    assert actions.count("now leads your care team") == 2
    assert "joined your care team" in actions and "left your care team" in actions


def test_only_a_colleague_of_the_same_clinic_can_be_added(cast: Cast):
    t, stranger = cast.user(Role.THERAPIST), cast.user(Role.THERAPIST)
    cast.clinic(stranger, name="Other")
    p = cast.user(Role.PATIENT)
    cast.link(t, p)
    body = {"therapist_id": str(stranger.id)}
    assert cast.client(t).post(f"/api/patients/{p.id}/team", json=body).status_code == 422
    assert cast.client(stranger).post(f"/api/patients/{p.id}/team", json=body).status_code == 404


def test_a_patient_has_two_therapists_from_two_clinics(cast: Cast):
    north, south = cast.user(Role.THERAPIST, "Dr North"), cast.user(Role.THERAPIST, "Dr South")
    north_admin = cast.user(Role.THERAPIST, "Dr North Admin")
    clinic_n = cast.clinic(north_admin, north, name="North")
    clinic_s = cast.clinic(south, name="South")
    n, s = cast.client(north), cast.client(south)
    added = _ok(n.post("/api/patients", json={"email": "pat@example.org", "name": "Pat"}), 201)
    code = added["invite"]["url"].rsplit("/", 1)[1]
    phone = cast.client()
    _ok(phone.post(f"/api/invites/{code}/accept", json={"password": PASSWORD}))
    # the second clinic asks; the patient says yes in the app
    _ok(s.post("/api/patients", json={"email": "pat@example.org", "name": "Pat"}), 201)
    [request] = _ok(phone.get("/api/me/link-requests"))
    assert request["therapist_name"] == "Dr South" and request["clinic_name"] == "South"
    team = _ok(phone.post(f"/api/me/link-requests/{request['id']}/accept"))
    assert [(m["name"], m["clinic_name"], m["lead"]) for m in team["members"]] == [
        ("Dr North", "North", True),
        ("Dr South", "South", False),
    ]
    pid = added["patient"]["id"]
    _ok(n.get(f"/api/patients/{pid}/adherence"))
    _ok(s.get(f"/api/patients/{pid}/adherence"))
    for clinic, admin in ((clinic_n, north_admin), (clinic_s, south)):
        [row] = _ok(cast.client(admin).get(f"/api/clinics/{clinic.id}/caseload"))
        assert {(t["name"], t["in_clinic"]) for t in row["therapists"]} == {
            ("Dr North", clinic is clinic_n),
            ("Dr South", clinic is clinic_s),
        }
    # North's admin manages North's people only
    boss = cast.client(north_admin)
    assert boss.delete(f"/api/patients/{pid}/team/{south.id}").status_code == 404
    assert boss.delete(f"/api/patients/{pid}/team/{north.id}").status_code == 204
    assert n.get(f"/api/patients/{pid}").status_code == 404
    _ok(s.get(f"/api/patients/{pid}"))
    assert [m["lead"] for m in _ok(phone.get("/api/me/care-team"))["members"]] == [True]


def test_the_database_holds_one_lead_per_patient(cast: Cast):
    from sqlalchemy.exc import IntegrityError

    a, b = cast.user(Role.THERAPIST), cast.user(Role.THERAPIST)
    p = cast.user(Role.PATIENT)
    cast.link(a, p)
    second = cast.link(b, p)
    assert second.is_lead is False
    second.is_lead = True
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
    else:
        raise AssertionError("two leads were stored")
