"""What Today asks of you besides exercises and habits, in one answer."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint

from hep.api.access import current_user, requires
from hep.api.prompts.schemas import PromptsOut
from hep.clock import utcnow
from hep.db import db
from hep.discharges import open_discharge
from hep.link_requests import open_requests
from hep.measures import due_now, questionnaire_of
from hep.messages import unread_count
from hep.models import Role
from hep.questionnaires import definition
from hep.timezones import local_date
from hep.weekly_reviews import review_of, review_week, schedule_of, week_figures

blp = Blueprint("prompts", __name__, url_prefix="/api", description="What Today asks")


@blp.route("/prompts")
class Prompts(MethodView):
    @blp.response(200, PromptsOut)
    @requires(Role.PATIENT)
    def get(self) -> Any:
        """The week to look back on, questionnaires due, messages you have not read, therapists
        asking to join your care team, and your discharge while it lasts"""
        user, now = current_user(), utcnow()
        schedule = schedule_of(db.session, user, now)
        week_end = review_week(schedule.weekday, local_date(now, user.timezone))
        found = {
            "weekly_review": {
                "week_end": week_end,
                "planned": week_figures(db.session, user, week_end).planned,
                "answered": review_of(db.session, user.id, week_end) is not None,
            },
            "measures_due": [
                {
                    "plan_id": plan.id,
                    "title": definition(plan.instrument, questionnaire_of(db.session, plan))[
                        "title"
                    ],
                    "due_on": due_on,
                }
                for plan, due_on in due_now(db.session, user, now)
            ],
            "unread_messages": unread_count(db.session, user.id, user),
            "link_requests": open_requests(db.session, user, now),
            "discharge": open_discharge(db.session, user.id),
        }
        db.session.commit()  # the review schedule is made on first use
        return found
