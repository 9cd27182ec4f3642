"""A patient's progress over a date range, week by week: adherence and pain (by the
adherence functions), outcome measure scores, weekly check-ins with their barriers, and
skipped sessions by reason. What the printable summary and the score charts show."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.orm import Session

from hep.adherence import load_logs, load_subjects, pain_series, percent, score_subject
from hep.measures import plans_of, questionnaire_of, responses_of
from hep.models import User
from hep.questionnaires import definition
from hep.timezones import local_date
from hep.weekly_reviews import barrier_counts, reviews_of, skip_reasons

MAX_DAYS = 366


def monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def weekly_adherence(
    session: Session, patient: User, start: dt.date, end: dt.date, now: dt.datetime
) -> dict[str, Any]:
    """Dose done of dose prescribed per ISO week (the part of it in the range), mean daily
    pain per week, and the whole range's figure. A day not over yet counts once it is done."""
    today = local_date(now, patient.timezone)
    end = min(end, today)
    subjects = load_subjects(session, [patient.id], {patient.id: patient.timezone})[patient.id]
    logs = load_logs(session, [patient.id], start, end)[patient.id]
    # the range's last day is judged as a closed day unless it is today
    closes = end if end == today else end + dt.timedelta(days=1)
    scores = [score_subject(s, logs, start, closes) for s in subjects]
    pain = pain_series(session, [patient.id], start, end)[patient.id]
    weeks = []
    week = monday(start)
    while week <= end:
        first, last = max(week, start), min(week + dt.timedelta(days=6), end)
        values = [v for day, v in pain.items() if first <= day <= last]
        weeks.append(
            {
                "week_start": week,
                "percent": percent(scores, first, last),
                "pain": round(sum(values) / len(values), 1) if values else None,
            }
        )
        week += dt.timedelta(days=7)
    return {"weeks": weeks, "percent": percent(scores, start, end)}


def measure_series(
    session: Session, patient: User, start: dt.date | None = None, end: dt.date | None = None
) -> list[dict[str, Any]]:
    """Each plan's scores over time (answered in the range, when given)."""
    responses = responses_of(session, patient.id, start, end)
    series = []
    for plan in plans_of(session, patient.id):
        measure = definition(plan.instrument, questionnaire_of(session, plan))
        points = [
            {"due_on": r.due_on, "answered_on": r.answered_on, "score": r.score}
            for r in responses
            if r.plan_id == plan.id
        ]
        if points or start is None:
            series.append(
                {
                    "plan_id": plan.id,
                    "title": measure["title"],
                    "instrument": plan.instrument,
                    "score_label": measure["score_label"],
                    "points": points,
                }
            )
    return series


def summary(
    session: Session, patient: User, start: dt.date, end: dt.date, now: dt.datetime
) -> dict[str, Any]:
    """Everything the printable summary shows, for the range (at most MAX_DAYS)."""
    reviews = reviews_of(session, patient.id, start, end)
    return {
        "patient": {"name": patient.name, "timezone": patient.timezone},
        "start": start,
        "end": end,
        "generated_at": now,
        "adherence": weekly_adherence(session, patient, start, end, now),
        "measures": measure_series(session, patient, start, end),
        "reviews": reviews,
        "barrier_counts": barrier_counts(reviews),
        "skip_reasons": skip_reasons(session, patient.id, start, end),
    }
