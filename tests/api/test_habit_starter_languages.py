"""The starter habits in their reader's language: the list, and the habit a tap adds (named
in its owner's words, its amount bounded as in English)."""

from __future__ import annotations

from hep.db import db
from hep.habits import amount_max
from hep.models import Role, User
from tests.conftest import Cast


def test_starters_are_listed_and_added_in_the_readers_language(cast: Cast):
    patient = cast.user(Role.PATIENT)
    p = cast.client(patient)
    english = {s["slug"]: s for s in p.get("/api/habits/starters").get_json()}
    assert (english["water"]["name"], english["water"]["unit"]) == ("Drink water", "glasses")
    db.session.get_one(User, patient.id).language = "de"
    db.session.commit()
    german = {s["slug"]: s for s in p.get("/api/habits/starters").get_json()}
    assert (german["water"]["name"], german["water"]["unit"]) == ("Wasser trinken", "Gläser")
    assert german["water"]["target"] == english["water"]["target"]
    added = p.post("/api/habits/starters/sleep").get_json()
    assert (added["name"], added["unit"]) == ("Schlaf", "Stunden")


def test_a_starters_unit_in_any_language_is_bounded_as_in_english():
    assert amount_max("movement", "Phasen") == amount_max("movement", "bouts") == 48
    assert amount_max("sleep", "horas") == amount_max("sleep", "hours") == 24
