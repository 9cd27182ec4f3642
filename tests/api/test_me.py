"""Deleting your own account (DELETE /api/me): every role, with every kind of data it can own,
leaves none of its rows behind and other people's data intact and readable."""

from __future__ import annotations

import datetime as dt
import os
import uuid
from dataclasses import dataclass
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from flask.testing import FlaskClient
from sqlalchemy import func, select

from hep.clinics import clinics_of
from hep.db import Base, db
from hep.models import (
    AccessLogPending,
    ClinicMember,
    ClinicRole,
    Delivery,
    Exercise,
    Occurrence,
    PushSubscription,
    Reminder,
    Role,
    ScoreCheckpoint,
    User,
)
from hep.push.keys import b64url_encode
from tests.conftest import PASSWORD, Cast


def browser_keys() -> dict[str, str]:
    public = (
        ec.generate_private_key(ec.SECP256R1())
        .public_key()
        .public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    )
    return {"p256dh": b64url_encode(public), "auth": b64url_encode(os.urandom(16))}


def ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, (response.status_code, response.get_json())
    return response.get_json()


@dataclass
class World:
    """Two therapists sharing patient P; Q is the leaving therapist's alone; U was invited by
    them and never accepted; an admin. Everyone has sessions, devices and settings."""

    therapist: User
    colleague: User
    admin: User
    patient: User
    solo: User
    unclaimed_id: uuid.UUID
    clients: dict[str, FlaskClient]
    own_exercise: str  # the therapist's, used in P's and Q's programs
    unused_exercise: str
    program: dict[str, Any]  # P's, two versions
    solo_program: dict[str, Any]
    habit_id: str  # suggested to P by the therapist
    proposed_reminder_id: str
    # the clinic the therapist runs, with the colleague in it, and what they shared with it
    clinic_id: uuid.UUID
    shared_template: str  # uses only_in_template, an exercise of the therapist's own
    only_in_template: str
    shared_exercise: str
    requested: User  # has an account; the therapist's link request waits for an answer
    discharged: User  # the therapist's patient, discharged


