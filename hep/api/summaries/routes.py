"""The progress summary: adherence, pain, scores, weekly check-ins over a date range."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint

from hep.api.access import current_user, patient_read_by_therapist, requires
from hep.api.summaries.schemas import SummaryArgs, SummaryOut
from hep.clock import utcnow
from hep.db import db
from hep.errors import Invalid
from hep.models import Role, User
from hep.summaries import MAX_DAYS, summary
from hep.timezones import local_date
from hep.translations import _

blp = Blueprint("summaries", __name__, url_prefix="/api", description="Progress summaries")


def _check(start: dt.date, end: dt.date) -> None:
    if start > end or (end - start).days >= MAX_DAYS:
        raise Invalid.field(
            "start", _("Give a range of at most {days} days, start first.", days=MAX_DAYS)
        )


def _summary(patient: User, args: dict[str, dt.date]) -> dict[str, Any]:
    now = utcnow()
    end = args.get("end") or local_date(now, patient.timezone)
    start = args.get("start") or end - dt.timedelta(weeks=12) + dt.timedelta(days=1)
    _check(start, end)
    return summary(db.session, patient, start, end, now)


@blp.route("/summary")
class Summary(MethodView):
    @blp.arguments(SummaryArgs, location="query")
    @blp.response(200, SummaryOut)
    @requires(Role.PATIENT)
    def get(self, args: dict[str, dt.date]) -> Any:
        """Your progress over a date range (default: the last 12 weeks), for printing"""
        return _summary(current_user(), args)


@blp.route("/patients/<uuid:patient_id>/summary")
class PatientSummary(MethodView):
    @blp.arguments(SummaryArgs, location="query")
    @blp.response(200, SummaryOut)
    @requires(Role.THERAPIST)
    def get(self, args: dict[str, dt.date], patient_id: uuid.UUID) -> Any:
        """A patient's progress over a date range (default: the last 12 weeks), for printing"""
        if "start" in args and "end" in args:
            _check(args["start"], args["end"])  # before the read is logged
        return _summary(patient_read_by_therapist(patient_id, "progress summary"), args)
