"""Racing taps on one step proposal, through gunicorn on both engines: however many apply it
at once, the program gets exactly one new version and every tap the same answer; applying
and dismissing at once settle on one of the two."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from sqlalchemy import select

from hep.models import Exercise, ProgramVersion
from tests.concurrency.harness import Call, Server, no_5xx
from tests.conftest import PASSWORD

pytestmark = pytest.mark.slow

RACERS = 4


def _proposal(server: Server, therapist: str, patient_id: str, patient: str) -> tuple[str, str]:
    """A program whose one item steps back on one painful session, and that session logged:
    (program id, the proposal's id)."""
    with server.engine.connect() as connection:
        hard, easy = connection.execute(
            select(Exercise.id).where(Exercise.slug.is_not(None)).order_by(Exercise.name).limit(2)
        ).scalars()
    today = str(dt.datetime.now(dt.UTC).date())
    item = {
        "exercise_id": str(hard),
        "previous_step": {"exercise_id": str(easy)},
        "step_rules": {"regress_pain": 5, "regress_sessions": 1, "regress_window": 1},
    }
    spec = {"title": "Back", "start_date": today, "items": [item]}
    program = server.ok(Call("POST", f"/api/patients/{patient_id}/programs", spec, therapist), 201)
    key = program["items"][0]["item_key"]
    body = {"item_key": key, "local_date": today, "state": "done", "pain": 8}
    server.ok(Call("PUT", f"/api/check-ins/{uuid.uuid4()}", body, patient), 201)
    found = server.ok(Call("GET", f"/api/patients/{patient_id}/proposals", None, therapist))
    assert [p["direction"] for p in found] == ["regress"]
    return program["id"], found[0]["id"]


def test_racing_taps_on_a_proposal_make_exactly_one_version(server: Server):
    therapist = server.sign_up("therapist")
    body = {"email": f"{uuid.uuid4().hex[:12]}@example.org", "name": "Pat"}
    added = server.ok(Call("POST", "/api/patients", body, therapist), 201)
    patient_id, code = added["patient"]["id"], added["invite"]["url"].rsplit("/", 1)[1]
    patient = server.call(Call("POST", f"/api/invites/{code}/accept", {"password": PASSWORD}))
    assert patient.status == 200, patient.body
    for _ in range(2):
        program, proposal = _proposal(server, therapist, patient_id, patient.cookie)
        apply = Call("POST", f"/api/proposals/{proposal}/apply", None, therapist)
        answers = server.race([apply] * RACERS)
        assert no_5xx(answers) == []
        assert [a.status for a in answers] == [200] * RACERS
        assert len({a.body for a in answers}) == 1, [a.body for a in answers]
        assert answers[0].json()["applied_version"] == 2
        versions = (ProgramVersion.program_id == uuid.UUID(program),)
        assert server.count(ProgramVersion, *versions) == 2
    # applying and dismissing at once: one of them wins, the other is refused
    program, proposal = _proposal(server, therapist, patient_id, patient.cookie)
    dismiss = Call("POST", f"/api/proposals/{proposal}/dismiss", {"note": "no"}, therapist)
    apply = Call("POST", f"/api/proposals/{proposal}/apply", None, therapist)
    answers = server.race([apply, dismiss] * (RACERS // 2))
    assert no_5xx(answers) == []
    statuses = sorted(a.status for a in answers)
    assert statuses == [200] * (RACERS // 2) + [409] * (RACERS // 2), statuses
    won = answers[0].json()["status"] if answers[0].status == 200 else answers[1].json()["status"]
    created = server.count(ProgramVersion, ProgramVersion.program_id == uuid.UUID(program))
    assert created == (2 if won == "applied" else 1)
