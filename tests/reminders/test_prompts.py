"""Reminders that ask: the weekly check-in's reminder is sent in a week with something
planned and not yet answered, and leads to the check-in; a questionnaire's reminder asks on
the due date and once more three days on, unless answered. Neither one's "Done" logs
anything."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from flask import Flask
from sqlalchemy import select

from hep.db import Database, db
from hep.habits import add_starter
from hep.measures import PlanSpec, assign_plan, put_response
from hep.models import NotificationSettings, Occurrence, Reminder, Role, User
from hep.push.payload import reminder_payload
from hep.questionnaires import MeasureAnswer
from hep.reminders.batches import decide_batch
from hep.reminders.claims import claim_reminders
from hep.reminders.dispatch import run_once
from hep.reminders.occurrences import mark_done
from hep.reminders.passes import DispatchSettings, TickReport
from hep.weekly_reviews import ReviewAnswer, put_review, schedule_of
from tests.conftest import Cast
from tests.mail.conftest import mail  # noqa: F401  (the fixture)
from tests.mail_server import MailServer
from tests.reminders.test_decisions import dispatch_settings, outcomes, patient  # noqa: F401

# Sunday 8 March 2026, 19:00 in Berlin (winter time) is 18:00 UTC
SUNDAY_EVENING = dt.datetime(2026, 3, 8, 18, 0, 30, tzinfo=dt.UTC)
MONDAY = dt.datetime(2026, 3, 2, 6, 0, tzinfo=dt.UTC)


def decide(app: Flask, now: dt.datetime) -> list[Any]:
    """Claim and decide what is due; the messages that would go out."""
    settings: DispatchSettings = dispatch_settings(app)
    factory = Database.sessionmaker(app)
    channels = [channel.open() for channel in settings.channels]
    messages = []
    while True:
        with factory() as session:
            ids = claim_reminders(session, now, settings)
            if not ids:
                return messages
            ready = decide_batch(session, ids, now, settings, channels, TickReport())
            messages += [out.message for outs in ready.values() for out in outs]


def weekly(owner: User, *, habit: bool = True) -> Reminder:
    if habit:
        add_starter(db.session, owner, "water", MONDAY - dt.timedelta(days=14))
    schedule = schedule_of(db.session, owner, MONDAY)
    db.session.commit()
    return db.session.get_one(Reminder, schedule.reminder_id)


def test_the_weekly_check_in_is_asked_for_and_leads_to_it(app, patient):  # noqa: F811
    weekly(patient)
    [message] = decide(app, SUNDAY_EVENING)
    assert outcomes() == ["sent"]
    assert message.kind == "review"
    assert message.link == "http://localhost/#/weekly-review"
    shown = json.loads(
        reminder_payload(
            occurrence_id=message.key,
            reminder_id=message.reminder_id,
            kind=message.kind,
            navigate_url=message.link,
        )
    )["notification"]
    assert (shown["title"], shown["body"]) == (
        "Time for your weekly check-in",
        "Tap to look back on your week.",
    )


def test_an_answered_week_is_not_asked_for_again(app, patient):  # noqa: F811
    weekly(patient)
    answer = ReviewAnswer(0, 7, (), "", 8)
    put_review(db.session, patient, dt.date(2026, 3, 8), answer, now=SUNDAY_EVENING, window_days=7)
    db.session.commit()
    assert decide(app, SUNDAY_EVENING) == []
    assert outcomes() == ["done"]


def test_a_week_with_nothing_planned_is_not_asked_about(app, patient):  # noqa: F811
    weekly(patient, habit=False)
    assert decide(app, SUNDAY_EVENING) == []
    assert outcomes() == ["not_due"]


def test_a_questionnaire_is_asked_on_its_day_and_once_more_unless_answered(
    app,
    cast: Cast,
    patient,  # noqa: F811
):
    therapist = cast.user(Role.THERAPIST)
    cast.link(therapist, patient)
    plan = assign_plan(db.session, therapist, patient.id, PlanSpec("nprs", None, 2, None), MONDAY)
    db.session.commit()
    reminder = db.session.scalars(select(Reminder).where(Reminder.target_kind == "measure")).one()
    # 18:00 in Berlin, Monday the 2nd to Thursday the 5th
    for day in range(4):
        evening = dt.datetime(2026, 3, 2 + day, 17, 0, 30, tzinfo=dt.UTC)
        messages = decide(app, evening)
        if day == 0:
            assert [(m.kind, m.link) for m in messages] == [
                ("measure", "http://localhost/#/measures")
            ]
        if day == 2:
            db.session.rollback()  # a new snapshot: the dispatcher wrote meanwhile
            put_response(
                db.session,
                patient,
                plan.id,
                dt.date(2026, 3, 2),
                MeasureAnswer(score=4),
                now=evening,
            )
            db.session.commit()
    assert outcomes() == ["sent", "not_due", "not_due", "done"]
    assert reminder.id


def test_done_on_a_reminder_that_asks_logs_nothing(app, patient):  # noqa: F811
    reminder = weekly(patient)
    decide(app, SUNDAY_EVENING)
    db.session.rollback()  # a new snapshot: the dispatcher wrote meanwhile
    occurrence = db.session.scalars(select(Occurrence)).one()
    # the water habit is due that day; the weekly check-in's "Done" must not tick it
    logged = mark_done(db.session, patient, occurrence.id, now=SUNDAY_EVENING, window_days=7)
    assert logged == [] and occurrence.reminder_id == reminder.id


def test_by_mail_a_reminder_that_asks_links_to_its_page_and_offers_no_done(
    app,
    cast: Cast,
    mail: MailServer,  # noqa: F811
):
    owner = cast.user(Role.PATIENT, "Hidden Name", timezone="Europe/Berlin")
    db.session.get_one(User, owner.id).email_verified_at = MONDAY
    settings = db.session.get_one(NotificationSettings, owner.id)
    settings.email_reminders = "always"
    settings.email_digest_times = "19:00"  # the reminder's time: mailed as it is due
    db.session.commit()
    weekly(owner)
    run_once(Database.sessionmaker(app), SUNDAY_EVENING, DispatchSettings.from_app(app))
    [letter] = mail.for_address(owner.email)
    text = letter.get_body(("plain",)).get_content()
    assert "your weekly check-in" in text
    assert "Answer it: http://localhost/#/weekly-review" in text
    assert "/mail/done" not in letter.as_string() and "Hidden" not in letter.as_string()
