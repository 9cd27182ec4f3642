"""Email reminder digests: an email reminder waits for the patient's next digest time, one
mail lists the reminders since the last one, what was done (or paused) meanwhile is left out,
grouped reminders count once, and a digest time in quiet hours waits for their end."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from email.message import EmailMessage
from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from sqlalchemy import select

from hep.checkins import put_check_in
from hep.db import Database, db
from hep.habits import add_starter
from hep.mail.links import MailLinks
from hep.models import Delivery, Habit, NotificationSettings, Occurrence, Reminder, Role, User
from hep.reminders.digests import choose_times, next_digest
from hep.reminders.dispatch import run_once
from hep.reminders.occurrences import mark_done
from hep.reminders.passes import DispatchSettings, TickReport
from hep.reminders.rules import create_reminder
from hep.reminders.schedule import QuietHours
from tests.conftest import Cast
from tests.mail.conftest import mail  # noqa: F401  (the fixture)
from tests.mail_server import MailServer
from tests.reminders.test_decisions import times_rule

BERLIN = ZoneInfo("Europe/Berlin")
MONDAY = dt.datetime(2026, 3, 2, 6, 0, tzinfo=dt.UTC)  # 07:00 in Berlin


def local(hour: int, minute: int = 0, second: int = 0, day: int = 2) -> dt.datetime:
    """A moment of March 2026 on Berlin's clock, in UTC."""
    return dt.datetime(2026, 3, day, hour, minute, second, tzinfo=BERLIN).astimezone(dt.UTC)


@pytest.fixture
def patient(cast: Cast) -> User:
    """A patient whose phone gets no pushes and who chose email reminders (08:00 and 18:00,
    quiet 22:00-07:00: the defaults)."""
    user = cast.user(Role.PATIENT, "Hidden Name", timezone="Europe/Berlin")
    db.session.get_one(User, user.id).email_verified_at = MONDAY
    db.session.get_one(NotificationSettings, user.id).email_reminders = "fallback"
    db.session.commit()
    return user


def remind(patient: User, time: str, habit: Habit | None = None) -> Reminder:
    target = {"kind": "habit", "habit_id": habit.id} if habit else {"kind": "none"}
    reminder = create_reminder(
        db.session, patient, {"rule": times_rule(time), "target": target}, MONDAY
    )
    db.session.commit()
    return reminder


def dispatch(app: Flask, now: dt.datetime) -> TickReport:
    report = run_once(Database.sessionmaker(app), now, DispatchSettings.from_app(app))
    db.session.rollback()  # read what the pass committed
    return report


def log_done(patient: User, habit: Habit, now: dt.datetime) -> None:
    put_check_in(
        db.session,
        patient,
        uuid.uuid4(),
        {"habit_id": habit.id, "local_date": now.astimezone(BERLIN).date(), "state": "done"},
        now=now,
        window_days=7,
    )
    db.session.commit()


def listed(letter: EmailMessage) -> list[str]:
    """The reminders a mail lists, as "HH:MM: what"."""
    text = letter.get_body(("plain",)).get_content()
    return re.findall(r"^- (.+)$", text, flags=re.M)


def outcomes() -> list[str]:
    return list(db.session.scalars(select(Occurrence.outcome).order_by(Occurrence.fire_at)))


def test_an_email_reminder_waits_for_the_next_digest_time(
    app: Flask,
    patient: User,
    mail: MailServer,  # noqa: F811
):
    remind(patient, "10:00")
    report = dispatch(app, local(10, 0, 5))
    assert report.outcomes["sent"] == 1 and report.sent == 0
    assert mail.for_address(patient.email) == []
    delivery = db.session.scalars(select(Delivery)).one()
    assert (delivery.channel, delivery.status) == ("email", "pending")
    assert delivery.next_attempt_at == local(18)

    dispatch(app, local(17, 59))
    assert mail.for_address(patient.email) == []
    report = dispatch(app, local(18, 0, 5))
    assert report.sent == 1
    [letter] = mail.for_address(patient.email)
    assert listed(letter) == ["Mon 10:00: a reminder"]
    assert "Hidden" not in letter.as_string()
    db.session.refresh(delivery)
    assert delivery.status == "sent"


def test_one_mail_lists_the_reminders_since_the_last_digest_and_leaves_out_what_was_done(
    app: Flask,
    patient: User,
    mail: MailServer,  # noqa: F811
):
    water = add_starter(db.session, patient, "water", MONDAY)
    remind(patient, "09:00", water)
    remind(patient, "12:00")
    remind(patient, "15:00")
    for hour in (9, 12, 15):
        dispatch(app, local(hour, 0, 5))
    log_done(patient, water, local(16))
    dispatch(app, local(18, 0, 5))

    [letter] = mail.for_address(patient.email)
    assert listed(letter) == ["Mon 12:00: a reminder", "Mon 15:00: a reminder"]
    text = letter.get_body(("plain",)).get_content()
    assert len(re.findall(r"Mark as done: http://localhost/mail/done", text)) == 2
    statuses = db.session.scalars(
        select(Delivery.status).join(Occurrence).order_by(Occurrence.fire_at)
    ).all()
    assert statuses == ["dropped", "sent", "sent"]
    # the history says why the first was not sent after all
    assert outcomes() == ["done", "sent", "sent"]


