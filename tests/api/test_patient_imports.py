"""POST /api/clinics/<id>/patients/import: a caseload from CSV through the add-patient path,
a dry run that changes nothing, bad rows by line with nothing imported, a size cap."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

from hep.db import db
from hep.models import CareLink, Clinic, Invite, Role, User
from tests.conftest import Cast


@dataclass
class Practice:
    admin: User
    therapist: User
    clinic: Clinic
    client: FlaskClient


@pytest.fixture
def practice(cast: Cast) -> Practice:
    admin = cast.user(Role.THERAPIST, "Ada Admin", email="ada@clinic.example")
    therapist = cast.user(Role.THERAPIST, "Theo Therapist", email="theo@clinic.example")
    clinic = cast.clinic(admin, therapist, name="Moving Clinic")
    return Practice(admin, therapist, clinic, cast.client(admin))


def send(client: FlaskClient, clinic: Clinic, text: str | bytes, dry_run: bool = False) -> Any:
    data = text.encode() if isinstance(text, str) else text
    query = "?dry_run=true" if dry_run else ""
    return client.post(
        f"/api/clinics/{clinic.id}/patients/import{query}",
        data={"file": (io.BytesIO(data), "patients.csv")},
        content_type="multipart/form-data",
    )


def counts() -> tuple[int, int, int]:
    return (
        db.session.scalar(select(func.count()).select_from(User)) or 0,
        db.session.scalar(select(func.count()).select_from(Invite)) or 0,
        db.session.scalar(select(func.count()).select_from(CareLink)) or 0,
    )


CSV = (
    "Name,Email,Time zone,Therapist email\n"
    "Ann Example,ann@example.org,Europe/Berlin,theo@clinic.example\n"
    "Bob Example,BOB@example.org,,\n"
    "\n"
    'Cara "CJ" Example,cara@example.org,America/New_York,THEO@clinic.example\n'
)


def test_a_dry_run_says_what_would_happen_and_changes_nothing(cast: Cast, practice: Practice):
    cast.user(Role.PATIENT, "Cara Has An Account", email="cara@example.org")
    before = counts()
    response = send(practice.client, practice.clinic, CSV, dry_run=True)
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["dry_run"] is True and body["count"] == 3
    assert [
        (r["line"], r["email"], r["therapist_name"], r["timezone"]) for r in body["patients"]
    ] == [
        (2, "ann@example.org", "Theo Therapist", "Europe/Berlin"),
        (3, "bob@example.org", "Ada Admin", "UTC"),
        (5, "cara@example.org", "Theo Therapist", "America/New_York"),
    ]
    assert all(r["invite"] is None and r["patient_id"] is None for r in body["patients"])
    assert counts() == before


def test_the_import_adds_each_patient_as_adding_one_does(cast: Cast, practice: Practice):
    existing = cast.user(Role.PATIENT, "Cara Has An Account", email="cara@example.org")
    response = send(practice.client, practice.clinic, CSV)
    assert response.status_code == 200, response.get_json()
    rows = response.get_json()["patients"]
    assert [r["name"] for r in rows] == ["Ann Example", "Bob Example", 'Cara "CJ" Example']
    # an invite link for each, the same shape whether or not the address had an account
    assert all(r["invite"]["url"].startswith("http://localhost/#/invite/") for r in rows)
    assert {tuple(sorted(r)) for r in rows} == {tuple(sorted(rows[0]))}
    ann = db.session.scalar(select(User).where(User.email == "ann@example.org"))
    assert ann is not None and ann.timezone == "Europe/Berlin" and ann.password_hash is None
    links = db.session.execute(
        select(CareLink.therapist_id, CareLink.clinic_id).where(CareLink.patient_id == ann.id)
    ).all()
    assert links == [(practice.therapist.id, practice.clinic.id)]
    # the account that existed gets a link request to accept; no second account, no team yet
    assert rows[2]["patient_id"] == str(existing.id)
    assert (
        db.session.scalar(
            select(func.count()).select_from(User).where(User.email == "cara@example.org")
        )
        == 1
    )
    assert not db.session.scalars(select(CareLink).where(CareLink.patient_id == existing.id)).all()
    requests = cast.client(existing).get("/api/me/link-requests").get_json()
    assert [r["therapist_name"] for r in requests] == ["Theo Therapist"]


def test_bad_rows_are_named_by_line_and_nothing_is_imported(practice: Practice):
    text = (
        "name,email,timezone,therapist\n"
        "Fine Person,fine@example.org,UTC,\n"
        "No Email,not-an-address,UTC,\n"
        "Bad Zone,zone@example.org,Mars/Olympus,\n"
        "Stranger,stranger@example.org,UTC,someone@else.example\n"
        "Twice,FINE@example.org,UTC,\n"
        ",nameless@example.org,UTC,\n"
        "Too,many@example.org,UTC,,extra\n"
    )
    before = counts()
    response = send(practice.client, practice.clinic, text)
    assert response.status_code == 422
    assert response.get_json()["errors"] == {
        "line 3": ["email: not an email address."],
        "line 4": ["timezone: not a time zone name (like Europe/Berlin)."],
        "line 5": ["therapist: no therapist of this clinic has this email."],
        "line 6": ["email: also on line 2."],
        "line 7": ["name: give a name of 1 to 120 characters."],
        "line 8": ["More cells than columns."],
    }
    assert counts() == before


def test_a_row_the_add_path_refuses_undoes_the_whole_file(cast: Cast, practice: Practice):
    mine = cast.user(Role.PATIENT, email="mine@example.org")
    cast.link(practice.therapist, mine)
    before = counts()
    text = CSV + "Already Mine,mine@example.org,UTC,theo@clinic.example\n"
    for dry_run in (True, False):
        response = send(practice.client, practice.clinic, text, dry_run=dry_run)
        assert response.status_code == 422
        assert response.get_json()["errors"] == {"line 6": ["email: Already yours."]}
        assert counts() == before


def test_the_file_is_capped(practice: Practice):
    rows = "".join(f"P{i},p{i}@example.org,UTC,\n" for i in range(1001))
    response = send(practice.client, practice.clinic, "name,email,timezone,therapist\n" + rows)
    assert response.status_code == 422
    assert "At most 1000 patients" in response.get_json()["errors"]["file"][0]
    big = "name,email\n" + "x" * 200_000
    assert send(practice.client, practice.clinic, big).status_code == 413


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("name,email,shoe size\nA,a@example.org,9\n", "unknown column"),
        ("name\nA\n", "names the columns"),
        (b"name,email\n\xff\xfe,a@example.org\n", "UTF-8"),
        ("name,email\n", "no patients"),
    ],
)
def test_a_file_hep_cannot_read_says_why(practice: Practice, text: str | bytes, message: str):
    response = send(practice.client, practice.clinic, text)
    assert response.status_code == 422
    assert message in response.get_json()["errors"]["file"][0]


def test_only_the_clinic_s_admins_import(cast: Cast, practice: Practice):
    outsider = cast.client(cast.user(Role.THERAPIST))
    member = cast.client(practice.therapist)
    assert send(member, practice.clinic, CSV).status_code == 403
    assert send(outsider, practice.clinic, CSV).status_code == 404
    assert send(cast.client(cast.user(Role.PATIENT)), practice.clinic, CSV).status_code == 403
    assert send(cast.client(cast.user(Role.ADMIN)), practice.clinic, CSV).status_code == 403
    assert send(cast.client(), practice.clinic, CSV).status_code == 401
    assert (
        practice.client.post(
            f"/api/clinics/{practice.clinic.id}/patients/import", json={"file": "x"}
        ).status_code
        == 415
    )
