"""The access-control matrix in access_matrix.json, operation by operation, role by role."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import re
import tempfile
import uuid
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from flask import Flask
from sqlalchemy import func, select

from hep import media as media_app
from hep.checkins import put_check_in
from hep.clinic_invites import invite_therapist
from hep.clinics import clinics_of, found_clinic
from hep.db import Base, db
from hep.discharges import discharge
from hep.habits import create_habit
from hep.library import create_exercise
from hep.link_requests import request_link
from hep.measures import PlanSpec, assign_plan
from hep.media import attachments
from hep.media.content import clean
from hep.models import (
    AuditEntry,
    Clinic,
    ClinicMember,
    ClinicRole,
    Exercise,
    Occurrence,
    Program,
    PushSubscription,
    Role,
    User,
)
from hep.programs import prescribe, view
from hep.push.keys import b64url_encode
from hep.questionnaires import QuestionnaireSpec, QuestionSpec, create_questionnaire
from hep.reminders.rules import create_reminder
from hep.templates import save_template
from tests.api.care_things import CARE_NAMES, care_things
from tests.conftest import Cast
from tests.media.samples import picture

MATRIX = json.loads((Path(__file__).parent / "access_matrix.json").read_text())
CASES = [
    pytest.param(op, actor, status, id=f"{op['request']} as {actor}")
    for op in MATRIX["operations"]
    for actor, status in op["expect"].items()
]


def shape(request: str) -> str:
    """The operation a request is of: ids as {} and no query string."""
    return re.sub(r"\{[^}]+\}", "{}", request.partition("?")[0])


def snapshot() -> dict[str, Any]:
    """Every row of every table except the ones a read is expected to write. The audit log,
    which only grows (the database refuses changes) and is kept across tests, by its size."""
    skip = {"access_log", "access_log_pending", "auth_sessions", "login_failures", "audit_log"}
    db.session.expire_all()
    rows: dict[str, Any] = {
        t.name: sorted(map(repr, db.session.execute(select(t)).all()))
        for t in Base.metadata.sorted_tables
        if t.name not in skip
    }
    rows["audit_log"] = db.session.scalar(select(func.count()).select_from(AuditEntry))
    return rows


@pytest.fixture
def people(cast: Cast) -> dict[str, Any]:
    t1, t2, t3 = (cast.user(Role.THERAPIST) for _ in range(3))
    clinic_admin = cast.user(Role.THERAPIST)
    p1, p2, p3 = (cast.user(Role.PATIENT) for _ in range(3))
    admin = cast.user(Role.ADMIN)
    now = dt.datetime.now(dt.UTC)
    c1 = found_clinic(db.session, "C1", now, founder=clinic_admin, actor=admin)
    for member in (t1, t3):
        db.session.add(
            ClinicMember(
                clinic_id=c1.id, user_id=member.id, role=ClinicRole.THERAPIST, joined_at=now
            )
        )
    db.session.commit()
    cast.link(t1, p1)
    cast.link(t1, p2)
    cast.link(t2, p3)
    return {
        "T1": t1,
        "T2": t2,
        "T3": t3,
        "CA": clinic_admin,
        "P1": p1,
        "P2": p2,
        "P3": p3,
        "A": admin,
    }


def _conversation(people: dict[str, Any], now: dt.datetime) -> dict[str, Any]:
    """Q1: T1's own questionnaire; PLAN1: P1's pain rating scheduled by T1, due today;
    SUNDAY: the last Sunday (a week to look back on); NEWID: a message id not used yet."""
    questionnaire = create_questionnaire(
        db.session,
        people["T1"],
        QuestionnaireSpec("Q", "", (QuestionSpec("scale", "How?"),)),
        now,
    )
    plan = assign_plan(
        db.session, people["T1"], people["P1"].id, PlanSpec("nprs", None, 2, None), now
    )
    db.session.commit()
    today = now.date()
    return {
        "Q1": questionnaire.id,
        "PLAN1": plan.id,
        "SUNDAY": (today - dt.timedelta(days=today.isoweekday() % 7)).isoformat(),
        "NEWID": uuid.uuid4(),
    }


@pytest.fixture
def things(people: dict[str, Any]) -> dict[str, Any]:
    """Records owned by the cast, made through the domain functions."""
    now = dt.datetime.now(dt.UTC)
    t1, p1 = people["T1"], people["P1"]
    builtin = db.session.scalar(select(Exercise).where(Exercise.owner_id.is_(None)).limit(1))
    own = create_exercise(
        db.session, t1, {"name": "Mine", "regions": ["neck"], "category": "stretch"}, now
    )
    item = {"exercise_id": builtin.id, "sets": 1, "reps": 5}
    program = prescribe(
        db.session,
        t1,
        p1.id,
        {"title": "P", "start_date": dt.date(2026, 1, 1), "items": [item]},
        now,
    )
    template = save_template(db.session, t1, {"title": "T", "items": [item]}, now)
    c1 = db.session.scalar(select(Clinic).where(Clinic.name == "C1"))
    shared = save_template(db.session, t1, {"title": "S", "items": [item], "clinic_id": c1.id}, now)
    shared_exercise = create_exercise(
        db.session,
        t1,
        {"name": "Ours", "regions": ["neck"], "category": "stretch", "clinic_id": c1.id},
        now,
    )
    c2 = clinics_of(db.session, people["T2"])[0][0]
    invite, _ = invite_therapist(
        db.session,
        people["CA"],
        c1.id,
        email="invited@example.org",
        role=ClinicRole.THERAPIST,
        lifetime=dt.timedelta(days=1),
        now=now,
    )
    request, _ = request_link(
        db.session,
        people["T2"],
        p1,
        name="P1",
        clinic_id=c2.id,
        lifetime=dt.timedelta(days=1),
        now=now,
    )
    discharge(db.session, t1, people["P2"].id, "", now)
    habit = create_habit(db.session, p1, {"kind": "custom", "name": "H"}, now)
    check_in = uuid.uuid4()
    put_check_in(
        db.session,
        p1,
        check_in,
        {"habit_id": habit.id, "local_date": now.date(), "state": "done"},
        now=now,
        window_days=7,
    )
    reminder = create_reminder(
        db.session,
        p1,
        {
            "rule": {"type": "times", "times": [dt.time(8)], "weekdays": [1, 2, 3, 4, 5, 6, 7]},
            "target": {"kind": "habit", "habit_id": habit.id},
        },
        now,
    )
    subscription = PushSubscription(
        user_id=p1.id,
        endpoint=f"http://127.0.0.1:9/{uuid.uuid4().hex}",
        p256dh="k",
        auth="a",
        created_at=now,
    )
    db.session.add(subscription)
    occurrence = Occurrence(
        reminder_id=reminder.id,
        owner_id=p1.id,
        fire_at=now,
        local_date=now.date(),
        outcome="sent",
        decided_at=now,
    )
    db.session.add(occurrence)
    browser_key = (
        ec.generate_private_key(ec.SECP256R1())
        .public_key()
        .public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    )
    db.session.commit()
    return {
        **{k: u.id for k, u in people.items()},
        **_conversation(people, now),
        "REM1": reminder.id,
        "SUB1": subscription.id,
        "OCC1": occurrence.id.hex,
        "P256DH": b64url_encode(browser_key),
        "AUTH": b64url_encode(os.urandom(16)),
        "UNIQUE": uuid.uuid4().hex,
        "EX1": own.id,
        "BUILTIN": builtin.id,
        "PROG1": program.id,
        "TPL1": template.id,
        "TPLS": shared.id,
        "EXS": shared_exercise.id,
        "C1": c1.id,
        "C2": c2.id,
        "CINV1": invite.id,
        "LR1": request.id,
        "HABIT1": habit.id,
        "CHECKIN1": check_in,
        "TODAY": now.date().isoformat(),
        "STARTER": "water",
        "VERSION": 1,
    }


# made only for the operations that name them: cleaning pictures and storing files is slow
MEDIA_NAMES = re.compile(r"\{(MEDIA[A-Z]*|ITEM1)\}")


def _media(things: dict[str, Any]) -> dict[str, Any]:
    """ITEM1 (the item of PROG1), MEDIAP a photo on it and MEDIAX one on EX1, stored."""
    now = dt.datetime.now(dt.UTC)
    therapist = db.session.get_one(User, things["T1"])
    exercise = db.session.get_one(Exercise, things["EX1"])
    program = db.session.get_one(Program, things["PROG1"])
    item_key = view(db.session, program).items[0][0].item_key
    found = {"ITEM1": item_key}
    for name, target in (
        ("MEDIAP", {"program": program, "item_key": item_key}),
        ("MEDIAX", {"exercise": exercise}),
    ):
        with tempfile.TemporaryDirectory() as folder:
            cleaned = clean(io.BytesIO(picture(gps=False)), Path(folder), media_app.limits())
            media = attachments.begin(
                db.session,
                therapist,
                cleaned,
                size=cleaned.path.stat().st_size,
                thumbnail_size=cleaned.thumbnail.stat().st_size,
                caption="",
                now=now,
                **target,
            )
            attachments.put_files(media_app.storage(), media, cleaned)
            attachments.stored(db.session, media, now)
        found[name] = media.id
    db.session.commit()
    return found


def fill(value: Any, names: dict[str, Any]) -> Any:
    if isinstance(value, str):
        return value.format(**names)
    if isinstance(value, list):
        return [fill(v, names) for v in value]
    if isinstance(value, dict):
        return {k: fill(v, names) for k, v in value.items()}
    return value


def test_every_api_operation_is_in_the_matrix(app: Flask):
    spec = app.test_client().get("/api/openapi.json").get_json()
    documented = {
        f"{method.upper()} {path}"
        for path, item in spec["paths"].items()
        for method in item
        if method in {"get", "post", "put", "patch", "delete"}
    }
    listed = {shape(op["request"]) for op in MATRIX["operations"]}
    public = {
        "/api/auth/login",
        "/api/auth/tokens",
        "/api/auth/signup/therapist",
        "/api/auth/signup/patient",
        "/api/invites/{code}",
        "/api/invites/{code}/accept",
        "/api/clinic-invites/{code}",
        "/api/clinic-invites/{code}/accept",
        "/api/sign-in-links/{code}",
        "/api/sign-in-links/{code}/accept",
        "/api/auth/password-reset",
        "/api/email-verifications/{code}",
    }
    for op in documented:
        if op.split(" ", 1)[1] in public:
            continue
        assert shape(op) in listed, f"{op} is missing from access_matrix.json"


@pytest.mark.parametrize(("op", "actor", "status"), CASES)
def test_access(
    cast: Cast,
    people: dict[str, Any],
    things: dict[str, Any],
    op: dict[str, Any],
    actor: str,
    status: int,
):
    method, path = op["request"].split(" ", 1)
    client = cast.client(people.get(actor))
    if MEDIA_NAMES.search(op["request"]):
        things = {**things, **_media(things)}
    if CARE_NAMES.search(op["request"]):
        things = {**things, **care_things(things)}
    before = snapshot()
    if op.get("upload"):
        form = {"file": (io.BytesIO(picture(gps=False)), "photo.jpg"), **(op.get("body") or {})}
        response = client.open(
            fill(path, things), method=method, data=form, content_type="multipart/form-data"
        )
    else:
        response = client.open(fill(path, things), method=method, json=fill(op.get("body"), things))
    assert response.status_code == status, response.get_data(as_text=True)
    if status >= 300:
        assert snapshot() == before, "a refused request changed the database"
        assert response.get_json()["code"] == status
