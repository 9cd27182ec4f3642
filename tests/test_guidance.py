"""Guidance the moment high pain is logged (hep.guidance): in the program's words, else the
clinic's, else hep's; only at or above the patient's threshold; the same on every replay."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import select

from hep.clinics import clinics_of
from hep.db import db
from hep.guidance import DEFAULT_ADVICE, TEAM_TOLD
from hep.models import Exercise, Role
from hep.programs import prescribe, view
from tests.conftest import Cast


def ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.get_json()
    return response.get_json()


def test_high_pain_answers_with_what_to_do_in_the_clinics_words(cast: Cast):
    therapist, patient = cast.user(Role.THERAPIST), cast.user(Role.PATIENT)
    cast.link(therapist, patient)
    today = dt.datetime.now(dt.UTC).date()
    exercise = db.session.scalar(select(Exercise.id).limit(1))
    program = prescribe(
        db.session,
        therapist,
        patient.id,
        {"title": "P", "start_date": today, "items": [{"exercise_id": exercise}]},
        dt.datetime.now(dt.UTC),
    )
    db.session.commit()
    key = str(view(db.session, program).items[0][0].item_key)
    phone = cast.client(patient)

    def check_in(pain: int, client_id: uuid.UUID | None = None, status: int = 201) -> Any:
        body = {"item_key": key, "local_date": today.isoformat(), "state": "done", "pain": pain}
        return ok(phone.put(f"/api/check-ins/{client_id or uuid.uuid4()}", json=body), status)

    assert check_in(6)["guidance"] is None
    first = uuid.uuid4()
    told = check_in(7, first)["guidance"]
    assert told == {
        "title": "Stop for now",
        "advice": DEFAULT_ADVICE,
        "team_told": TEAM_TOLD,
        "threshold": 7,
    }
    assert check_in(7, first, 200)["guidance"] == told  # a replay answers the same
    desk = cast.client(therapist)
    clinic = clinics_of(db.session, therapist)[0][0].id
    ok(
        desk.put(
            f"/api/clinics/{clinic}/care-rules",
            json={"thresholds": {"high_pain": 6}, "pain_advice": "Rest, ice, call us."},
        )
    )
    assert check_in(6)["guidance"]["advice"] == "Rest, ice, call us."
    items = [{"item_key": key, "exercise_id": str(exercise)}]
    ok(
        desk.post(
            f"/api/programs/{program.id}/versions",
            json={
                "title": "P",
                "start_date": today.isoformat(),
                "items": items,
                "pain_advice": "Stop the chin tucks; do the breathing only.",
            },
        ),
        201,
    )
    assert check_in(8)["guidance"]["advice"] == "Stop the chin tucks; do the breathing only."
    # the diary has no program: the clinic's words
    diary = ok(phone.put(f"/api/pain/{today.isoformat()}", json={"score": 9}), 201)
    assert diary["guidance"]["advice"] == "Rest, ice, call us."
    assert ok(phone.put(f"/api/pain/{today.isoformat()}", json={"score": 2}))["guidance"] is None
    # what the app shows offline, when no answer comes
    assert ok(phone.get("/api/today"))["care"] == {"high_pain": 6, "advice": "Rest, ice, call us."}


def test_someone_without_a_care_team_is_not_told_one_was(cast: Cast):
    patient = cast.user(Role.PATIENT)
    today = dt.datetime.now(dt.UTC).date().isoformat()
    answer = ok(cast.client(patient).put(f"/api/pain/{today}", json={"score": 8}), 201)
    assert answer["guidance"]["team_told"] is None
    assert answer["guidance"]["advice"] == DEFAULT_ADVICE
