"""Reminders that ask rather than remind: the weekly check-in ("review") and questionnaires
("measure"). What the dispatcher needs to decide them, loaded for a batch in a fixed number
of queries, and the rule, pure: a review is not due in a week with nothing planned and is
done once that week is answered; a questionnaire is asked on its due date and once more
ASK_AGAIN_AFTER later, unless it was answered."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from hep.adherence import Subject, load_subjects
from hep.models import MeasurePlan, MeasureResponse, WeeklyReview
from hep.weeks import ASK_AGAIN_AFTER, figures_of, slot_on

ASKING = frozenset({"review", "measure"})
"""Target kinds decided here."""

_WEEK = dt.timedelta(days=6)


@dataclass
class Asks:
    """What deciding a batch's review and measure reminders needs, per owner."""

    subjects: dict[uuid.UUID, list[Subject]] = field(default_factory=dict)
    reviewed: set[tuple[uuid.UUID, dt.date]] = field(default_factory=set)
    # the days a questionnaire is asked on, and whether everything asked that day is answered
    measure_days: dict[uuid.UUID, dict[dt.date, bool]] = field(default_factory=dict)

    def outcome(self, kind: str, owner_id: uuid.UUID, day: dt.date) -> str | None:
        """ "not_due", "done", or None (send it, if nothing else holds it back)."""
        if kind == "review":
            if not figures_of(self.subjects.get(owner_id, []), {}, day).planned:
                return "not_due"
            answered = any(
                (owner_id, day - dt.timedelta(days=back)) in self.reviewed for back in range(7)
            )
            return "done" if answered else None
        asked = self.measure_days.get(owner_id, {})
        if day not in asked:
            return "not_due"
        return "done" if asked[day] else None


def ask_days(
    plans: Sequence[MeasurePlan],
    answered: Collection[tuple[uuid.UUID, dt.date]],
    lo: dt.date,
    hi: dt.date,
) -> dict[dt.date, bool]:
    """The days in lo..hi a patient's running plans ask on: each due date and ASK_AGAIN_AFTER
    after it, with whether every plan asking that day has its answer."""
    days: dict[dt.date, bool] = {}
    for plan in plans:
        if plan.ended_at is not None:
            continue
        for day in (lo + dt.timedelta(days=n) for n in range((hi - lo).days + 1)):
            for due in (day, day - ASK_AGAIN_AFTER):
                if slot_on(plan.first_due, plan.every_weeks, due) == due:
                    done = (plan.id, due) in answered
                    days[day] = days.get(day, True) and done
    return days


def load_asks(
    session: Session,
    reminders: Sequence[tuple[uuid.UUID, str]],
    timezones: dict[uuid.UUID, str],
    lo: dt.date,
    hi: dt.date,
) -> Asks:
    """For (owner, target kind) pairs of a batch, over the local days lo..hi its occurrences
    fall on: at most four queries."""
    asks = Asks()
    reviewers = sorted({owner for owner, kind in reminders if kind == "review"})
    askers = sorted({owner for owner, kind in reminders if kind == "measure"})
    if reviewers:
        asks.subjects = load_subjects(session, reviewers, {o: timezones[o] for o in reviewers})
        asks.reviewed = {
            (a, b)
            for a, b in session.execute(
                select(WeeklyReview.owner_id, WeeklyReview.week_end).where(
                    WeeklyReview.owner_id.in_(reviewers),
                    WeeklyReview.week_end.between(lo - _WEEK, hi),
                )
            )
        }
    if askers:
        plans: dict[uuid.UUID, list[MeasurePlan]] = defaultdict(list)
        for plan in session.scalars(
            select(MeasurePlan).where(
                MeasurePlan.patient_id.in_(askers), MeasurePlan.ended_at.is_(None)
            )
        ):
            plans[plan.patient_id].append(plan)
        answered = {
            (a, b)
            for a, b in session.execute(
                select(MeasureResponse.plan_id, MeasureResponse.due_on).where(
                    MeasureResponse.patient_id.in_(askers),
                    MeasureResponse.due_on.between(lo - ASK_AGAIN_AFTER, hi),
                )
            )
        }
        asks.measure_days = {
            owner: ask_days(owned, answered, lo, hi) for owner, owned in plans.items()
        }
    return asks
