"""Discharge and re-admission: the programs end and their reminders stop (the dispatcher sends
nothing for them), the patient keeps their own habits and reminders, moves to the discharged
list, keeps their history; re-admission brings the care back without losing any of it."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from flask import Flask
from sqlalchemy import select

from hep.audit import entries
from hep.db import db
from hep.discharges import discharge, readmit
from hep.habits import add_starter
from hep.models import Exercise, Occurrence, PushSubscription, Reminder, Role, User
from hep.programs import prescribe
from hep.reminders.rules import create_reminder
from tests.conftest import Cast
from tests.reminders.test_decisions import MONDAY, dispatch_settings, tick, times_rule

# MONDAY is 06:00 UTC, 07:00 in Berlin; the reminders below fire at 08:00 Berlin time
EIGHT = dt.timedelta(hours=1, seconds=30)


def ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, (response.status_code, response.get_json())
    return response.get_json()


def cared_for(cast: Cast) -> tuple[User, User, uuid.UUID, Reminder, Reminder]:
    """A Berlin patient with a push subscription, a running program with a reminder, and a
    habit of their own with a reminder."""
    therapist = cast.user(Role.THERAPIST, "Dr Dee")
    patient = cast.user(Role.PATIENT, "Pat", timezone="Europe/Berlin")
    cast.link(therapist, patient)
    db.session.add(
        PushSubscription(
            user_id=patient.id,
            endpoint=f"http://127.0.0.1:9/{uuid.uuid4().hex}",
            p256dh="x",
            auth="y",
            created_at=MONDAY,
        )
    )
    exercise = db.session.scalar(select(Exercise).where(Exercise.built_in).limit(1))
    spec = {
        "title": "Back",
        "start_date": MONDAY.date() - dt.timedelta(days=7),
        "items": [{"exercise_id": exercise.id}],
    }
    program = prescribe(db.session, therapist, patient.id, spec, MONDAY - dt.timedelta(days=7))
    target = {"kind": "program", "program_id": program.id}
    program_reminder = create_reminder(
        db.session, patient, {"rule": times_rule("08:00"), "target": target}, MONDAY
    )
    habit = add_starter(db.session, patient, "water", MONDAY)
    own = create_reminder(
        db.session,
        patient,
        {"rule": times_rule("08:00"), "target": {"kind": "habit", "habit_id": habit.id}},
        MONDAY,
    )
    db.session.commit()
    return therapist, patient, program.id, program_reminder, own


def decided_for(reminder: Reminder) -> list[str]:
    db.session.rollback()  # the dispatcher wrote through its own sessions
    return list(
        db.session.scalars(
            select(Occurrence.outcome)
            .where(Occurrence.reminder_id == reminder.id)
            .order_by(Occurrence.fire_at)
        )
    )


def test_a_discharge_stops_the_programs_reminders_and_keeps_the_patients_own(
    app: Flask, cast: Cast
):
    therapist, patient, _, program_reminder, own = cared_for(cast)
    eight = MONDAY.replace(hour=7)
    assert program_reminder.next_fire_at == eight  # it would fire today

    discharge(db.session, therapist, patient.id, "Goals met, home program done.", MONDAY)
    db.session.commit()
    db.session.refresh(program_reminder)
    assert program_reminder.next_fire_at is None
    settings = dispatch_settings(app)
    tick(app, MONDAY + EIGHT, settings)
    tick(app, MONDAY + dt.timedelta(days=3) + EIGHT, settings)
    assert decided_for(program_reminder) == []  # nothing sent, nothing even considered
    # the patient's own reminder goes on (two days were found late: missed, not sent)
    assert decided_for(own) == ["sent", "missed", "missed", "sent"]

    # re-admission: the program runs again, and so do its reminders
    readmit(db.session, therapist, patient.id, MONDAY + dt.timedelta(hours=4))
    db.session.commit()
    db.session.refresh(program_reminder)
    assert program_reminder.next_fire_at == eight + dt.timedelta(days=1)
    tick(app, MONDAY + dt.timedelta(days=1) + EIGHT, settings)
    assert decided_for(program_reminder) == ["sent"]


def test_the_discharged_leave_the_attention_list_and_keep_their_history(cast: Cast):
    therapist, patient, program_id, _, _ = cared_for(cast)
    boss = cast.user(Role.THERAPIST)
    clinic = cast.clinic(boss)
    t, phone = cast.client(therapist), cast.client(patient)
    ok(t.post(f"/api/patients/{patient.id}/discharge", json={"note": "Back at work."}), 201)
    assert t.post(f"/api/patients/{patient.id}/discharge", json={}).status_code == 409
    assert ok(t.get("/api/patients")) == []
    [listed] = ok(t.get("/api/patients?discharged=true"))
    assert listed["id"] == str(patient.id) and listed["discharged_at"] is not None
    assert listed["attention"] == []
    # the team still reads the history; so does the patient
    [program] = ok(t.get(f"/api/patients/{patient.id}/programs"))
    today = dt.datetime.now(dt.UTC).date()
    assert program["id"] == str(program_id) and program["version"] == 2
    assert dt.date.fromisoformat(program["end_date"]) < today
    ok(t.get(f"/api/patients/{patient.id}/check-ins"))
    [mine] = ok(phone.get("/api/me/discharges"))
    assert mine["note"] == "Back at work." and mine["discharged_by"] == "Dr Dee"
    assert [e["kind"] for e in ok(phone.get("/api/today"))["entries"]] == ["habit"]
    # the audit log records the discharge, never its note
    [logged] = entries(db.session, action="discharged", text="Pat", limit=1, offset=0)
    assert logged.subject_id == patient.id and "work" not in logged.detail
    # the clinic the therapist does not work in never sees the patient
    assert ok(cast.client(boss).get(f"/api/clinics/{clinic.id}/caseload?discharged=true")) == []

    ok(t.post(f"/api/patients/{patient.id}/readmission"))
    assert t.post(f"/api/patients/{patient.id}/readmission").status_code == 409
    assert [p["id"] for p in ok(t.get("/api/patients"))] == [str(patient.id)]
    [program] = ok(t.get(f"/api/patients/{patient.id}/programs"))
    assert program["version"] == 3 and program["end_date"] is None
    history = ok(t.get(f"/api/patients/{patient.id}/discharges"))
    assert [(h["note"], h["readmitted_at"] is not None) for h in history] == [
        ("Back at work.", True)
    ]
    versions = ok(t.get(f"/api/programs/{program_id}/versions"))
    assert [v["change_note"] for v in versions] == ["Re-admitted", "Discharged", ""]


def test_a_program_changed_after_the_discharge_stays_as_it_is(cast: Cast):
    therapist, patient, program_id, _, _ = cared_for(cast)
    t = cast.client(therapist)
    ok(t.post(f"/api/patients/{patient.id}/discharge", json={}), 201)
    current = ok(t.get(f"/api/programs/{program_id}"))
    keep = [
        {"item_key": i["item_key"], "exercise_id": i["exercise"]["id"]} for i in current["items"]
    ]
    ended = (dt.date.fromisoformat(current["end_date"]) - dt.timedelta(days=1)).isoformat()
    body = {"title": "Back", "start_date": current["start_date"], "end_date": ended, "items": keep}
    ok(t.post(f"/api/programs/{program_id}/versions", json=body), 201)
    ok(t.post(f"/api/patients/{patient.id}/readmission"))
    assert ok(t.get(f"/api/programs/{program_id}"))["end_date"] == ended