def build_world(cast: Cast) -> World:
    today = dt.datetime.now(dt.UTC).date()
    therapist = cast.user(Role.THERAPIST, "Dr Leaving")
    colleague = cast.user(Role.THERAPIST, "Dr Staying")
    admin = cast.user(Role.ADMIN)
    t = cast.client(therapist)
    # P came by the therapist's invite, and has a second therapist
    added = ok(t.post("/api/patients", json={"email": "p@example.org", "name": "Pat Shared"}), 201)
    code = added["invite"]["url"].rsplit("/", 1)[1]
    ok(cast.client().post(f"/api/invites/{code}/accept", json={"password": PASSWORD}))
    patient = db.session.get_one(User, uuid.UUID(added["patient"]["id"]))
    # the clinic the therapist got with the first patient takes in the colleague
    clinic = clinics_of(db.session, therapist)[0][0]
    joined = dt.datetime.now(dt.UTC)
    role = ClinicRole.THERAPIST
    db.session.add(
        ClinicMember(clinic_id=clinic.id, user_id=colleague.id, role=role, joined_at=joined)
    )
    db.session.commit()
    solo = cast.user(Role.PATIENT, "Quinn Solo")
    cast.link(colleague, patient)
    cast.link(therapist, solo)
    c, a, p, q = (cast.client(u) for u in (colleague, admin, patient, solo))

    new_exercise = {"name": "Wall angel, slow", "regions": ["upper_back"], "category": "mobility"}
    own = ok(t.post("/api/exercises", json=new_exercise), 201)["id"]
    unused = ok(t.post("/api/exercises", json=new_exercise | {"name": "Unused"}), 201)["id"]
    builtin = t.get("/api/exercises?category=stretch").get_json()[0]["id"]
    items = [{"exercise_id": own, "reps": 8}, {"exercise_id": builtin}]
    ok(t.post("/api/templates", json={"title": "Desk", "items": items}), 201)
    only = new_exercise | {"name": "Template only"}
    only_in_template = ok(t.post("/api/exercises", json=only), 201)["id"]
    shared_template = ok(
        t.post(
            "/api/templates",
            json={
                "title": "Shared desk",
                "items": [{"exercise_id": only_in_template}],
                "clinic_id": str(clinic.id),
            },
        ),
        201,
    )["id"]
    ours = new_exercise | {"name": "Shared band row", "clinic_id": str(clinic.id)}
    shared_exercise = ok(t.post("/api/exercises", json=ours), 201)["id"]
    requested = cast.user(Role.PATIENT, "Rae Requested", email="rae@example.org")
    ok(t.post("/api/patients", json={"email": "rae@example.org", "name": "Rae"}), 201)
    discharged = cast.user(Role.PATIENT, "Dee Discharged")
    cast.link(therapist, discharged)
    ok(t.post(f"/api/patients/{discharged.id}/discharge", json={"note": "Done."}), 201)
    spec = {"title": "Back", "start_date": (today - dt.timedelta(days=3)).isoformat()}
    program = ok(t.post(f"/api/patients/{patient.id}/programs", json=spec | {"items": items}), 201)
    kept = [
        {"item_key": i["item_key"], "exercise_id": i["exercise"]["id"]} for i in program["items"]
    ]
    program = ok(
        t.post(f"/api/programs/{program['id']}/versions", json=spec | {"items": kept}), 201
    )
    solo_program = ok(
        t.post(f"/api/patients/{solo.id}/programs", json=spec | {"items": items}), 201
    )
    habit = ok(
        t.post(f"/api/patients/{patient.id}/habits", json={"kind": "posture", "name": "Sit tall"}),
        201,
    )
    rule = {"type": "times", "times": ["08:00"]}
    proposed = ok(t.post(f"/api/patients/{patient.id}/reminders", json={"rule": rule}), 201)
    invited = ok(
        t.post("/api/patients", json={"email": "u@example.org", "name": "Una Invited"}), 201
    )

    # the patient's own data: habits, check-ins with an edit trail, pain, reminders, devices
    water = ok(p.post("/api/habits/starters/water"), 201)
    day = today.isoformat()
    logged = {"habit_id": water["id"], "local_date": day, "state": "done", "value": 3}
    ok(p.put(f"/api/check-ins/{uuid.uuid4()}", json=logged), 201)
    edited = f"/api/check-ins/{uuid.uuid4()}"
    item = program["items"][0]["item_key"]
    ok(p.put(edited, json={"item_key": item, "local_date": day, "state": "partial"}), 201)
    ok(p.put(edited, json={"item_key": item, "local_date": day, "state": "done", "pain": 3}))
    removed = f"/api/check-ins/{uuid.uuid4()}"
    ok(p.put(removed, json={"habit_id": habit["id"], "local_date": day, "state": "done"}), 201)
    assert p.delete(removed).status_code == 204
    assert p.put(f"/api/pain/{day}", json={"score": 4, "regions": ["neck"]}).status_code < 300
    target = {"kind": "program", "program_id": program["id"]}
    ok(p.post("/api/reminders", json={"rule": rule, "target": target}), 201)
    for client in (t, c, a, p, q):
        body = {"endpoint": f"http://127.0.0.1:9/{uuid.uuid4().hex}", "keys": browser_keys()}
        ok(client.post("/api/push/subscriptions", json=body), 201)
        ok(client.patch("/api/me/notification-settings", json={"daily_cap": 5}))
    ok(p.get("/api/adherence"))  # stores a snapshot
    ok(c.get(f"/api/patients/{patient.id}/adherence"))

    # reads: one patient (an access-log row) and the list (a pending row naming them all)
    ok(t.get(f"/api/patients/{patient.id}"))
    ok(t.get("/api/patients"))
    ok(c.get("/api/patients"))

    # what the dispatcher and the scorer leave behind: occurrences with deliveries, a checkpoint
    now = dt.datetime.now(dt.UTC)
    subscription = db.session.scalar(
        select(PushSubscription).where(PushSubscription.user_id == patient.id)
    )
    assert subscription is not None
    for reminder in db.session.scalars(select(Reminder).where(Reminder.owner_id == patient.id)):
        occurrence = Occurrence(
            reminder_id=reminder.id,
            owner_id=patient.id,
            fire_at=now,
            local_date=today,
            outcome="sent",
            decided_at=now,
        )
        db.session.add(occurrence)
        db.session.flush()
        db.session.add(
            Delivery(
                occurrence_id=occurrence.id,
                channel="push",
                address_id=subscription.id,
                status="sent",
                attempts=1,
                next_attempt_at=now,
                expires_at=now,
                created_at=now,
                updated_at=now,
            )
        )
    if db.session.get(ScoreCheckpoint, patient.id) is None:
        db.session.add(
            ScoreCheckpoint(patient_id=patient.id, day=today, fingerprint="f" * 64, walks={})
        )
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(AccessLogPending))
    return World(
        therapist,
        colleague,
        admin,
        patient,
        solo,
        uuid.UUID(invited["patient"]["id"]),
        {
            "therapist": t,
            "colleague": c,
            "admin": a,
            "patient": p,
            "solo": q,
            "requested": cast.client(requested),
            "discharged": cast.client(discharged),
        },
        own,
        unused,
        program,
        solo_program,
        habit["id"],
        proposed["id"],
        clinic.id,
        shared_template,
        only_in_template,
        shared_exercise,
        requested,
        discharged,
    )


