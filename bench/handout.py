"""Handouts: the PDF of a 10-exercise program (hep's drawings, three with a photo) rendered
through the API on SQLite, beside the same handout as JSON (everything but the layout) and
GET /api/me measured in the same run. The target is under a second a PDF; printed, never
asserted."""

from __future__ import annotations

import datetime as dt
import io
import tempfile
import uuid
from pathlib import Path

from flask import Flask
from PIL import Image
from sqlalchemy import select

from bench.adherence import LIFETIMES, bench_app, getter, timed
from hep import media as media_app
from hep.accounts import create_user, start_session
from hep.care_team import join_team
from hep.clinics import own_clinic
from hep.db import db
from hep.media import attachments
from hep.media.content import clean
from hep.models import Exercise, Role
from hep.programs import prescribe, view

NOW = dt.datetime(2026, 3, 2, 12, 0, tzinfo=dt.UTC)
ITEMS = 10
PHOTOS = 3


def _photo() -> bytes:
    image = Image.new("RGB", (1600, 1200), (200, 120, 40))
    for x in range(0, 1600, 80):
        image.paste((20, 90, 160), (x, 0, x + 40, 1200))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


def populate(app: Flask) -> tuple[str, uuid.UUID]:
    """A therapist's 10-exercise program for a patient; the therapist's token and its id."""
    with app.app_context():
        session = db.session
        hasher = app.extensions["hep_hasher"]
        people = [
            create_user(
                session,
                email=f"{role.value}@example.org",
                name=f"Bench {role.value}",
                role=role,
                timezone="Europe/Berlin",
                password=None,
                hasher=hasher,
                now=NOW,
            )
            for role in (Role.THERAPIST, Role.PATIENT)
        ]
        therapist, patient = people
        clinic = own_clinic(session, therapist, NOW)
        join_team(session, patient, therapist, clinic.id, by=therapist, now=NOW, new=True)
        builtins = session.scalars(
            select(Exercise).where(Exercise.slug.is_not(None)).order_by(Exercise.slug)
        ).all()[:ITEMS]
        program = prescribe(
            session,
            therapist,
            patient.id,
            {
                "title": "Bench program",
                "notes": "Little and often.",
                "start_date": NOW.date(),
                "items": [{"exercise_id": e.id, "notes": "Slowly."} for e in builtins],
            },
            NOW,
        )
        session.flush()
        for item, _ in view(session, program).items[:PHOTOS]:
            with tempfile.TemporaryDirectory() as folder:
                cleaned = clean(io.BytesIO(_photo()), Path(folder), media_app.limits())
                media = attachments.begin(
                    session,
                    therapist,
                    cleaned,
                    size=cleaned.path.stat().st_size,
                    thumbnail_size=cleaned.thumbnail.stat().st_size,
                    caption="",
                    now=NOW,
                    program=program,
                    item_key=item.item_key,
                )
                attachments.put_files(media_app.storage(), media, cleaned)
                attachments.stored(session, media, NOW)
        _, token = start_session(
            session, therapist, kind="token", lifetimes=LIFETIMES, now=dt.datetime.now(dt.UTC)
        )
        session.commit()
        return token, program.id


def main(quick: bool = False) -> None:
    repeat = 5 if quick else 20
    print(f"handout benchmark: a {ITEMS}-exercise program ({PHOTOS} with a photo) as a PDF")
    with tempfile.TemporaryDirectory() as folder:
        app = bench_app(f"sqlite:///{folder}/bench.sqlite3", Path(folder))
        token, program_id = populate(app)
        base, _ = timed(app, getter(app, "/api/me", token), repeat)
        words, _ = timed(app, getter(app, f"/api/programs/{program_id}/handout", token), repeat)
        pdf, _ = timed(app, getter(app, f"/api/programs/{program_id}/handout.pdf", token), repeat)
        size = len(
            app.test_client()
            .get(
                f"/api/programs/{program_id}/handout.pdf",
                headers={"Authorization": f"Bearer {token}"},
            )
            .get_data()
        )
    print(f"  {'request':44} {'median ms':>10}")
    print(f"  {'trivial: GET /api/me':44} {base * 1000:10.1f}")
    print(f"  {'the handout as JSON (print view)':44} {words * 1000:10.1f}")
    print(f"  {'the handout as PDF':44} {pdf * 1000:10.1f}   ({size / 1024:.0f} KiB)")
    verdict = "under" if pdf < 1 else "OVER"
    print(f"  target: a PDF in under 1 s: {verdict} ({pdf:.2f} s)")
