"""/api/programs/<id>/handout and handout.pdf: every kind of item on paper (the PDF's text
read back, page one rendered for a person to look at), and who may print it."""

from __future__ import annotations

import datetime as dt
import io
import re
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from hep import media as media_app
from hep.db import db
from hep.library import create_exercise
from hep.media import attachments
from hep.media.content import clean
from hep.models import AccessLogEntry, Exercise, Program, Role, User
from hep.programs import prescribe, revise, view
from tests.conftest import NOW, Cast
from tests.media.samples import picture
from tests.tools import require_tool

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "handouts"


@dataclass
class Printed:
    therapist: User
    patient: User
    program: Program
    builtin: Exercise
    t: FlaskClient
    p: FlaskClient


def _photo(therapist: User, **target: Any) -> None:
    with tempfile.TemporaryDirectory() as folder:
        cleaned = clean(io.BytesIO(picture(gps=False)), Path(folder), media_app.limits())
        media = attachments.begin(
            db.session,
            therapist,
            cleaned,
            size=cleaned.path.stat().st_size,
            thumbnail_size=cleaned.thumbnail.stat().st_size,
            caption="Sitting tall against the chair back",
            now=NOW,
            **target,
        )
        attachments.put_files(media_app.storage(), media, cleaned)
        attachments.stored(db.session, media, NOW)
    db.session.commit()


@pytest.fixture
def printed(cast: Cast) -> Printed:
    """A program with every kind of item: a built-in drawn by hep (reps, hold, rest, each
    side, a load, twice a day on three days), a therapist's exercise with a photo of the item
    itself, one with a photo of the exercise (timed, left side), one held (weekdays) without
    steps or picture."""
    therapist = cast.user(Role.THERAPIST, "Dana Therapist")
    patient = cast.user(Role.PATIENT, "Pat Patient", timezone="Europe/Berlin")
    cast.link(therapist, patient)
    builtin = db.session.scalar(
        select(Exercise).where(Exercise.slug == "upper-trapezius-ball-release")
    )
    own = create_exercise(
        db.session,
        therapist,
        {
            "name": "Seated thoracic extension",
            "regions": ["upper_back"],
            "category": "mobility",
            "instructions": ["Sit tall with your hands behind your head.", "Arch back gently."],
            "cautions": ["Stop if it pinches in your lower back."],
        },
        NOW,
    )
    photographed = create_exercise(
        db.session,
        therapist,
        {
            "name": "Wall angel",
            "regions": ["shoulders"],
            "category": "posture",
            "instructions": ["Stand with your back to a wall.", "Slide your arms up and down."],
        },
        NOW,
    )
    bare = create_exercise(
        db.session,
        therapist,
        {"name": "Quiet breathing", "regions": ["chest"], "category": "breathing_relaxation"},
        NOW,
    )
    _photo(therapist, exercise=photographed)
    program = prescribe(
        db.session,
        therapist,
        patient.id,
        {
            "title": "Neck and shoulders, weeks 1-4",
            "notes": "Little and often beats a lot at once.\nCall me if the pain rises.",
            "start_date": dt.date(2026, 3, 2),
            "end_date": dt.date(2026, 3, 29),
            "items": [
                {
                    "exercise_id": builtin.id,
                    "sets": 3,
                    "reps": 10,
                    "hold_seconds": 5,
                    "duration_seconds": None,
                    "rest_seconds": 30,
                    "side": "each",
                    "load_note": "a soft ball",
                    "times_per_day": 2,
                    "weekdays": 0b0010101,
                    "notes": "Gentle pressure only.",
                },
                {"exercise_id": own.id, "sets": 2, "reps": 8, "weekdays": 127},
                {
                    "exercise_id": photographed.id,
                    "duration_seconds": 90,
                    "side": "left",
                    "times_per_day": 3,
                    "notes": "Keep your ribs down.",
                },
                {"exercise_id": bare.id, "hold_seconds": 120, "weekdays": 0b0011111},
            ],
        },
        NOW,
    )
    db.session.commit()
    own_key = view(db.session, program).items[1][0].item_key
    _photo(therapist, program=program, item_key=own_key)
    return Printed(
        therapist, patient, program, builtin, cast.client(therapist), cast.client(patient)
    )


def require_pango() -> None:
    try:
        import weasyprint  # noqa: F401  (loads Pango)
    except OSError:
        require_tool("Pango", False, "apt-get install libpango-1.0-0 libpangoft2-1.0-0")


def pdf_text(document: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(document))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


EXPECTED = [
    "Neck and shoulders, weeks 1-4",
    "Pat Patient",
    "Dana Therapist",
    "From 2 March 2026 to 29 March 2026",
    "Little and often beats a lot at once.",
    "Call me if the pain rises.",
    "Scan to open hep on your phone: http://localhost/#/today",
    # the built-in: drawn by hep, every part of the dose, its steps and cautions
    "Upper trapezius release with a ball",
    "3 sets of 10 reps, hold 5 s, rest 30 s between sets, each side, with a soft ball",
    "Twice a day, on Mon, Wed, Fri",
    "Lean back and bend your knees slightly so the ball presses into the muscle.",
    "Keep the pressure at a tolerable 4-6 out of 10; it should ease as you hold, not build.",
    "Gentle pressure only.",
    # the therapist's own, with a photo of the item
    "Seated thoracic extension",
    "2 sets of 8 reps",
    "Once a day, every day",
    "Arch back gently.",
    "Stop if it pinches in your lower back.",
    # photographed exercise, timed
    "Wall angel",
    "1 min 30 s, left side",
    "3 times a day, every day",
    "Slide your arms up and down.",
    "Keep your ribs down.",
    # held, weekdays, nothing else
    "Quiet breathing",
    "hold 2 min",
    "Once a day, on weekdays",
]


