"""Thresholds through the API: a clinic's defaults (its admins set them, its members read
them), a patient's own (their team), each bound as the OpenAPI document says."""

from __future__ import annotations

from typing import Any

from hep.care_rules import BOUNDS
from hep.clinics import clinics_of
from hep.db import db
from hep.guidance import DEFAULT_ADVICE
from hep.models import Role
from tests.conftest import Cast


def ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.get_json()
    return response.get_json()


def test_a_clinic_sets_defaults_and_a_patient_gets_their_own(cast: Cast):
    lead, colleague = cast.user(Role.THERAPIST), cast.user(Role.THERAPIST)
    clinic = cast.clinic(lead, colleague)
    patient = cast.user(Role.PATIENT)
    cast.link(colleague, patient)
    assert clinics_of(db.session, colleague)[0][0].id == clinic.id
    path = f"/api/clinics/{clinic.id}/care-rules"
    shown = ok(cast.client(colleague).get(path))
    assert shown["thresholds"] == shown["defaults"] and shown["own"] == {}
    assert shown["default_advice"] == DEFAULT_ADVICE
    body = {"thresholds": {"high_pain": 8, "pain_skips": None}, "pain_advice": " Rest. "}
    assert cast.client(colleague).put(path, json=body).status_code == 403  # admins only
    set_ = ok(cast.client(lead).put(path, json=body))
    assert set_["own"] == {"high_pain": 8} and set_["pain_advice"] == "Rest."
    assert set_["thresholds"]["high_pain"] == 8
    patient_path = f"/api/patients/{patient.id}/care-rules"
    desk = cast.client(colleague)
    rules = ok(desk.get(patient_path))
    assert rules["clinic"]["high_pain"] == 8 and rules["thresholds"]["high_pain"] == 8
    own = {
        "thresholds": {"high_pain": 5, "too_hard_sessions": 3},
        "auto_progress": True,
        "auto_regress": False,
    }
    rules = ok(desk.put(patient_path, json=own))
    assert rules["thresholds"] | {} == rules["clinic"] | {"high_pain": 5, "too_hard_sessions": 3}
    assert (rules["auto_progress"], rules["auto_regress"]) == (True, False)
    assert ok(cast.client(patient).get("/api/me/export"))["care_rules"]["thresholds"] == {
        "high_pain": 5,
        "too_hard_sessions": 3,
    }
    assert cast.client(lead).get(patient_path).status_code == 404  # not on the team


def test_thresholds_are_whole_numbers_within_their_bounds(cast: Cast):
    therapist, patient = cast.user(Role.THERAPIST), cast.user(Role.PATIENT)
    cast.link(therapist, patient)
    desk = cast.client(therapist)
    path = f"/api/patients/{patient.id}/care-rules"
    flags = {"auto_progress": False, "auto_regress": False}
    for name, (low, high) in BOUNDS.items():
        for bad in (low - 1, high + 1, 2.5, "3", True):
            answer = desk.put(path, json={"thresholds": {name: bad}, **flags})
            assert answer.status_code == 422, (name, bad)
    assert desk.put(path, json={"thresholds": {"loudness": 3}, **flags}).status_code == 422
    assert desk.put(path, json={"thresholds": {}}).status_code == 422  # flags required
    spec = desk.get("/api/openapi.json").get_json()["components"]["schemas"]["ThresholdsIn"]
    assert spec["properties"]["high_pain"]["minimum"] == BOUNDS["high_pain"][0]
    assert spec["properties"]["high_pain"]["maximum"] == BOUNDS["high_pain"][1]
