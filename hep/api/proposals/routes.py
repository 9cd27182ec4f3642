"""Step proposals: a patient's (their team reads, applies or dismisses them in one tap), and
what changed in your own programs and why."""

from __future__ import annotations

import uuid
from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint

from hep.api.access import current_user, patient_read_by_therapist, requires
from hep.api.proposals.schemas import ChangeOut, DismissIn, ProposalArgs, ProposalOut
from hep.clock import utcnow
from hep.db import db
from hep.models import Role
from hep.steps import (
    apply_proposal,
    changes_of,
    dismiss_proposal,
    proposal_for_therapist,
    proposal_view,
    proposals_of,
)

blp = Blueprint("proposals", __name__, url_prefix="/api", description="Progression")


@blp.route("/patients/<uuid:patient_id>/proposals")
class PatientProposals(MethodView):
    @blp.arguments(ProposalArgs, location="query")
    @blp.response(200, ProposalOut(many=True))
    @requires(Role.THERAPIST)
    def get(self, args: dict[str, bool], patient_id: uuid.UUID) -> Any:
        """hep's proposals to move your patient's items on or back a step, with the sessions
        behind each; open=false adds the decided ones"""
        patient = patient_read_by_therapist(patient_id, "proposals")
        found = proposals_of(db.session, patient.id, open_only=args["open"])
        return [proposal_view(p) for p in found]


@blp.route("/proposals/<uuid:proposal_id>/apply")
class ApplyProposal(MethodView):
    @blp.response(200, ProposalOut)
    @requires(Role.THERAPIST)
    def post(self, proposal_id: uuid.UUID) -> Any:
        """Take the step: a new program version (history kept). Safe to repeat: one version
        however many taps. A proposal whose item changed since answers as superseded."""
        therapist = current_user()
        proposal = proposal_for_therapist(db.session, therapist, proposal_id)
        apply_proposal(db.session, proposal, therapist, utcnow())
        db.session.commit()
        return proposal_view(proposal)


@blp.route("/proposals/<uuid:proposal_id>/dismiss")
class DismissProposal(MethodView):
    @blp.arguments(DismissIn, required=False)
    @blp.response(200, ProposalOut)
    @requires(Role.THERAPIST)
    def post(self, body: dict[str, str], proposal_id: uuid.UUID) -> Any:
        """Say no: only sessions from tomorrow on can lead to another proposal for the item"""
        therapist = current_user()
        proposal = proposal_for_therapist(db.session, therapist, proposal_id)
        dismiss_proposal(db.session, therapist, proposal, body.get("note", ""), utcnow())
        db.session.commit()
        return proposal_view(proposal)


@blp.route("/program-changes")
class ProgramChanges(MethodView):
    @blp.response(200, ChangeOut(many=True))
    @requires(Role.PATIENT)
    def get(self) -> Any:
        """The steps your programs took (moved on, or back), the latest first, and why"""
        return [proposal_view(p) for p in changes_of(db.session, current_user().id)]