def rows_naming(user_id: uuid.UUID) -> dict[str, int]:
    """Rows of any table whose foreign key points at the user, and pending reads naming them."""
    db.session.rollback()  # a fresh snapshot: the request committed on its own session
    found = {}
    for table in Base.metadata.sorted_tables:
        for fk in table.foreign_keys:
            if fk.column.table.name == "users":
                column = fk.parent
                count = db.session.scalar(
                    select(func.count()).select_from(table).where(column == user_id)
                )
                if count:
                    found[f"{table.name}.{column.name}"] = count
    pending = db.session.scalars(select(AccessLogPending.patient_ids)).all()
    if any(str(user_id) in ids for ids in pending):
        found["access_log_pending.patient_ids"] = 1
    return found


def delete_me(client: FlaskClient) -> None:
    r = client.delete("/api/me", json={"password": PASSWORD})
    assert r.status_code == 204, r.get_json()
    assert client.get("/api/me").status_code == 401


def table_sizes() -> dict[str, int]:
    db.session.rollback()
    return {
        table.name: db.session.scalar(select(func.count()).select_from(table)) or 0
        for table in Base.metadata.sorted_tables
    }


@pytest.fixture
def world(cast: Cast) -> World:
    return build_world(cast)


def test_a_therapist_whose_exercise_is_in_patients_programs_can_delete_the_account(world: World):
    clients = world.clients
    before = rows_naming(world.therapist.id)
    assert {"exercises.owner_id", "programs.therapist_id", "invites.therapist_id"} <= set(before)
    delete_me(clients["therapist"])
    assert rows_naming(world.therapist.id) == {}
    assert db.session.get(User, world.therapist.id) is None

    # the exercise in the patients' programs stays, with no owner; the unused one is gone
    kept = db.session.get(Exercise, uuid.UUID(world.own_exercise))
    assert kept is not None and kept.owner_id is None and kept.slug is None
    assert db.session.get(Exercise, uuid.UUID(world.unused_exercise)) is None
    # an invite nobody accepted goes with its sender, and so does the account it was for
    assert db.session.get(User, world.unclaimed_id) is None

    # both patients still read their programs, the exercise included, and Today lists it
    p, q, c = clients["patient"], clients["solo"], clients["colleague"]
    for client, program in ((p, world.program), (q, world.solo_program)):
        mine = ok(client.get(f"/api/programs/{program['id']}"))
        assert mine["items"][0]["exercise"]["name"] == "Wall angel, slow"
        assert mine["version"] == program["version"]
        today = ok(client.get("/api/today"))["entries"]
        assert "Wall angel, slow" in [e["exercise"]["name"] for e in today if e["kind"] == "item"]
    # the colleague on P's team keeps caring for P: reads and revises the program as it is
    current = ok(c.get(f"/api/programs/{world.program['id']}"))
    keep = [
        {"item_key": i["item_key"], "exercise_id": i["exercise"]["id"]} for i in current["items"]
    ]
    revised = c.post(
        f"/api/programs/{world.program['id']}/versions",
        json={"title": "Back, by Dr Staying", "start_date": current["start_date"], "items": keep},
    )
    assert ok(revised, 201)["version"] == 3
    # ...but the exercise is in nobody's library
    assert c.get(f"/api/exercises/{world.own_exercise}").status_code == 404
    assert ok(c.get("/api/exercises?mine=true")) == []
    # what the therapist suggested and who read what stay with the patient
    assert world.habit_id in [h["id"] for h in ok(p.get("/api/habits"))]
    assert world.proposed_reminder_id in [r["id"] for r in ok(p.get("/api/reminders"))]
    readers = {e["actor"] for e in ok(p.get("/api/me/access-log?page_size=100"))}
    assert readers == {"Dr Leaving", "Dr Staying"}
    assert [x["name"] for x in ok(c.get("/api/patients"))] == ["Pat Shared"]

    # the clinic keeps an admin, and keeps what was shared with it
    [clinic] = ok(c.get("/api/clinics"))
    assert clinic["my_role"] == "admin" and clinic["members"] == 1
    template = ok(c.get(f"/api/templates/{world.shared_template}"))
    assert template["owner_id"] is None and template["editable"] is True
    ok(c.get(f"/api/exercises/{world.shared_exercise}"))
    ok(c.get(f"/api/exercises/{world.only_in_template}"))  # the template's exercise came along
    start = {"patient_id": str(world.patient.id), "start_date": world.program["start_date"]}
    ok(c.post(f"/api/templates/{world.shared_template}/apply", json=start), 201)
    # P's team passes the lead on, and P's log says why the therapist left
    team = ok(p.get("/api/me/care-team"))
    assert [(m["name"], m["lead"]) for m in team["members"]] == [("Dr Staying", True)]
    actions = [e["action"] for e in ok(p.get("/api/me/access-log?page_size=100"))]
    assert "closed their account and left your care team" in actions
    # the request nobody answered goes; a discharge keeps its record
    assert ok(world.clients["requested"].get("/api/me/link-requests")) == []
    [record] = ok(world.clients["discharged"].get("/api/me/discharges"))
    assert record["discharged_by"] == "Dr Leaving"


