"""A patient's attention panel through the API: the reasons as they stand, acknowledging them
with a note, the history of acknowledgements and alerts; access-logged, team only."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func, select

from hep import alerts
from hep.db import db
from hep.models import (
    Acknowledgement,
    Exercise,
    PatientCareRules,
    Pause,
    Role,
    StepProposal,
)
from hep.programs import prescribe, view
from tests.conftest import PASSWORD, Cast


def ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.get_json()
    return response.get_json()


def test_a_therapist_sees_why_acknowledges_with_a_note_and_keeps_the_history(cast: Cast, app):
    therapist, patient = cast.user(Role.THERAPIST, "Dr T"), cast.user(Role.PATIENT, "Pat")
    cast.link(therapist, patient)
    phone, desk = cast.client(patient), cast.client(therapist)
    today = dt.datetime.now(dt.UTC).date().isoformat()
    ok(phone.put(f"/api/pain/{today}", json={"score": 8, "note": "after gardening"}), 201)
    panel = ok(desk.get(f"/api/patients/{patient.id}/attention"))
    reasons = {r["reason"]: r["acknowledged"] for r in panel["reasons"]}
    assert reasons["high pain"] is False
    assert panel["thresholds"]["high_pain"] == 7 and panel["pause"] is None
    alerts.note_alerts(db.session, dt.datetime.now(dt.UTC))
    db.session.commit()
    made = ok(
        desk.post(
            f"/api/patients/{patient.id}/acknowledgements",
            json={"note": "Called, adjusted the program"},
        ),
        201,
    )
    assert made["by"] == "Dr T" and "high pain" in made["reasons"]
    panel = ok(desk.get(f"/api/patients/{patient.id}/attention"))
    assert all(r["acknowledged"] for r in panel["reasons"])
    assert [a["note"] for a in panel["acknowledgements"]] == ["Called, adjusted the program"]
    assert "high pain" in [a["reason"] for a in panel["alerts"]]
    listed = ok(desk.get("/api/patients"))[0]
    assert listed["attention"] == [] and "high pain" in listed["acknowledged"]
    assert listed["acknowledged_at"] == made["at"]
    log = {e["action"] for e in ok(phone.get("/api/me/access-log"))}
    assert "attention" in log
    exported = ok(phone.get("/api/me/export"))["acknowledgements"]
    assert [a["note"] for a in exported] == ["Called, adjusted the program"]


def test_the_panel_and_acknowledging_are_the_teams_only(cast: Cast):
    therapist, stranger = cast.user(Role.THERAPIST), cast.user(Role.THERAPIST)
    patient = cast.user(Role.PATIENT)
    cast.link(therapist, patient)
    for path, method in (
        (f"/api/patients/{patient.id}/attention", "get"),
        (f"/api/patients/{patient.id}/acknowledgements", "post"),
    ):
        answer = getattr(cast.client(stranger), method)(path, json={} if method == "post" else None)
        assert answer.status_code == 404
        answer = getattr(cast.client(patient), method)(path, json={} if method == "post" else None)
        assert answer.status_code == 403
    long = {"note": "x" * 1001}
    answer = cast.client(therapist).post(f"/api/patients/{patient.id}/acknowledgements", json=long)
    assert answer.status_code == 422 and "note" in answer.get_json()["errors"]


def test_deleting_accounts_takes_pauses_acknowledgements_rules_and_proposals_along(cast: Cast):
    therapist = cast.user(Role.THERAPIST, "Dr Gone")
    leaving, staying = cast.user(Role.PATIENT), cast.user(Role.PATIENT)
    desk = cast.client(therapist)
    today = dt.datetime.now(dt.UTC).date()
    exercise = db.session.scalar(select(Exercise.id).limit(1))
    for patient in (leaving, staying):
        cast.link(therapist, patient)
        program = prescribe(
            db.session,
            therapist,
            patient.id,
            {"title": "P", "start_date": today, "items": [{"exercise_id": exercise}]},
            dt.datetime.now(dt.UTC),
        )
        db.session.add(
            StepProposal(
                patient_id=patient.id,
                program_id=program.id,
                item_key=view(db.session, program).items[0][0].item_key,
                direction="regress",
                status="open",
                from_version=1,
                step={},
                evidence={},
                words="",
                created_at=dt.datetime.now(dt.UTC),
            )
        )
        db.session.commit()
        (proposal,) = ok(desk.get(f"/api/patients/{patient.id}/proposals"))
        ok(desk.post(f"/api/proposals/{proposal['id']}/dismiss", json={"note": "later"}))
        ok(cast.client(patient).post("/api/pauses", json={"mode": "away"}), 201)
        ok(desk.post(f"/api/patients/{patient.id}/acknowledgements", json={"note": "ok"}), 201)
        rules = {"thresholds": {"high_pain": 6}, "auto_progress": False, "auto_regress": False}
        ok(desk.put(f"/api/patients/{patient.id}/care-rules", json=rules))

    def rows(model: Any, patient: Any) -> int:
        return db.session.scalar(
            select(func.count()).select_from(model).where(model.patient_id == patient.id)
        )

    assert cast.client(leaving).delete("/api/me", json={"password": PASSWORD}).status_code == 204
    db.session.rollback()
    for model in (Pause, Acknowledgement, PatientCareRules, StepProposal):
        assert (rows(model, leaving), rows(model, staying)) == (0, 1), model
    assert desk.delete("/api/me", json={"password": PASSWORD}).status_code == 204
    db.session.rollback()
    note = db.session.scalar(select(Acknowledgement))
    proposal = db.session.scalar(select(StepProposal))
    # what the therapist did stays in the patient's record, by name
    assert (note.therapist_id, note.therapist_name) == (None, "Dr Gone")
    assert (proposal.decided_by, proposal.decided_by_name) == (None, "Dr Gone")
    assert db.session.scalar(select(PatientCareRules.updated_by)) is None
