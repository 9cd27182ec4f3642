"""Weekly check-ins: the week to answer (prefilled), answers by week, when you are asked,
and what a therapist reads of them."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from flask import current_app
from flask.views import MethodView
from flask_smorest import Blueprint

from hep.api.access import current_user, patient_read_by_therapist, requires
from hep.api.weekly_reviews.schemas import (
    CurrentOut,
    RangeArgs,
    ReviewIn,
    ReviewOut,
    ScheduleIn,
    ScheduleOut,
    TeamViewOut,
    WeekPath,
)
from hep.clock import utcnow
from hep.db import db
from hep.errors import Invalid
from hep.models import Role, User, WeeklyReviewSchedule
from hep.models.reviews import BARRIERS
from hep.timezones import local_date
from hep.translations import _
from hep.weekly_reviews import (
    ReviewAnswer,
    barrier_counts,
    change_schedule,
    put_review,
    review_of,
    review_week,
    reviews_of,
    schedule_of,
    skip_reasons,
    week_figures,
)

blp = Blueprint("weekly_reviews", __name__, url_prefix="/api", description="Weekly check-ins")


def _range(user: User, args: dict[str, dt.date]) -> tuple[dt.date, dt.date]:
    end = args.get("end") or local_date(utcnow(), user.timezone)
    start = args.get("start") or end - dt.timedelta(weeks=12)
    if start > end or (end - start).days > 366:
        raise Invalid.field("start", _("Give a range of at most a year, start before end."))
    return start, end


def _schedule(schedule: WeeklyReviewSchedule) -> dict[str, Any]:
    return {
        "weekday": schedule.weekday,
        "time": schedule.time,
        "remind": schedule.reminder_id is not None,
    }


def current_week(user: User, now: dt.datetime) -> dict[str, Any]:
    """The week the patient is asked about now, prefilled from the logs, with its answer if
    there is one (the schedule is made on first use, hence the caller commits)."""
    schedule = schedule_of(db.session, user, now)
    week_end = review_week(schedule.weekday, local_date(now, user.timezone))
    figures = week_figures(db.session, user, week_end)
    start = week_end - dt.timedelta(days=6)
    skipped = skip_reasons(db.session, user.id, start, week_end)
    return {
        "week_start": start,
        "week_end": week_end,
        "figures": {**figures.__dict__, "planned": figures.planned},
        "suggested_barriers": [b for b in BARRIERS if skipped.get(b)],
        "review": review_of(db.session, user.id, week_end),
        "schedule": _schedule(schedule),
    }


@blp.route("/weekly-reviews/current")
class CurrentWeek(MethodView):
    @blp.response(200, CurrentOut)
    @requires(Role.PATIENT)
    def get(self) -> Any:
        """The week to look back on now: its plan and logs, and your answer if given"""
        found = current_week(current_user(), utcnow())
        db.session.commit()
        return found


@blp.route("/weekly-reviews/schedule")
class Schedule(MethodView):
    @blp.response(200, ScheduleOut)
    @requires(Role.PATIENT)
    def get(self) -> Any:
        """When you are asked about your week (default Sunday 19:00, with a reminder)"""
        schedule = schedule_of(db.session, current_user(), utcnow())
        db.session.commit()
        return _schedule(schedule)

    @blp.arguments(ScheduleIn)
    @blp.response(200, ScheduleOut)
    @requires(Role.PATIENT)
    def put(self, body: dict[str, Any]) -> Any:
        """Choose the day and time you are asked, and whether a reminder asks"""
        schedule = change_schedule(
            db.session, current_user(), body["weekday"], body["time"], body["remind"], utcnow()
        )
        db.session.commit()
        return _schedule(schedule)


@blp.route("/weekly-reviews/<string:week_end>")
class Review(MethodView):
    @blp.arguments(WeekPath, location="path")
    @blp.arguments(ReviewIn)
    @blp.response(200, ReviewOut, description="replayed unchanged, or changed")
    @blp.alt_response(201, schema=ReviewOut, description="answered")
    @requires(Role.PATIENT)
    def put(self, path: dict[str, dt.date], answer: ReviewAnswer, week_end: str) -> Any:
        """Answer a week (the 7 days ending on week_end); safe to retry"""
        review, created = put_review(
            db.session,
            current_user(),
            path["week_end"],
            answer,
            now=utcnow(),
            window_days=current_app.config["CHECKIN_EDIT_DAYS"],
        )
        db.session.commit()
        return review, 201 if created else 200


@blp.route("/weekly-reviews")
class Reviews(MethodView):
    @blp.arguments(RangeArgs, location="query")
    @blp.response(200, ReviewOut(many=True))
    @requires(Role.PATIENT)
    def get(self, args: dict[str, dt.date]) -> Any:
        """Your answers for weeks ending in a range (default: the last 12 weeks)"""
        user = current_user()
        return reviews_of(db.session, user.id, *_range(user, args))


@blp.route("/patients/<uuid:patient_id>/weekly-reviews")
class PatientReviews(MethodView):
    @blp.arguments(RangeArgs, location="query")
    @blp.response(200, TeamViewOut)
    @requires(Role.THERAPIST)
    def get(self, args: dict[str, dt.date], patient_id: uuid.UUID) -> Any:
        """A patient's weekly check-ins, barriers named and skip reasons summed up"""
        patient = patient_read_by_therapist(patient_id, "weekly check-ins")
        start, end = _range(patient, args)
        reviews = reviews_of(db.session, patient.id, start, end)
        return {
            "start": start,
            "end": end,
            "reviews": reviews,
            "barrier_counts": barrier_counts(reviews),
            "skip_reasons": skip_reasons(db.session, patient.id, start, end),
        }
