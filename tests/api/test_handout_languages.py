"""A handout is written in its patient's language, whoever prints it: the headings, the dose,
the schedule and the dates (the therapist's own words stay as written)."""

from __future__ import annotations

from flask import Flask

from hep.db import db
from hep.handouts import handout
from hep.handouts.pdf import html, pdf
from hep.models import User
from tests.api.test_handouts import Printed, pdf_text, printed, require_pango  # noqa: F401
from tests.conftest import NOW


def _speaks(patient: User, language: str) -> None:
    db.session.get_one(User, patient.id).language = language
    db.session.commit()


def test_a_german_speaking_patients_handout_is_in_german(app: Flask, printed: Printed):  # noqa: F811
    _speaks(printed.patient, "de")
    found = handout(
        db.session, printed.therapist, printed.program.id, None, NOW, base_url="http://localhost"
    )
    assert found.language == "de"
    page = html(found)
    assert '<html lang="de">' in page
    for heading in (
        "Hinweise Ihres Therapeuten",  # the program's notes
        "Dosierung:",
        "Wann:",
        "Bitte beachten",
        "Anmerkungen Ihres Therapeuten",
        "Scannen Sie den Code, um hep auf Ihrem Handy zu öffnen:",
        "Für",
        "Gedruckt",
    ):
        assert heading in page, heading
    for english in ("Notes from your therapist", "Dose:", "Take care", "Scan to open"):
        assert english not in page
    assert "2. März 2026 (Version 1)" in page
    # the print view gets the same words
    body = printed.t.get(f"/api/programs/{printed.program.id}/handout").get_json()
    assert body["dates"] == "Vom 2. März 2026 bis 29. März 2026"
    assert [item["dose"] for item in body["items"]] == [
        "3 Sätze à 10 Wiederholungen, 5 s halten, 30 s Pause zwischen den Sätzen, jede Seite, "
        "mit a soft ball",
        "2 Sätze à 8 Wiederholungen",
        "1 min 30 s, linke Seite",
        "2 min halten",
    ]
    assert [item["schedule"] for item in body["items"]] == [
        "Zweimal täglich, jeweils Mo, Mi, Fr",
        "Einmal täglich, jeden Tag",
        "3-mal täglich, jeden Tag",
        "Einmal täglich, montags bis freitags",
    ]
    assert body["items"][0]["picture"]["alt"].startswith("Zeichnung: ")
    # the therapist's own words as written
    assert body["notes"].startswith("Little and often")


def test_the_german_pdf_has_german_headings(app: Flask, printed: Printed):  # noqa: F811
    require_pango()
    _speaks(printed.patient, "de")
    found = handout(
        db.session, printed.patient, printed.program.id, None, NOW, base_url="http://localhost"
    )
    text = pdf_text(pdf(found, lambda media_id: (b"", "image/png")))
    for heading in ("Hinweise Ihres Therapeuten", "Dosierung:", "Bitte beachten"):
        assert heading in text, text[:400]


def test_a_spanish_speaking_patients_handout_is_in_spanish(printed: Printed):  # noqa: F811
    _speaks(printed.patient, "es")
    body = printed.p.get(f"/api/programs/{printed.program.id}/handout").get_json()
    assert body["dates"] == "Del 2 de marzo de 2026 al 29 de marzo de 2026"
    assert body["items"][1]["dose"] == "2 series de 8 repeticiones"
    assert body["items"][3]["schedule"] == "Una vez al día, de lunes a viernes"
