"""Programs and their versions: prescribe, revise, end, archive, read."""

from __future__ import annotations

import uuid
from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint

from hep.api.access import current_user, patient_read_by_therapist, requires
from hep.api.exercises.schemas import ExerciseOut
from hep.api.programs.schemas import (
    ComparisonArgs,
    ComparisonOut,
    ProgramEnd,
    ProgramIn,
    ProgramListArgs,
    ProgramOut,
    RevisionIn,
    VersionOut,
)
from hep.care import log_access
from hep.clock import utcnow
from hep.db import db
from hep.languages import request_language
from hep.models import Program, Role
from hep.programs import (
    ITEM_FIELDS,
    archive_program,
    end_program,
    item_seconds,
    prescribe,
    program_for_patient,
    program_for_therapist,
    programs_of,
    revise,
    session_minutes,
    size_warnings,
    versions,
    view,
)
from hep.revisions import compare
from hep.steps import named_step, step_names

blp = Blueprint("programs", __name__, url_prefix="/api", description="Programs and templates")


def program_out(program: Program, number: int | None = None) -> dict[str, Any]:
    found = view(db.session, program, number)
    items = [item for item, _ in found.items]
    language = request_language()
    names = step_names(db.session, items, language)
    return {
        "id": program.id,
        "patient_id": program.patient_id,
        "version": found.version.version,
        "title": found.version.title,
        "notes": found.version.notes,
        "start_date": found.version.start_date,
        "end_date": found.version.end_date,
        "change_note": found.version.change_note,
        "pain_advice": found.version.pain_advice,
        "updated_at": found.version.created_at,
        "archived_at": program.archived_at,
        "minutes_per_session": session_minutes(items),
        "warnings": size_warnings(items),
        "items": [
            {
                "item_key": item.item_key,
                "exercise": ExerciseOut().dump(exercise),
                **{f: getattr(item, f) for f in ITEM_FIELDS},
                "minutes": round(item_seconds(item) / 60, 1),
                "keep_in_flare": item.keep_in_flare,
                "minimum_dose": item.minimum_dose,
                "next_step": named_step(item.next_step, exercise, names, language),
                "previous_step": named_step(item.previous_step, exercise, names, language),
                "step_rules": item.step_rules,
            }
            for item, exercise in found.items
        ],
    }


def _readable(program_id: uuid.UUID) -> Program:
    """The caller's own program, or their patient's (logged); else 404."""
    user = current_user()
    if user.role is Role.THERAPIST:
        program = program_for_therapist(db.session, user, program_id)
        log_access(db.session, user, [program.patient_id], "program", utcnow())
        db.session.commit()
        return program
    return program_for_patient(db.session, user, program_id)


@blp.route("/patients/<uuid:patient_id>/programs")
class PatientPrograms(MethodView):
    @blp.arguments(ProgramListArgs, location="query")
    @blp.response(200, ProgramOut(many=True))
    @requires(Role.THERAPIST)
    def get(self, args: dict[str, bool], patient_id: uuid.UUID) -> Any:
        """A patient's programs (current versions); archived=true adds the archived ones"""
        patient = patient_read_by_therapist(patient_id, "programs")
        found = programs_of(db.session, patient.id, archived=args["archived"])
        return [program_out(p) for p in found]

    @blp.arguments(ProgramIn)
    @blp.response(201, ProgramOut)
    @requires(Role.THERAPIST)
    def post(self, body: dict[str, Any], patient_id: uuid.UUID) -> Any:
        """Prescribe a program to your patient"""
        program = prescribe(db.session, current_user(), patient_id, body, utcnow())
        db.session.commit()
        return program_out(program)


@blp.route("/programs")
class MyPrograms(MethodView):
    @blp.arguments(ProgramListArgs, location="query")
    @blp.response(200, ProgramOut(many=True))
    @requires(Role.PATIENT)
    def get(self, args: dict[str, bool]) -> Any:
        """Your programs; archived=true adds the archived ones"""
        found = programs_of(db.session, current_user().id, archived=args["archived"])
        return [program_out(p) for p in found]


@blp.route("/programs/<uuid:program_id>")
class ProgramResource(MethodView):
    @blp.response(200, ProgramOut)
    @requires(Role.PATIENT, Role.THERAPIST)
    def get(self, program_id: uuid.UUID) -> Any:
        """A program's current version: always at this address"""
        return program_out(_readable(program_id))


@blp.route("/programs/<uuid:program_id>/versions")
class ProgramVersions(MethodView):
    @blp.response(200, VersionOut(many=True))
    @requires(Role.PATIENT, Role.THERAPIST)
    def get(self, program_id: uuid.UUID) -> Any:
        """Version history, newest first"""
        return versions(db.session, _readable(program_id))

    @blp.arguments(RevisionIn)
    @blp.response(201, ProgramOut)
    @requires(Role.THERAPIST)
    def post(self, body: dict[str, Any], program_id: uuid.UUID) -> Any:
        """Edit a program: saves a new version; items keeping their item_key keep their history"""
        program = revise(db.session, current_user(), program_id, body, utcnow())
        db.session.commit()
        return program_out(program)


@blp.route("/programs/<uuid:program_id>/versions/<int(min=1):number>")
class ProgramVersionResource(MethodView):
    @blp.response(200, ProgramOut)
    @requires(Role.PATIENT, Role.THERAPIST)
    def get(self, program_id: uuid.UUID, number: int) -> Any:
        """One past version"""
        return program_out(_readable(program_id), number)


@blp.route("/programs/<uuid:program_id>/comparison")
class ProgramComparison(MethodView):
    @blp.arguments(ComparisonArgs, location="query")
    @blp.response(200, ComparisonOut)
    @requires(Role.PATIENT, Role.THERAPIST)
    def get(self, args: dict[str, int], program_id: uuid.UUID) -> Any:
        """What changed from one version to another (from=, to=), item by item"""
        program = _readable(program_id)
        return compare(
            db.session,
            program,
            args["from_version"],
            args["to_version"],
            language=request_language(),
        )


@blp.route("/programs/<uuid:program_id>/end")
class ProgramEnding(MethodView):
    @blp.arguments(ProgramEnd, required=False)
    @blp.response(200, ProgramOut)
    @requires(Role.THERAPIST)
    def post(self, body: dict[str, Any], program_id: uuid.UUID) -> Any:
        """End a program: a new version whose last day is last_day (by default the patient's
        yesterday), so nothing of it is due and its reminders stop; no new version if it had
        ended by then already"""
        therapist = current_user()
        program = program_for_therapist(db.session, therapist, program_id)
        end_program(db.session, therapist, program, body.get("last_day"), utcnow())
        db.session.commit()
        return program_out(program)


@blp.route("/programs/<uuid:program_id>/archive")
class ProgramArchive(MethodView):
    @blp.response(200, ProgramOut)
    @requires(Role.THERAPIST)
    def post(self, program_id: uuid.UUID) -> Any:
        """Archive a program: it leaves the lists, Today and adherence, its reminders stop; it
        stays readable at its address"""
        program = archive_program(db.session, current_user(), program_id, utcnow())
        db.session.commit()
        return program_out(program)
