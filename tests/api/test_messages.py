"""Messages over HTTP: therapist writes, patient answers, in order; read state per reader; a
size cap and a rate limit; text kept as text; every therapist read logged; a therapist who
left the team can no longer read or write (404)."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from hep.care_team import remove_from_team
from hep.clock import utcnow
from hep.db import db
from hep.messages import MAX_LENGTH, PER_HOUR
from hep.models import Role
from hep.models.reviews import BARRIERS
from hep.questionnaires import MAX_ACTIVITIES, MAX_QUESTIONS
from tests.conftest import Cast


@pytest.fixture
def people(cast: Cast) -> dict[str, Any]:
    lead, colleague = cast.user(Role.THERAPIST, "Dr Lead"), cast.user(Role.THERAPIST, "Dr Two")
    patient = cast.user(Role.PATIENT, "Pat Example")
    cast.link(lead, patient)
    cast.link(colleague, patient)
    return {
        "lead": lead,
        "patient": patient,
        "t": cast.client(lead),
        "t2": cast.client(colleague),
        "p": cast.client(patient),
        "thread": f"/api/patients/{patient.id}/messages",
    }


def write(client, path: str, body: str, status: int = 201) -> dict[str, Any]:
    response = client.put(f"{path}/{uuid.uuid4()}", json={"body": body})
    assert response.status_code == status, response.get_json()
    found: dict[str, Any] = response.get_json()
    return found


def test_the_therapist_writes_the_patient_answers_and_each_reads_their_own_state(people):
    t, t2, p, thread = people["t"], people["t2"], people["p"], people["thread"]
    question = write(t, thread, "How did the stairs go?")
    assert (question["author"], question["from_patient"], question["mine"]) == (
        "Dr Lead",
        False,
        True,
    )
    mine = p.get("/api/messages").get_json()
    assert mine["team"] == ["Dr Lead", "Dr Two"] and mine["can_write"] is True
    assert (mine["unread"], mine["read_up_to"]) == (1, 0)
    assert mine["messages"][0]["mine"] is False
    answer = write(p, "/api/messages", "Fine, <script>alert(1)</script> & no pain")
    assert answer["body"] == "Fine, <script>alert(1)</script> & no pain"  # text, as written

    seen = t2.get(thread).get_json()
    assert [m["body"][:4] for m in seen["messages"]] == ["How ", "Fine"]
    assert seen["unread"] == 2
    assert t.get(thread).get_json()["unread"] == 1  # their own is no news
    read = t.post(f"{thread}/read", json={"up_to": answer["seq"]})
    assert read.get_json() == {"read_up_to": answer["seq"], "unread": 0}
    assert t2.get(thread).get_json()["unread"] == 2
    assert t.get("/api/messages/unread").get_json() == []
    assert t2.get("/api/messages/unread").get_json() == [
        {"patient_id": str(people["patient"].id), "unread": 2}
    ]
    assert p.post("/api/messages/read", json={"up_to": question["seq"]}).get_json()["unread"] == 0
    log = p.get("/api/me/access-log").get_json()
    # a reader reading the same thing within the hour is one entry with its count
    assert sum(e["count"] for e in log if e["action"] == "messages") == 3
    assert "unread messages" in [e["action"] for e in log]


def test_a_retry_is_one_message_and_a_reused_id_with_another_body_a_conflict(people):
    p = people["p"]
    client_id = uuid.uuid4()
    first = p.put(f"/api/messages/{client_id}", json={"body": "Hello"})
    again = p.put(f"/api/messages/{client_id}", json={"body": "Hello"})
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.get_json() == first.get_json()
    assert p.put(f"/api/messages/{client_id}", json={"body": "Hello!"}).status_code == 409
    assert len(p.get("/api/messages").get_json()["messages"]) == 1


@pytest.mark.parametrize(
    "body",
    [
        {"body": ""},
        {"body": "   \n "},
        {"body": "x" * (MAX_LENGTH + 1)},
        {"body": "bell \x07"},
        {"body": 5},
        {},
        {"body": "hi", "html": True},
    ],
)
def test_empty_oversized_or_odd_messages_are_refused(people, body):
    response = people["p"].put(f"/api/messages/{uuid.uuid4()}", json=body)
    assert response.status_code == 422, response.get_json()
    assert set(response.get_json()["errors"]) <= {"body", "html"}


def test_a_writer_is_held_to_so_many_messages_an_hour(people):
    t, thread = people["t"], people["thread"]
    for n in range(PER_HOUR):
        write(t, thread, f"note {n}")
    response = t.put(f"{thread}/{uuid.uuid4()}", json={"body": "one more"})
    assert response.status_code == 429
    assert 0 < int(response.headers["Retry-After"]) <= 3600
    write(people["p"], "/api/messages", "the patient may still answer")


def test_a_therapist_who_left_the_team_can_no_longer_read_or_write(people, cast: Cast):
    t, thread = people["t"], people["thread"]
    write(t, thread, "Before I go")
    remove_from_team(db.session, people["lead"], people["patient"].id, people["lead"].id, utcnow())
    db.session.commit()
    assert t.get(thread).status_code == 404
    assert t.put(f"{thread}/{uuid.uuid4()}", json={"body": "still here?"}).status_code == 404
    assert t.post(f"{thread}/read", json={"up_to": 1}).status_code == 404
    assert t.get("/api/messages/unread").get_json() == []
    # the thread keeps what they wrote, under their name
    kept = people["p"].get("/api/messages").get_json()
    assert [m["author"] for m in kept["messages"]] == ["Dr Lead"]
    assert kept["team"] == ["Dr Two"]
    stranger = cast.client(cast.user(Role.THERAPIST))
    assert stranger.get(thread).status_code == 404


def test_a_patient_without_a_team_reads_but_cannot_write(cast: Cast):
    p = cast.client(cast.user(Role.PATIENT))
    assert p.get("/api/messages").get_json()["can_write"] is False
    assert p.put(f"/api/messages/{uuid.uuid4()}", json={"body": "Anyone?"}).status_code == 409


def test_the_app_takes_its_limits_from_the_server(cast: Cast):
    rules = cast.client(cast.user(Role.PATIENT)).get("/api/me").get_json()["rules"]
    assert rules["conversation"] == {"barriers": list(BARRIERS), "messages_per_hour": PER_HOUR}
    assert rules["fields"]["message"]["body"]["max_length"] == MAX_LENGTH
    assert rules["fields"]["measure_answer"]["activities"]["max_items"] == MAX_ACTIVITIES
    assert rules["fields"]["questionnaire"]["questions"]["max_items"] == MAX_QUESTIONS
    assert rules["fields"]["weekly_review"]["confidence"] == {"min": 0, "max": 10}
