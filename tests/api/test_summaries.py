"""The progress summary over a date range: adherence and pain week by week, scores, weekly
check-ins with their barriers and skip reasons; the therapist's read is logged."""

from __future__ import annotations

import datetime as dt
import uuid

from hep.clock import utcnow
from hep.models import Role
from tests.conftest import Cast


def test_the_summary_holds_the_range_week_by_week(cast: Cast):
    therapist = cast.user(Role.THERAPIST, "Dr Print")
    patient = cast.user(Role.PATIENT, "Pat Print")
    cast.link(therapist, patient)
    t, p = cast.client(therapist), cast.client(patient)
    today = utcnow().date()
    start = today - dt.timedelta(days=13)
    exercise = t.get("/api/exercises?region=neck").get_json()[0]["id"]
    program = t.post(
        f"/api/patients/{patient.id}/programs",
        json={
            "title": "Neck",
            "start_date": str(start),
            "items": [{"exercise_id": exercise, "times_per_day": 1}],
        },
    ).get_json()
    key = program["items"][0]["item_key"]
    for back in range(7):
        day = today - dt.timedelta(days=back)
        state = {"state": "done"} if back % 2 else {"state": "skipped", "skip_reason": "no_time"}
        p.put(
            f"/api/check-ins/{uuid.uuid4()}", json={"item_key": key, "local_date": str(day)} | state
        )
    p.put(f"/api/pain/{today}", json={"score": 4})
    plan = t.post(
        f"/api/patients/{patient.id}/measures", json={"instrument": "nprs", "every_weeks": 2}
    ).get_json()
    p.put(f"/api/measures/{plan['id']}/responses/{today}", json={"score": 3})

    query = f"?start={start}&end={today}"
    summary = t.get(f"/api/patients/{patient.id}/summary{query}").get_json()
    assert summary["patient"] == {"name": "Pat Print", "timezone": "UTC"}
    assert (summary["start"], summary["end"]) == (str(start), str(today))
    weeks = summary["adherence"]["weeks"]
    assert weeks[0]["week_start"] <= str(start) and weeks[-1]["week_start"] <= str(today)
    # 3 days done of the last 7, none of the 7 before; a day skipped with a reason is not
    # counted against the patient
    assert summary["adherence"]["percent"] == 30.0
    assert weeks[-1]["pain"] == 4.0
    assert [(m["title"], [pt["score"] for pt in m["points"]]) for m in summary["measures"]] == [
        ("Pain rating (0-10)", [3.0])
    ]
    assert summary["skip_reasons"]["no_time"] == 4
    assert p.get(f"/api/summary{query}").get_json()["adherence"] == summary["adherence"]
    actions = [e["action"] for e in p.get("/api/me/access-log").get_json()]
    assert "progress summary" in actions

    too_long = t.get(f"/api/patients/{patient.id}/summary?start=2024-01-01&end={today}")
    assert too_long.status_code == 422 and set(too_long.get_json()["errors"]) == {"start"}
    backwards = p.get(f"/api/summary?start={today}&end={start}")
    assert backwards.status_code == 422
    stranger = cast.client(cast.user(Role.THERAPIST))
    assert stranger.get(f"/api/patients/{patient.id}/summary").status_code == 404