def test_a_patient_with_every_kind_of_data_can_delete_the_account(world: World):
    clients = world.clients
    before = rows_naming(world.patient.id)
    for owned in (
        "check_ins.owner_id",
        "pain_entries.owner_id",
        "habits.owner_id",
        "reminders.owner_id",
        "reminder_occurrences.owner_id",
        "push_subscriptions.user_id",
        "notification_settings.user_id",
        "auth_sessions.user_id",
        "care_links.patient_id",
        "invites.patient_id",
        "access_log.patient_id",
        "access_log_pending.patient_ids",
        "adherence_snapshots.patient_id",
        "score_checkpoints.patient_id",
        "programs.patient_id",
    ):
        assert owned in before
    delete_me(clients["patient"])
    assert rows_naming(world.patient.id) == {}
    assert table_sizes()["deliveries"] == 0 and table_sizes()["check_in_edits"] == 0

    # the therapists keep their library, templates and other patients
    t, q = clients["therapist"], clients["solo"]
    library = {e["id"] for e in ok(t.get("/api/exercises?mine=true"))}
    assert library == {
        world.own_exercise,
        world.unused_exercise,
        world.only_in_template,
        world.shared_exercise,
    }
    assert len(ok(t.get("/api/templates"))) == 2
    assert sorted(x["name"] for x in ok(t.get("/api/patients"))) == ["Quinn Solo", "Una Invited"]
    assert ok(clients["colleague"].get("/api/patients")) == []
    mine = ok(q.get(f"/api/programs/{world.solo_program['id']}"))
    assert mine["items"][0]["exercise"]["name"] == "Wall angel, slow"


