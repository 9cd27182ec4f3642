"""Load: fifty phones logging check-ins for half a minute, half of them retrying each one at
once on a second connection (and some again later): no 5xx, nothing lost, nothing twice."""

from __future__ import annotations

import datetime as dt
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import pytest
from sqlalchemy import select

from hep.models import CheckIn, CheckInEdit
from tests.concurrency.harness import Answer, Call, Server

pytestmark = pytest.mark.slow

PHONES = 50
SECONDS = 30


@dataclass
class Phone:
    cookie: str
    habit: str
    # client id -> the body the server acknowledged (200/201)
    acknowledged: dict[uuid.UUID, dict[str, Any]] = field(default_factory=dict)
    created: Counter[uuid.UUID] = field(default_factory=Counter)
    statuses: Counter[int] = field(default_factory=Counter)
    sent: set[uuid.UUID] = field(default_factory=set)

    def record(self, client_id: uuid.UUID, body: dict[str, Any], answer: Answer) -> None:
        self.statuses[answer.status] += 1
        if answer.status in (200, 201):
            self.acknowledged[client_id] = body
        if answer.status == 201:
            self.created[client_id] += 1


def _phone(server: Server, _: int) -> Phone:
    cookie = server.sign_up()
    return Phone(cookie, server.habit(cookie))


def _use(server: Server, phone: Phone, number: int, deadline: float) -> Phone:
    day = str(dt.datetime.now(dt.UTC).date() - dt.timedelta(days=1))
    i = 0
    while time.monotonic() < deadline:
        client_id = uuid.uuid4()
        body = {
            "habit_id": phone.habit,
            "local_date": day,
            "state": ("done", "partial")[i % 2],
            "note": f"phone {number} check-in {i}",
        }
        call = Call("PUT", f"/api/check-ins/{client_id}", body, phone.cookie)
        phone.sent.add(client_id)
        if i % 2:
            # the retry races the first try on a second connection
            first, second = server.connect(), server.connect()
            try:
                server.start(first, call)
                server.start(second, call)
                answers = [server.finish(first), server.finish(second)]
            finally:
                first.close()
                second.close()
        else:
            answers = [server.call(call)]
            if i % 3 == 0:  # the answer was lost: a plain replay later
                answers.append(server.call(call))
        for answer in answers:
            phone.record(client_id, body, answer)
        i += 1
    return phone


def test_fifty_phones_retrying_on_second_connections_lose_and_duplicate_nothing(
    server: Server,
):
    with ThreadPoolExecutor(8) as pool:
        phones = list(pool.map(lambda n: _phone(server, n), range(PHONES)))
    deadline = time.monotonic() + SECONDS
    with ThreadPoolExecutor(PHONES) as pool:
        done = list(pool.map(lambda n: _use(server, phones[n], n, deadline), range(PHONES)))

    statuses = sum((p.statuses for p in done), Counter())
    assert {s: n for s, n in statuses.items() if s >= 500} == {}
    assert set(statuses) <= {200, 201}, statuses
    sent = {i for p in done for i in p.sent}
    acknowledged = {i: b for p in done for i, b in p.acknowledged.items()}
    assert set(acknowledged) == sent  # every check-in got its answer
    created = sum((p.created for p in done), Counter())
    assert set(created) == sent and set(created.values()) == {1}  # one creator each

    with server.engine.connect() as connection:
        rows = connection.execute(
            select(CheckIn.client_id, CheckIn.habit_id, CheckIn.state, CheckIn.note)
        ).all()
        creates = connection.execute(
            select(CheckInEdit.check_in_id).where(CheckInEdit.action == "create")
        ).all()
    stored = {r.client_id: r for r in rows}
    assert len(rows) == len(stored) == len(sent)  # none duplicated
    lost = [i for i, body in acknowledged.items() if i not in stored]
    assert lost == []
    differs = [
        i
        for i, body in acknowledged.items()
        if (str(stored[i].habit_id), stored[i].state, stored[i].note)
        != (body["habit_id"], body["state"], body["note"])
    ]
    assert differs == []
    assert len(creates) == len(rows)  # one "create" in the edit trail each
    print(f"\nload: {len(sent)} check-ins, {sum(statuses.values())} answers {dict(statuses)}")
