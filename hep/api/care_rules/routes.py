"""Thresholds: a clinic's defaults (its admins set them), a patient's own (their team)."""

from __future__ import annotations

import dataclasses
import uuid
from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint

from hep.api.access import current_user, requires
from hep.api.care_rules.schemas import (
    ClinicRulesIn,
    ClinicRulesOut,
    PatientRulesIn,
    PatientRulesOut,
)
from hep.care import log_access
from hep.care_rules import (
    DEFAULTS,
    clinic_rules,
    patient_rules,
    set_clinic_rules,
    set_patient_rules,
)
from hep.clock import utcnow
from hep.db import db
from hep.guidance import DEFAULT_ADVICE
from hep.models import Role

blp = Blueprint("care_rules", __name__, url_prefix="/api", description="Thresholds")


def _clinic_answer(clinic_id: uuid.UUID) -> dict[str, Any]:
    own, rules = clinic_rules(db.session, current_user(), clinic_id)
    return {
        "own": own.rules if own else {},
        "thresholds": dataclasses.asdict(rules),
        "defaults": dataclasses.asdict(DEFAULTS),
        "pain_advice": own.pain_advice if own else "",
        "default_advice": DEFAULT_ADVICE,
    }


def _patient_answer(patient_id: uuid.UUID) -> dict[str, Any]:
    own, clinic, rules = patient_rules(db.session, current_user(), patient_id)
    return {
        "own": own.rules if own else {},
        "thresholds": dataclasses.asdict(rules),
        "clinic": dataclasses.asdict(clinic),
        "auto_progress": own.auto_progress if own else False,
        "auto_regress": own.auto_regress if own else False,
    }


@blp.route("/clinics/<uuid:clinic_id>/care-rules")
class ClinicRules(MethodView):
    @blp.response(200, ClinicRulesOut)
    @requires(Role.THERAPIST, Role.ADMIN)
    def get(self, clinic_id: uuid.UUID) -> Any:
        """The clinic's defaults for its patients' thresholds, and its words on high pain"""
        return _clinic_answer(clinic_id)

    @blp.arguments(ClinicRulesIn)
    @blp.response(200, ClinicRulesOut)
    @requires(Role.THERAPIST, Role.ADMIN)
    def put(self, body: dict[str, Any], clinic_id: uuid.UUID) -> Any:
        """Set the clinic's defaults (its admins): thresholds left null are hep's"""
        set_clinic_rules(
            db.session, current_user(), clinic_id, body["thresholds"], body["pain_advice"], utcnow()
        )
        db.session.commit()
        return _clinic_answer(clinic_id)


@blp.route("/patients/<uuid:patient_id>/care-rules")
class PatientRules(MethodView):
    @blp.response(200, PatientRulesOut)
    @requires(Role.THERAPIST)
    def get(self, patient_id: uuid.UUID) -> Any:
        """Your patient's thresholds (their own, else the clinic's) and automatic steps"""
        answer = _patient_answer(patient_id)
        log_access(db.session, current_user(), [patient_id], "thresholds", utcnow())
        db.session.commit()
        return answer

    @blp.arguments(PatientRulesIn)
    @blp.response(200, PatientRulesOut)
    @requires(Role.THERAPIST)
    def put(self, body: dict[str, Any], patient_id: uuid.UUID) -> Any:
        """Set your patient's own thresholds (null: the clinic's) and whether hep may move
        their items on, or step them back at once, by itself"""
        set_patient_rules(db.session, current_user(), patient_id, body, utcnow())
        db.session.commit()
        return _patient_answer(patient_id)