def test_an_admin_can_delete_the_account_and_nothing_else_changes(world: World):
    ok(world.clients["patient"].get("/api/me/access-log"))  # spreads the pending reads now
    before = table_sizes()
    mine = rows_naming(world.admin.id)
    assert set(mine) == {
        "auth_sessions.user_id",
        "push_subscriptions.user_id",
        "notification_settings.user_id",
    }
    delete_me(world.clients["admin"])
    assert rows_naming(world.admin.id) == {}
    after = table_sizes()
    # the deletion itself lands in the audit log
    expected = dict(before, users=before["users"] - 1, audit_log=before["audit_log"] + 1)
    for key, count in mine.items():
        table = key.split(".")[0]
        expected[table] -= count
    assert after == expected


def test_an_exercise_whose_author_left_goes_with_the_last_program_using_it(world: World):
    delete_me(world.clients["therapist"])
    orphan = uuid.UUID(world.own_exercise)
    delete_me(world.clients["patient"])
    assert db.session.get(Exercise, orphan) is not None  # still in Q's program
    delete_me(world.clients["solo"])
    db.session.rollback()
    assert db.session.get(Exercise, orphan) is None


def test_the_export_covers_teams_clinics_requests_discharges_library_and_events(world: World):
    """Everything hep holds about a person, the new kinds included, for each role."""
    clients = world.clients
    patient = ok(clients["patient"].get("/api/me/export"))
    assert {(m["therapist"], m["lead"], m["ended_at"]) for m in patient["care_team"]} == {
        ("Dr Staying", False, None),
        ("Dr Leaving", True, None),
    }
    actions = {e["action"] for e in patient["security_events"]}
    assert {"sign_in", "patient_added", "care_access_granted", "password_set"} <= actions
    requested = ok(clients["requested"].get("/api/me/export"))
    assert [r["therapist"] for r in requested["link_requests"]] == ["Dr Leaving"]
    discharged = ok(clients["discharged"].get("/api/me/export"))
    assert [(d["note"], d["discharged_by"]) for d in discharged["discharges"]] == [
        ("Done.", "Dr Leaving")
    ]
    therapist = ok(clients["therapist"].get("/api/me/export"))
    assert [(c["id"], c["role"]) for c in therapist["clinics"]] == [(str(world.clinic_id), "admin")]
    library = therapist["library"]
    assert {e["name"] for e in library["exercises"]} == {
        "Wall angel, slow",
        "Unused",
        "Template only",
        "Shared band row",
    }
    shared = [t for t in library["templates"] if t["title"] == "Shared desk"]
    assert shared[0]["shared_with_clinic"] == str(world.clinic_id)
    assert len(shared[0]["versions"]) == 1
    # exporting is itself an event, and it is in the next export
    again = ok(clients["therapist"].get("/api/me/export"))
    assert "export" in {e["action"] for e in again["security_events"]}


def test_the_password_is_checked_before_deleting_and_the_check_changes_nothing(cast: Cast):
    user = cast.user(Role.PATIENT)
    client = cast.client(user)
    r = client.post("/api/me/password-check", json={"password": "not it at all"})
    assert r.status_code == 422
    assert r.get_json()["errors"] == {"password": ["The password is wrong."]}
    assert client.post("/api/me/password-check", json={"password": PASSWORD}).status_code == 204
    assert client.get("/api/me").status_code == 200  # still signed in, still there
    assert db.session.get(User, user.id) is not None
