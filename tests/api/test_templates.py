"""Templates: private or shared with a clinic, renamed, edited as versions, deleted, and
prescribed by colleagues with the exercises they hold."""

from __future__ import annotations

from typing import Any

from hep.models import Role
from tests.conftest import Cast


def ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, (response.status_code, response.get_json())
    return response.get_json()


def test_a_template_is_renamed_edited_in_versions_and_deleted(cast: Cast):
    t = cast.client(cast.user(Role.THERAPIST))
    [a, b] = ok(t.get("/api/exercises?page_size=2"))
    made = ok(
        t.post("/api/templates", json={"title": "Desk", "items": [{"exercise_id": a["id"]}]}),
        201,
    )
    assert made["version"] == 1 and made["editable"] is True and made["clinic_id"] is None
    renamed = ok(t.patch(f"/api/templates/{made['id']}", json={"title": "Desk worker"}))
    assert renamed["title"] == "Desk worker" and renamed["version"] == 1
    items = [{"exercise_id": a["id"], "reps": 12}, {"exercise_id": b["id"]}]
    body = {"items": items, "notes": "Twice a day", "change_note": "Added a stretch"}
    edited = ok(t.post(f"/api/templates/{made['id']}/versions", json=body), 201)
    assert edited["version"] == 2 and len(edited["items"]) == 2
    history = ok(t.get(f"/api/templates/{made['id']}/versions"))
    assert [(v["version"], v["change_note"]) for v in history] == [(2, "Added a stretch"), (1, "")]
    first = ok(t.get(f"/api/templates/{made['id']}/versions/1"))
    assert len(first["items"]) == 1 and first["notes"] == ""
    assert t.delete(f"/api/templates/{made['id']}").status_code == 204
    assert t.get(f"/api/templates/{made['id']}").status_code == 404


def test_a_template_shared_with_the_clinic_is_prescribed_by_colleagues(cast: Cast):
    author, colleague, outsider = (cast.user(Role.THERAPIST, n) for n in ("Dr A", "Dr B", "Dr C"))
    clinic = cast.clinic(author, colleague)
    patient = cast.user(Role.PATIENT)
    cast.link(colleague, patient)
    a, b, c = (cast.client(u) for u in (author, colleague, outsider))
    own = ok(
        a.post(
            "/api/exercises", json={"name": "A's own", "regions": ["neck"], "category": "stretch"}
        ),
        201,
    )
    body = {"title": "Neck protocol", "items": [{"exercise_id": own["id"]}]}
    template = ok(a.post("/api/templates", json=body), 201)
    assert ok(b.get("/api/templates")) == []
    ok(a.patch(f"/api/templates/{template['id']}", json={"clinic_id": str(clinic.id)}))
    [seen] = ok(b.get("/api/templates"))
    assert seen["owner_name"] == "Dr A" and seen["editable"] is False
    assert b.patch(f"/api/templates/{template['id']}", json={"title": "X"}).status_code == 403
    assert b.delete(f"/api/templates/{template['id']}").status_code == 403
    assert c.get(f"/api/templates/{template['id']}").status_code == 404
    # the colleague prescribes it: the author's private exercise comes with the template
    start = {"patient_id": str(patient.id), "start_date": "2026-02-02"}
    program = ok(b.post(f"/api/templates/{template['id']}/apply", json=start), 201)
    assert program["items"][0]["exercise"]["name"] == "A's own"