def test_a_digest_with_everything_done_sends_nothing(
    app: Flask,
    patient: User,
    mail: MailServer,  # noqa: F811
):
    water = add_starter(db.session, patient, "water", MONDAY)
    remind(patient, "10:00", water)
    dispatch(app, local(10, 0, 5))
    log_done(patient, water, local(11))
    report = dispatch(app, local(18, 0, 5))
    assert report.sent == 0 and mail.for_address(patient.email) == []
    delivery = db.session.scalars(select(Delivery)).one()
    assert (delivery.status, delivery.last_error) == ("dropped", "done")


def test_grouped_reminders_count_once_and_the_one_still_open_is_told(
    app: Flask,
    patient: User,
    mail: MailServer,  # noqa: F811
):
    habits = {
        add_starter(db.session, patient, kind, MONDAY).id: kind for kind in ("water", "downtime")
    }
    for habit_id in habits:
        remind(patient, "10:00", db.session.get_one(Habit, habit_id))
    dispatch(app, local(10, 0, 5))
    assert sorted(outcomes()) == ["grouped", "sent"]
    carrier = db.session.scalars(select(Occurrence).where(Occurrence.outcome == "sent")).one()
    told = db.session.get_one(Reminder, carrier.reminder_id).habit_id
    assert told is not None
    log_done(patient, db.session.get_one(Habit, told), local(11))

    dispatch(app, local(18, 0, 5))
    [letter] = mail.for_address(patient.email)
    assert listed(letter) == ["Mon 10:00: a habit"]
    # its "done" is the other habit's: the one still open
    link = re.search(r"/mail/done\?t=(\S+)", letter.get_body(("plain",)).get_content())
    assert link
    occurrence_id = MailLinks.from_config(app.config).read_done(link.group(1))
    assert occurrence_id is not None
    logged = mark_done(db.session, patient, occurrence_id, now=local(18, 1), window_days=7)
    assert [entry["habit_id"] for entry in logged] == [(set(habits) - {told}).pop()]


def test_a_digest_time_in_quiet_hours_waits_for_their_end(
    app: Flask,
    patient: User,
    mail: MailServer,  # noqa: F811
):
    settings = db.session.get_one(NotificationSettings, patient.id)
    settings.email_digest_times = "06:00,12:00"
    db.session.commit()
    remind(patient, "19:00")
    dispatch(app, local(19, 0, 5))
    delivery = db.session.scalars(select(Delivery)).one()
    assert delivery.next_attempt_at == local(7, day=3)  # not 06:00: quiet until 07:00
    dispatch(app, local(6, 0, 5, day=3))
    assert mail.for_address(patient.email) == []
    dispatch(app, local(7, 0, 5, day=3))
    [letter] = mail.for_address(patient.email)
    assert listed(letter) == ["Mon 19:00: a reminder"]


def test_new_digest_times_move_the_reminders_waiting(
    app: Flask,
    patient: User,
    mail: MailServer,  # noqa: F811
):
    remind(patient, "10:00")
    dispatch(app, local(10, 0, 5))
    user = db.session.get_one(User, patient.id)
    settings = db.session.get_one(NotificationSettings, patient.id)
    choose_times(db.session, user.id, user.timezone, settings, [dt.time(13)], local(11))
    db.session.commit()
    delivery = db.session.scalars(select(Delivery)).one()
    assert delivery.next_attempt_at == local(13)
    # a time already past today sends at the next pass
    choose_times(db.session, user.id, user.timezone, settings, [dt.time(10, 30)], local(11))
    db.session.commit()
    db.session.refresh(delivery)
    assert delivery.next_attempt_at == local(11)
    dispatch(app, local(11, 0, 5))
    assert len(mail.for_address(patient.email)) == 1


def test_the_next_digest_is_at_or_after_the_reminder_and_out_of_quiet_hours():
    times = (dt.time(8), dt.time(18))
    quiet = QuietHours(dt.time(22), dt.time(7))
    assert next_digest(times, quiet, BERLIN, local(8)) == local(8)
    assert next_digest(times, quiet, BERLIN, local(8, 0, 1)) == local(18)
    assert next_digest(times, None, BERLIN, local(20)) == local(8, day=3)
    late = (dt.time(23), dt.time(18))
    assert next_digest(late, quiet, BERLIN, local(19)) == local(7, day=3)
    # the spring-forward night (29 March): 02:30 does not exist and fires shifted by the gap
    assert next_digest((dt.time(2, 30),), None, BERLIN, local(1, day=29)) == dt.datetime(
        2026, 3, 29, 1, 30, tzinfo=dt.UTC
    )
