"""A phone retrying on a second connection: racing idempotent writes and first-use rows make
one row, and every racer gets the same answer (one 201, the rest 200), never a 5xx."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from hep.models import (
    CheckIn,
    CheckInEdit,
    NotificationSettings,
    Occurrence,
    PainEntry,
    PushSubscription,
    Reminder,
)
from tests.concurrency.harness import Call, Server, no_5xx, one_creator, subscription
from tests.push_service import free_port

pytestmark = pytest.mark.slow

RACERS = 4
ROUNDS = 3


def yesterday() -> dt.date:
    # inside the edit window whichever side of midnight the server reads its clock
    return dt.datetime.now(dt.UTC).date() - dt.timedelta(days=1)


def test_racing_puts_of_one_new_check_in_make_one_row_and_one_answer(server: Server):
    cookie = server.sign_up()
    habit = server.habit(cookie)
    for n in range(ROUNDS):
        client_id = uuid.uuid4()
        body = {"habit_id": habit, "local_date": str(yesterday()), "state": "done", "note": f"{n}"}
        answers = server.race([Call("PUT", f"/api/check-ins/{client_id}", body, cookie)] * RACERS)
        one_creator(answers)
        assert answers[0].json()["note"] == f"{n}"
        assert server.count(CheckIn, CheckIn.client_id == client_id) == 1
    # one "create" in the edit trail per check-in: a replay writes nothing
    assert server.count(CheckInEdit) == ROUNDS


def test_racing_first_puts_of_a_days_pain_make_one_entry(server: Server):
    cookie = server.sign_up()
    for n in range(ROUNDS):
        day = yesterday() - dt.timedelta(days=n)
        body = {"score": 4, "regions": ["neck"], "note": "stiff"}
        one_creator(server.race([Call("PUT", f"/api/pain/{day}", body, cookie)] * RACERS))
        assert server.count(PainEntry, PainEntry.local_date == day) == 1


def test_the_first_reads_of_notification_settings_make_one_row(server: Server):
    for n in range(ROUNDS):
        cookie = server.sign_up()
        answers = server.race([Call("GET", "/api/me/notification-settings", None, cookie)] * 4)
        one_creator(answers, created=200)
        assert server.count(NotificationSettings) == n + 1


def test_the_first_changes_of_notification_settings_make_one_row(server: Server):
    for n in range(ROUNDS):
        cookie = server.sign_up()
        body = {"daily_cap": 3, "quiet_start": "22:00", "quiet_end": "07:00"}
        call = Call("PATCH", "/api/me/notification-settings", body, cookie)
        answers = server.race([call] * RACERS)
        one_creator(answers, created=200)
        assert answers[0].json()["daily_cap"] == 3
        assert server.count(NotificationSettings) == n + 1


def test_racing_subscriptions_of_one_endpoint_make_one_row(server: Server):
    cookie = server.sign_up()
    port = free_port()
    for n in range(ROUNDS):
        body = subscription(port)
        one_creator(server.race([Call("POST", "/api/push/subscriptions", body, cookie)] * RACERS))
        assert server.count(PushSubscription) == n + 1


def test_racing_taps_on_done_log_each_entry_once(server: Server):
    """ "Done" on a push, tapped twice (or retried): check-in ids derive from the occurrence."""
    cookie = server.sign_up()
    habit = server.habit(cookie)
    rule = {"type": "times", "times": ["08:00"]}
    body = {"target": {"kind": "habit", "habit_id": habit}, "rule": rule}
    reminder = server.ok(Call("POST", "/api/reminders", body, cookie), 201)
    for _ in range(ROUNDS):
        occurrence = _occurrence(server, uuid.UUID(reminder["id"]))
        calls = [Call("POST", f"/api/notifications/{occurrence}/done", None, cookie)] * RACERS
        answers = server.race(calls)
        assert no_5xx(answers) == []
        assert {a.status for a in answers} == {200}, [a.body for a in answers]
        # the habit is logged once, whichever tap did it
        assert server.count(CheckIn, CheckIn.deleted_at.is_(None)) == 1
        server.ok(Call("DELETE", f"/api/check-ins/{_only_check_in(server)}", None, cookie), 204)


def _occurrence(server: Server, reminder_id: uuid.UUID) -> uuid.UUID:
    """A pushed occurrence of the reminder for yesterday, as the dispatcher records it."""
    with server.engine.begin() as connection:
        owner = (
            connection.execute(Reminder.__table__.select().where(Reminder.id == reminder_id))
            .one()
            .owner_id
        )
        fire_at = dt.datetime.combine(yesterday(), dt.time(8), tzinfo=dt.UTC)
        found = uuid.uuid4()
        connection.execute(
            Occurrence.__table__.insert().values(
                id=found,
                reminder_id=reminder_id,
                owner_id=owner,
                fire_at=fire_at + dt.timedelta(seconds=server.count(Occurrence)),
                local_date=yesterday(),
                outcome="sent",
                push_id=found,
                decided_at=fire_at,
            )
        )
    return found


def _only_check_in(server: Server) -> uuid.UUID:
    with server.engine.connect() as connection:
        return (
            connection.execute(CheckIn.__table__.select().where(CheckIn.deleted_at.is_(None)))
            .one()
            .client_id
        )
