"""Account administration: search, disable and enable, role changes that keep an admin and
keep admins away from health data."""

from __future__ import annotations

from typing import Any

from hep.models import Role
from tests.conftest import Cast


def ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, (response.status_code, response.get_json())
    return response.get_json()


def test_accounts_are_found_by_a_part_of_the_name_or_email_and_by_role(cast: Cast):
    admin = cast.client(cast.user(Role.ADMIN, "Site Admin"))
    cast.user(Role.THERAPIST, "Dr Maria Lopez", email="maria@clinic.example")
    cast.user(Role.PATIENT, "Mario Rossi", email="mr@home.example")
    cast.user(Role.PATIENT, "Zed", email="zed@home.example")
    found = ok(admin.get("/api/admin/users?q=mari"))
    assert sorted(u["name"] for u in found) == ["Dr Maria Lopez", "Mario Rossi"]
    patients = ok(admin.get("/api/admin/users?q=home.example&role=patient"))
    assert sorted(u["name"] for u in patients) == ["Mario Rossi", "Zed"]
    assert ok(admin.get("/api/admin/users?q=100%25")) == []  # a wildcard is a character
    page = ok(admin.get("/api/admin/users?page_size=2&page=2"))
    assert len(page) == 2


def test_disabling_ends_the_sessions_and_the_last_admin_stays(cast: Cast):
    boss = cast.user(Role.ADMIN)
    admin = cast.client(boss)
    therapist = cast.user(Role.THERAPIST)
    live = cast.client(therapist)
    ok(admin.patch(f"/api/admin/users/{therapist.id}", json={"is_active": False}))
    assert live.get("/api/me").status_code == 401
    assert ok(admin.get("/api/admin/users?active=false"))[0]["id"] == str(therapist.id)
    assert admin.patch(f"/api/admin/users/{boss.id}", json={"is_active": False}).status_code == 409
    assert admin.patch(f"/api/admin/users/{boss.id}", json={"role": "therapist"}).status_code == 409


def test_a_role_changes_only_between_therapist_and_admin_and_away_from_patients(cast: Cast):
    admin = cast.client(cast.user(Role.ADMIN))
    carer, patient = cast.user(Role.THERAPIST, "Dr Carer"), cast.user(Role.PATIENT)
    cast.link(carer, patient)
    assert admin.patch(f"/api/admin/users/{patient.id}", json={"role": "admin"}).status_code == 409
    # an admin reads no health data: a therapist with patients or clinics stays a therapist
    assert admin.patch(f"/api/admin/users/{carer.id}", json={"role": "admin"}).status_code == 409
    fresh = cast.user(Role.THERAPIST)
    promoted = ok(admin.patch(f"/api/admin/users/{fresh.id}", json={"role": "admin"}))
    assert promoted["role"] == "admin"
    back = ok(admin.patch(f"/api/admin/users/{fresh.id}", json={"role": "therapist"}))
    assert back["role"] == "therapist"
    [clinic] = ok(cast.client(fresh).get("/api/clinics"))  # works in a clinic of their own
    assert clinic["my_role"] == "admin"
    changes = ok(admin.get(f"/api/admin/audit-log?action=role_changed&q={fresh.name}"))
    assert [e["detail"] for e in changes] == ["admin -> therapist", "therapist -> admin"]


def test_an_admin_made_therapist_gets_a_clinic(cast: Cast):
    admin = cast.client(cast.user(Role.ADMIN))
    body = {"email": "new@example.org", "name": "Dr New", "password": "a long passphrase ok"}
    made = ok(admin.post("/api/admin/users", json=body | {"role": "therapist"}), 201)
    login = {"email": "new@example.org", "password": "a long passphrase ok"}
    t = cast.client()
    ok(t.post("/api/auth/login", json=login))
    assert [c["name"] for c in ok(t.get("/api/clinics"))] == ["Dr New"]
    assert made["role"] == "therapist"
