"""Weekly check-ins: how the week went against the plan (prefilled from the logs with the
adherence functions), what got in the way, confidence for next week; when each patient is
asked (a reminder of its own); and what the therapist reads of them."""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from hep.adherence import load_logs, load_subjects
from hep.care import export_section
from hep.db import insert_first
from hep.errors import Conflict, Invalid
from hep.models import CheckIn, Reminder, User, WeeklyReview, WeeklyReviewSchedule
from hep.models.checkins import SKIP_REASONS
from hep.models.reviews import BARRIERS, DEFAULT_TIME, DEFAULT_WEEKDAY
from hep.timezones import local_date
from hep.translations import _, _n
from hep.weeks import WeekFigures, figures_of

WEEK = dt.timedelta(days=7)
REMINDER_LABEL = "Weekly check-in"


@dataclass(frozen=True)
class ReviewAnswer:
    """What the patient says of the week."""

    sessions_done: int
    habits_met: int
    barriers: tuple[str, ...]
    barrier_note: str
    confidence: int


def week_figures(session: Session, patient: User, week_end: dt.date) -> WeekFigures:
    subjects = load_subjects(session, [patient.id], {patient.id: patient.timezone})[patient.id]
    start = week_end - dt.timedelta(days=6)
    logs = load_logs(session, [patient.id], start, week_end)[patient.id]
    return figures_of(subjects, logs, week_end)


def skip_reasons(
    session: Session, patient_id: uuid.UUID, start: dt.date, end: dt.date
) -> dict[str, int]:
    """Skipped check-ins over the days, summed up by reason (every reason, zeros included)."""
    rows = session.execute(
        select(CheckIn.skip_reason, func.count())
        .where(
            CheckIn.owner_id == patient_id,
            CheckIn.local_date.between(start, end),
            CheckIn.state == "skipped",
            CheckIn.deleted_at.is_(None),
        )
        .group_by(CheckIn.skip_reason)
    ).all()
    found = dict.fromkeys(SKIP_REASONS, 0)
    found.update({reason: int(count) for reason, count in rows if reason in found})
    return found


def review_week(weekday: int, today: dt.date) -> dt.date:
    """The week the patient is asked about now: the one ending on the last review day (their
    chosen ISO weekday) on or before today."""
    return today - dt.timedelta(days=(today.isoweekday() - weekday) % 7)


def _check_week(patient: User, week_end: dt.date, now: dt.datetime, window_days: int) -> None:
    today = local_date(now, patient.timezone)
    if week_end > today:
        raise Invalid.field("week_end", _("That week has not ended yet."))
    if week_end < today - dt.timedelta(days=window_days):
        raise Conflict(
            _n(
                "Only a week ending in the last day can be answered.",
                "Only weeks ending in the last {count} days can be answered.",
                window_days,
            )
        )


def _check_answer(answer: ReviewAnswer, figures: WeekFigures) -> None:
    errors: dict[str, list[str]] = {}
    if answer.sessions_done > figures.sessions_planned:
        errors["sessions_done"] = [f"At most {figures.sessions_planned}, the sessions planned."]
    if answer.habits_met > figures.habits_planned:
        errors["habits_met"] = [f"At most {figures.habits_planned}, the habit days planned."]
    if len(set(answer.barriers)) != len(answer.barriers):
        errors["barriers"] = ["Name each only once."]
    if errors:
        raise Invalid(_("Some answers need another look."), errors)


def _locked(session: Session, patient: User, week_end: dt.date) -> WeeklyReview | None:
    return session.scalar(
        select(WeeklyReview)
        .where(WeeklyReview.owner_id == patient.id, WeeklyReview.week_end == week_end)
        .with_for_update(key_share=True)
    )


def _answer_of(review: WeeklyReview) -> ReviewAnswer:
    return ReviewAnswer(
        review.sessions_done,
        review.habits_met,
        tuple(review.barriers),
        review.barrier_note,
        review.confidence,
    )


def _write(review: WeeklyReview, answer: ReviewAnswer, figures: WeekFigures) -> None:
    review.sessions_planned = figures.sessions_planned
    review.sessions_logged = figures.sessions_logged
    review.habits_planned = figures.habits_planned
    review.habits_logged = figures.habits_met
    review.sessions_done = answer.sessions_done
    review.habits_met = answer.habits_met
    review.barriers = list(answer.barriers)
    review.barrier_note = answer.barrier_note
    review.confidence = answer.confidence


