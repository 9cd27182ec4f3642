"""Racing writes where one may win (a sign-up, an invite, a cap) or each must count (a new
program version): the loser gets a 4xx, never a 5xx, and the database holds what it should."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from hep.models import AuthSession, CareLink, Invite, ProgramVersion, PushSubscription, User
from tests.concurrency.harness import Call, Server, no_5xx, subscription
from tests.conftest import PASSWORD
from tests.push_service import free_port

pytestmark = pytest.mark.slow

RACERS = 4


def statuses(answers: list) -> list[int]:
    return sorted(a.status for a in answers)


def test_racing_sign_ups_with_one_email_make_one_account(server: Server):
    for _ in range(3):
        email = f"{uuid.uuid4().hex[:12]}@example.org"
        body = {"email": email, "name": "Pat", "password": PASSWORD}
        answers = server.race([Call("POST", "/api/auth/signup/patient", body)] * RACERS)
        assert no_5xx(answers) == []
        assert statuses(answers) == [201] + [409] * (RACERS - 1), [a.body for a in answers]
        assert server.count(User, User.email == email) == 1


def _invited_patient(server: Server, therapist: str) -> tuple[str, str]:
    """A patient added by the therapist: (patient id, invite code)."""
    body = {"email": f"{uuid.uuid4().hex[:12]}@example.org", "name": "Pat"}
    added = server.ok(Call("POST", "/api/patients", body, therapist), 201)
    return added["patient"]["id"], added["invite"]["url"].rsplit("/", 1)[1]


def test_racing_acceptances_of_one_invite_spend_it_once(server: Server):
    therapist = server.sign_up("therapist")
    for _ in range(3):
        patient_id, code = _invited_patient(server, therapist)
        call = Call("POST", f"/api/invites/{code}/accept", {"password": PASSWORD})
        answers = server.race([call] * RACERS)
        assert no_5xx(answers) == []
        assert statuses(answers) == [200] + [404] * (RACERS - 1), [a.body for a in answers]
        patient = uuid.UUID(patient_id)
        assert server.count(AuthSession, AuthSession.user_id == patient) == 1
        assert server.count(Invite, Invite.patient_id == patient, Invite.used_at.is_not(None)) == 1


def test_racing_resent_invites_leave_one_link_working(server: Server):
    therapist = server.sign_up("therapist")
    open_ = (Invite.used_at.is_(None), Invite.revoked_at.is_(None))
    for _ in range(5):
        patient_id, _ = _invited_patient(server, therapist)
        call = Call("POST", f"/api/patients/{patient_id}/invite", None, therapist)
        answers = server.race([call] * RACERS)
        assert no_5xx(answers) == []
        assert statuses(answers) == [201] * RACERS
        assert server.count(Invite, Invite.patient_id == uuid.UUID(patient_id), *open_) == 1


def test_racing_edits_of_one_program_each_make_a_new_version(server: Server):
    therapist = server.sign_up("therapist")
    patient_id, _ = _invited_patient(server, therapist)
    exercise = server.ok(Call("GET", "/api/exercises", None, therapist))[0]["id"]
    spec = {
        "title": "Neck",
        "start_date": str(dt.datetime.now(dt.UTC).date()),
        "items": [{"exercise_id": exercise}],
    }
    path = f"/api/patients/{patient_id}/programs"
    program = server.ok(Call("POST", path, spec, therapist), 201)["id"]
    edits = [
        Call("POST", f"/api/programs/{program}/versions", spec | {"title": f"Neck {n}"}, therapist)
        for n in range(RACERS)
    ]
    answers = server.race(edits)
    assert no_5xx(answers) == []
    assert statuses(answers) == [201] * RACERS, [a.body for a in answers]
    assert sorted(a.json()["version"] for a in answers) == [2, 3, 4, 5]
    assert server.count(ProgramVersion) == RACERS + 1


def test_racing_subscriptions_stop_at_the_device_cap(server: Server):
    cookie = server.sign_up()
    port = free_port()
    for _ in range(8):
        server.ok(Call("POST", "/api/push/subscriptions", subscription(port), cookie), 201)
    calls = [
        Call("POST", "/api/push/subscriptions", subscription(port), cookie) for _ in range(RACERS)
    ]
    answers = server.race(calls)
    assert no_5xx(answers) == []
    assert statuses(answers) == [201, 201, 409, 409], [a.body for a in answers]
    assert server.count(PushSubscription) == 10


def test_racing_acceptances_of_one_link_request_make_one_link(server: Server):
    therapist = server.sign_up("therapist")
    for _ in range(3):
        email = f"{uuid.uuid4().hex[:12]}@example.org"
        patient = server.sign_up("patient", email=email)
        server.ok(Call("POST", "/api/patients", {"email": email, "name": "Pat"}, therapist), 201)
        [request] = server.ok(Call("GET", "/api/me/link-requests", None, patient))
        call = Call("POST", f"/api/me/link-requests/{request['id']}/accept", None, patient)
        answers = server.race([call] * RACERS)
        assert no_5xx(answers) == []
        assert statuses(answers) == [200] + [404] * (RACERS - 1), [a.body for a in answers]
        me = server.ok(Call("GET", "/api/me", None, patient))
        links = (CareLink.patient_id == uuid.UUID(me["id"]), CareLink.ended_at.is_(None))
        assert server.count(CareLink, *links) == 1
        assert server.count(CareLink, *links, CareLink.is_lead) == 1
