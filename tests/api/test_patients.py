"""GET /api/patients narrowed: a search by a part of the name or email (any case) and an
attention reason, paged and ordered like the whole list, in one statement that reaches the
patients through the care links' index (never a scan of every account)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator

import pytest
from flask.testing import FlaskClient
from sqlalchemy import event, text

from hep import caseload
from hep.db import db
from hep.models import Role, User
from tests.conftest import Cast


@pytest.fixture
def desk(cast: Cast) -> Iterator[tuple[FlaskClient, dict[str, User]]]:
    therapist = cast.user(Role.THERAPIST)
    people = {}
    for name, email in [
        ("Ann Avery", "ann@example.org"),
        ("Joanna Park", "jp@example.org"),
        ("Bo Berg", "bo.annex@example.org"),
        ("Cy Chen", "cy@example.org"),
    ]:
        people[name] = cast.user(Role.PATIENT, name, email=email)
        cast.link(therapist, people[name])
    stranger = cast.user(Role.PATIENT, "Anna Elsewhere")
    cast.link(cast.user(Role.THERAPIST), stranger)
    yield cast.client(therapist), people


def names(client: FlaskClient, query: str) -> list[str]:
    r = client.get(f"/api/patients{query}")
    assert r.status_code == 200, r.get_json()
    return [p["name"] for p in r.get_json()]


def test_a_search_finds_a_part_of_the_name_or_email_in_any_case(desk):
    client, _ = desk
    assert names(client, "?q=ANN") == ["Ann Avery", "Bo Berg", "Joanna Park"]
    assert names(client, "?q=park") == ["Joanna Park"]
    assert names(client, "?q=%25") == []  # a wildcard is searched for as written
    assert names(client, "?q=ann&page=2&page_size=2") == ["Joanna Park"]


def test_a_reason_keeps_the_patients_it_holds_for(desk, cast: Cast):
    client, people = desk
    ann = people["Ann Avery"]
    today = dt.datetime.now(dt.UTC).date().isoformat()
    habit = cast.client(ann).post("/api/habits", json={"kind": "stress", "name": "Calm"})
    cast.client(ann).put(
        f"/api/check-ins/{uuid.uuid4()}",
        json={"habit_id": habit.get_json()["id"], "local_date": today, "state": "done"},
    )
    silent = names(client, "?reason=not%20logging")
    assert "Ann Avery" not in silent and {"Bo Berg", "Cy Chen"} <= set(silent)
    assert names(client, "?reason=not%20logging&q=cy") == ["Cy Chen"]
    r = client.get("/api/patients?reason=grumpy")
    assert r.status_code == 422 and "reason" in r.get_json()["errors"]


@pytest.fixture
def plan() -> Iterator[list[str]]:
    """The plan of the next statement run, instead of its rows."""
    sqlite = db.engine.dialect.name == "sqlite"
    lines: list[str] = []

    def explain(conn, cursor, statement, parameters, context, executemany):
        return ("EXPLAIN QUERY PLAN " if sqlite else "EXPLAIN ") + statement, parameters

    connection = db.session.connection()
    if not sqlite:  # tables this small would be scanned whole: ask what it would use
        connection.execute(text("SET LOCAL enable_seqscan = off"))
    event.listen(db.engine, "before_cursor_execute", explain, retval=True)
    try:
        yield lines
    finally:
        event.remove(db.engine, "before_cursor_execute", explain)
        db.session.rollback()


def test_the_narrowed_page_reaches_patients_through_the_care_links_index(desk, plan):
    page = caseload._page("therapist", False, True, "not logging")
    params = {
        "scope_id": uuid.uuid4(),
        "now": dt.datetime.now(dt.UTC),
        "offset": 0,
        "limit": 50,
        "pattern": "%ann%",
    }
    result = db.session.connection().execute(page, params)
    plan.extend(" ".join(str(part) for part in row) for row in result.cursor.fetchall())
    said = "\n".join(plan)
    assert "uq_care_links_active_pair" in said, said
    assert "SCAN users" not in said and "Seq Scan on users" not in said, said