def put_review(
    session: Session,
    patient: User,
    week_end: dt.date,
    answer: ReviewAnswer,
    *,
    now: dt.datetime,
    window_days: int,
) -> tuple[WeeklyReview, bool]:
    """Answer a week (created: True), or change the answer; the same answer again changes
    nothing, so racing or retried PUTs of one week make one row and one representation. The
    plan and the logs' figures are taken as they stand when the answer is written."""
    _check_week(patient, week_end, now, window_days)
    figures = week_figures(session, patient, week_end)
    _check_answer(answer, figures)
    # in the list's own order, so the same barriers in another order are the same answer
    barriers = tuple(b for b in BARRIERS if b in answer.barriers)
    answer = dataclasses.replace(answer, barriers=barriers)
    review = _locked(session, patient, week_end)
    if review is None:
        review = WeeklyReview(
            owner_id=patient.id, week_end=week_end, created_at=now, updated_at=now
        )
        _write(review, answer, figures)
        if insert_first(session, review):
            return review, True
        review = _locked(session, patient, week_end)
        assert review is not None  # the racer that created it has committed
    if _answer_of(review) != answer:
        _write(review, answer, figures)
        review.updated_at = now
        session.flush()
    return review, False


def reviews_of(
    session: Session, patient_id: uuid.UUID, start: dt.date, end: dt.date
) -> Sequence[WeeklyReview]:
    """The patient's reviews of weeks ending in the range, oldest first."""
    return session.scalars(
        select(WeeklyReview)
        .where(WeeklyReview.owner_id == patient_id, WeeklyReview.week_end.between(start, end))
        .order_by(WeeklyReview.week_end)
    ).all()


def review_of(session: Session, patient_id: uuid.UUID, week_end: dt.date) -> WeeklyReview | None:
    return session.scalar(
        select(WeeklyReview).where(
            WeeklyReview.owner_id == patient_id, WeeklyReview.week_end == week_end
        )
    )


def barrier_counts(reviews: Sequence[WeeklyReview]) -> dict[str, int]:
    """How often each barrier was named in these reviews (every barrier, zeros included)."""
    counted = Counter(b for review in reviews for b in review.barriers)
    return {barrier: counted[barrier] for barrier in BARRIERS}


# --- when the patient is asked -------------------------------------------------------------


def _rule(weekday: int, time: str) -> dict[str, Any]:
    return {"type": "times", "times": [dt.time.fromisoformat(time)], "weekdays": [weekday]}


def _new_reminder(
    session: Session, patient: User, schedule: WeeklyReviewSchedule, now: dt.datetime
) -> uuid.UUID | None:
    from hep.reminders.rules import create_reminder

    try:
        reminder = create_reminder(
            session,
            patient,
            {
                "label": REMINDER_LABEL,
                "target": {"kind": "review"},
                "rule": _rule(schedule.weekday, schedule.time),
            },
            now,
        )
    except Conflict:
        return None  # at the reminder cap: the check-in is still offered in the app
    return reminder.id


def schedule_of(session: Session, patient: User, now: dt.datetime) -> WeeklyReviewSchedule:
    """The patient's review day and time; on first use Sunday 19:00, with its reminder made
    (once, by whichever racing request creates the row)."""
    schedule = session.get(WeeklyReviewSchedule, patient.id)
    if schedule is not None:
        return schedule
    schedule = WeeklyReviewSchedule(
        user_id=patient.id,
        weekday=DEFAULT_WEEKDAY,
        time=DEFAULT_TIME,
        created_at=now,
        updated_at=now,
    )
    if not insert_first(session, schedule):
        return session.get_one(WeeklyReviewSchedule, patient.id)
    schedule.reminder_id = _new_reminder(session, patient, schedule, now)
    session.flush()
    return schedule


def change_schedule(
    session: Session, patient: User, weekday: int, time: dt.time, remind: bool, now: dt.datetime
) -> WeeklyReviewSchedule:
    """Move the review day and time; its reminder follows, or goes (`remind` False), or comes
    back."""
    from hep.reminders.rules import delete_reminder, update_reminder

    schedule = schedule_of(session, patient, now)
    session.refresh(schedule, with_for_update={"key_share": True})
    schedule.weekday, schedule.time = weekday, time.strftime("%H:%M")
    schedule.updated_at = now
    reminder = session.get(Reminder, schedule.reminder_id) if schedule.reminder_id else None
    if reminder is not None and not remind:
        delete_reminder(session, patient, reminder.id)
        schedule.reminder_id = None
    elif reminder is not None:
        update_reminder(session, patient, reminder.id, {"rule": _rule(weekday, schedule.time)}, now)
    elif remind:
        schedule.reminder_id = _new_reminder(session, patient, schedule, now)
    session.flush()
    return schedule


@export_section
def _export_reviews(session: Session, user: User) -> tuple[str, Any]:
    schedule = session.get(WeeklyReviewSchedule, user.id)
    return "weekly_reviews", {
        "asked_on": None
        if schedule is None
        else {"weekday": schedule.weekday, "time": schedule.time},
        "weeks": [
            {
                "week_end": r.week_end.isoformat(),
                "sessions_planned": r.sessions_planned,
                "sessions_logged": r.sessions_logged,
                "sessions_done": r.sessions_done,
                "habits_planned": r.habits_planned,
                "habits_logged": r.habits_logged,
                "habits_met": r.habits_met,
                "barriers": r.barriers,
                "barrier_note": r.barrier_note,
                "confidence": r.confidence,
                "updated_at": r.updated_at.isoformat(),
            }
            for r in reviews_of(session, user.id, dt.date.min, dt.date.max)
        ],
    }