def test_the_pdf_handout_prints_every_item_with_its_picture(app: Flask, printed: Printed):
    require_pango()
    response = printed.t.get(f"/api/programs/{printed.program.id}/handout.pdf")
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "application/pdf"
    assert response.headers["Cache-Control"] == "no-store"
    document = response.get_data()
    text = pdf_text(document)
    clinic = printed.therapist.name  # a solo therapist's clinic is named after them
    assert clinic in text
    assert re.search(r"Printed \d{1,2} [A-Z][a-z]+ 20\d\d \(version 1\)", text)
    for expected in EXPECTED:
        assert expected in text, expected
    # numbered in order, and every picture placed: the drawing, two photos and the QR code
    order = [
        text.index(name)
        for name in ("Upper trapezius", "Seated thoracic", "Wall angel", "Quiet breathing")
    ]
    assert order == sorted(order)
    from pypdf import PdfReader

    images = sum(len(page.images) for page in PdfReader(io.BytesIO(document)).pages)
    assert images >= 2  # the photos (the drawing and QR code are vector graphics)
    _render_first_page(document)


def _render_first_page(document: bytes) -> None:
    import pypdfium2

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    pdf = pypdfium2.PdfDocument(document)
    page = pdf[0]
    image = page.render(scale=1.5).to_pil()
    image.save(ARTIFACTS / "handout-page-1.png")
    # not blank: the page carries dark ink over a good part of it
    histogram = image.convert("L").histogram()
    dark = sum(histogram[:128])
    assert dark > image.width * image.height // 100
    pdf.close()


def test_the_print_view_gets_the_same_words_and_where_each_picture_is(printed: Printed):
    response = printed.p.get(f"/api/programs/{printed.program.id}/handout")
    assert response.status_code == 200
    body = response.get_json()
    assert body["patient_name"] == "Pat Patient"
    assert body["therapist_name"] == "Dana Therapist"
    assert body["qr_code"].startswith("data:image/svg+xml")
    items = body["items"]
    assert [i["dose"] for i in items] == [
        "3 sets of 10 reps, hold 5 s, rest 30 s between sets, each side, with a soft ball",
        "2 sets of 8 reps",
        "1 min 30 s, left side",
        "hold 2 min",
    ]
    assert items[0]["picture"]["url"] == "/illustrations/upper-trapezius-ball-release.svg?still=1"
    assert re.fullmatch(r"/api/media/[0-9a-f-]{36}/thumbnail", items[1]["picture"]["url"])
    assert items[1]["picture"]["alt"] == "Sitting tall against the chair back"
    assert items[2]["picture"]["url"].endswith("/thumbnail")
    assert items[3]["picture"] is None
    # every picture the print view shows is one the patient may load
    for item in items[:3]:
        assert printed.p.get(item["picture"]["url"]).status_code == 200


def test_a_past_version_prints_as_it_was(printed: Printed):
    spec = {
        "items": [{"exercise_id": printed.builtin.id, "sets": 1, "reps": 12}],
        "title": "Weeks 5-8",
    }
    revise(db.session, printed.therapist, printed.program.id, spec, NOW + dt.timedelta(days=28))
    db.session.commit()
    base = f"/api/programs/{printed.program.id}/handout"
    assert printed.p.get(base).get_json()["title"] == "Weeks 5-8"
    old = printed.p.get(f"{base}?version=1").get_json()
    assert old["title"] == "Neck and shoulders, weeks 1-4"
    assert len(old["items"]) == 4
    assert printed.p.get(f"{base}?version=3").status_code == 404
    assert printed.p.get(f"{base}.pdf?version=3").status_code == 404


def test_only_the_patient_and_their_care_team_may_print(cast: Cast, printed: Printed):
    stranger = cast.client(cast.user(Role.THERAPIST))
    other_patient = cast.client(cast.user(Role.PATIENT))
    admin = cast.client(cast.user(Role.ADMIN))
    for path in ("handout", "handout.pdf"):
        url = f"/api/programs/{printed.program.id}/{path}"
        assert stranger.get(url).status_code == 404
        assert other_patient.get(url).status_code == 404
        assert admin.get(url).status_code == 403
        assert cast.client().get(url).status_code == 401
        assert stranger.get(f"/api/programs/{uuid.uuid4()}/{path}").status_code == 404


def test_a_therapists_print_is_in_the_patients_access_log(printed: Printed):
    assert printed.t.get(f"/api/programs/{printed.program.id}/handout").status_code == 200
    assert printed.p.get(f"/api/programs/{printed.program.id}/handout").status_code == 200
    actions = db.session.scalars(
        select(AccessLogEntry.action).where(AccessLogEntry.patient_id == printed.patient.id)
    ).all()
    assert actions == ["program handout"]
