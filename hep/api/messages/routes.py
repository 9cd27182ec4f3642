"""Messages: your thread with your care team, or a patient's with you and your colleagues."""

from __future__ import annotations

import uuid
from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint

from hep.api.access import current_user, patient_read_by_therapist, requires
from hep.api.messages.schemas import (
    MessageIn,
    MessageOut,
    ReadIn,
    ReadOut,
    ThreadArgs,
    ThreadOut,
    UnreadOut,
)
from hep.care import log_access, patient_of, therapists_of
from hep.clock import utcnow
from hep.db import db
from hep.messages import (
    MAX_LENGTH,
    PER_HOUR,
    mark_read,
    post_message,
    read_up_to,
    thread,
    unread_by_patient,
    unread_count,
)
from hep.models import Message, Role, User

blp = Blueprint("messages", __name__, url_prefix="/api", description="Messages")


def _shown(message: Message, reader: User) -> dict[str, Any]:
    return {
        "client_id": message.client_id,
        "id": message.id,
        "body": message.body,
        "author_name": message.author_name,
        "from_patient": message.from_patient,
        "mine": message.author_id == reader.id,
        "created_at": message.created_at,
    }


def _thread(patient: User, reader: User, args: dict[str, Any]) -> dict[str, Any]:
    team = [t.name for t in therapists_of(db.session, patient)]
    messages = thread(db.session, patient.id, before=args.get("before"), limit=args["limit"])
    return {
        "messages": [_shown(m, reader) for m in messages],
        "read_up_to": read_up_to(db.session, patient.id, reader),
        "unread": unread_count(db.session, patient.id, reader),
        "team": team,
        "can_write": bool(team),
        "max_length": MAX_LENGTH,
        "per_hour": PER_HOUR,
    }


def _post(author: User, patient: User, client_id: uuid.UUID, body: str) -> Any:
    posted = post_message(db.session, author, patient, client_id, body, utcnow())
    db.session.commit()
    return _shown(posted.message, author), 201 if posted.created else 200


def _read(patient: User, reader: User, up_to: int) -> dict[str, int]:
    mark = mark_read(db.session, patient.id, reader, up_to, utcnow())
    db.session.commit()
    return {"read_up_to": mark, "unread": unread_count(db.session, patient.id, reader)}


@blp.route("/messages")
class Thread(MethodView):
    @blp.arguments(ThreadArgs, location="query")
    @blp.response(200, ThreadOut)
    @requires(Role.PATIENT)
    def get(self, args: dict[str, Any]) -> Any:
        """Your messages with your care team, newest page (older with before)"""
        user = current_user()
        return _thread(user, user, args)


@blp.route("/messages/<uuid:client_id>")
class Post(MethodView):
    @blp.arguments(MessageIn)
    @blp.response(200, MessageOut, description="replayed")
    @blp.alt_response(201, schema=MessageOut, description="sent")
    @requires(Role.PATIENT)
    def put(self, body: dict[str, str], client_id: uuid.UUID) -> Any:
        """Write to your care team; safe to retry with the same id"""
        user = current_user()
        return _post(user, user, client_id, body["body"])


@blp.route("/messages/read")
class Read(MethodView):
    @blp.arguments(ReadIn)
    @blp.response(200, ReadOut)
    @requires(Role.PATIENT)
    def post(self, body: dict[str, int]) -> Any:
        """Mark your thread read up to a message"""
        user = current_user()
        return _read(user, user, body["up_to"])


@blp.route("/messages/unread")
class Unread(MethodView):
    @blp.response(200, UnreadOut(many=True))
    @requires(Role.THERAPIST)
    def get(self) -> Any:
        """Your patients with messages you have not read, and how many"""
        therapist = current_user()
        counts = unread_by_patient(db.session, therapist)
        if counts:
            log_access(db.session, therapist, list(counts), "unread messages", utcnow())
            db.session.commit()
        return [{"patient_id": pid, "unread": n} for pid, n in sorted(counts.items())]


@blp.route("/patients/<uuid:patient_id>/messages")
class PatientThread(MethodView):
    @blp.arguments(ThreadArgs, location="query")
    @blp.response(200, ThreadOut)
    @requires(Role.THERAPIST)
    def get(self, args: dict[str, Any], patient_id: uuid.UUID) -> Any:
        """A patient's messages with you and their care team"""
        patient = patient_read_by_therapist(patient_id, "messages")
        return _thread(patient, current_user(), args)


@blp.route("/patients/<uuid:patient_id>/messages/<uuid:client_id>")
class PatientPost(MethodView):
    @blp.arguments(MessageIn)
    @blp.response(200, MessageOut, description="replayed")
    @blp.alt_response(201, schema=MessageOut, description="sent")
    @requires(Role.THERAPIST)
    def put(self, body: dict[str, str], patient_id: uuid.UUID, client_id: uuid.UUID) -> Any:
        """Write to a patient (the whole care team reads it); safe to retry with the same id"""
        therapist = current_user()
        patient = patient_of(db.session, therapist, patient_id)
        return _post(therapist, patient, client_id, body["body"])


@blp.route("/patients/<uuid:patient_id>/messages/read")
class PatientRead(MethodView):
    @blp.arguments(ReadIn)
    @blp.response(200, ReadOut)
    @requires(Role.THERAPIST)
    def post(self, body: dict[str, int], patient_id: uuid.UUID) -> Any:
        """Mark a patient's thread read (for you) up to a message"""
        therapist = current_user()
        return _read(patient_of(db.session, therapist, patient_id), therapist, body["up_to"])
