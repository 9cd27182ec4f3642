"""A reminder's history: every occurrence with the dispatcher's decision, for the patient and
their therapist."""

from __future__ import annotations

from hep.models import Role
from tests.conftest import Cast
from tests.reminders.test_decisions import done_after_the_first_push, patient, settings

__all__ = ["patient", "settings"]  # fixtures shared with the dispatcher's tests


def test_the_history_shows_each_decision_newest_first(app, cast: Cast, patient, settings):
    therapist = cast.user(Role.THERAPIST)
    cast.link(therapist, patient)
    reminder = done_after_the_first_push(app, patient, settings)

    mine = cast.client(patient).get(f"/api/reminders/{reminder.id}/history").get_json()
    assert [(h["local_date"], h["outcome"]) for h in mine] == [
        ("2026-03-02", "done"),  # 20:00: already logged, not sent
        ("2026-03-02", "sent"),  # 08:00
    ]
    assert mine[0]["fire_at"] == "2026-03-02T19:00:00+00:00"
    assert mine[0]["pushes"] == {"sent": 0, "failed": 0, "pending": 0}
    assert mine[1]["pushes"]["sent"] + mine[1]["pushes"]["pending"] == 1  # one device
    theirs = cast.client(therapist).get(
        f"/api/patients/{patient.id}/reminders/{reminder.id}/history?page_size=1"
    )
    assert theirs.status_code == 200 and theirs.get_json() == mine[:1]
