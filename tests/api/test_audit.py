"""The audit log: security events and administrative actions land in it, the database keeps
it append-only, clinic admins read their clinic's part, and the CSV export is safe to open in
a spreadsheet."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from sqlalchemy import delete, update
from sqlalchemy.exc import DBAPIError

from hep import audit
from hep.db import db
from hep.models import AuditEntry, Role
from tests.conftest import NOW, PASSWORD, Cast


def ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, (response.status_code, response.get_json())
    return response.get_json()


def test_sign_ins_password_changes_exports_and_deletions_are_recorded(cast: Cast):
    admin = cast.client(cast.user(Role.ADMIN))
    user = cast.user(Role.PATIENT, "Audited Person")
    bad = {"email": user.email, "password": "not the right one"}
    assert cast.client().post("/api/auth/login", json=bad).status_code == 401
    unknown = {"email": "nobody@example.org", "password": "whatever it is"}
    assert cast.client().post("/api/auth/login", json=unknown).status_code == 401
    c = cast.client(user)
    change = {"password": "another long passphrase", "current_password": PASSWORD}
    ok(c.patch("/api/me", json=change))
    ok(c.get("/api/me/export"))
    assert c.delete("/api/me", json={"password": "another long passphrase"}).status_code == 204
    mine = ok(admin.get("/api/admin/audit-log?q=Audited&page_size=100"))
    assert [e["action"] for e in mine] == [
        "account_deleted",
        "export",
        "password_changed",
        "sign_in",
        "sign_in_failed",
    ]
    failed = ok(admin.get("/api/admin/audit-log?action=sign_in_failed&page_size=100"))
    assert any(e["subject_id"] is None and e["detail"].startswith("from ") for e in failed)
    # nothing in it reads like health data: the export of a patient is one line, no content
    assert all(set(e) == set(mine[0]) for e in mine)


def test_the_database_refuses_to_change_or_remove_an_entry(cast: Cast):
    audit.record(db.session, "export", actor=cast.user(Role.PATIENT), now=NOW)
    db.session.commit()
    for statement in (update(AuditEntry).values(detail="changed"), delete(AuditEntry)):
        with pytest.raises(DBAPIError):
            db.session.execute(statement)
            db.session.flush()
        db.session.rollback()


def test_a_clinic_admin_reads_and_exports_their_clinics_entries_only(cast: Cast):
    boss, other = cast.user(Role.THERAPIST, "Dr Boss"), cast.user(Role.THERAPIST, "Dr Other")
    mine, theirs = cast.clinic(boss, name="Mine"), cast.clinic(other, name="Theirs")
    c = cast.client(boss)
    ok(c.patch(f"/api/clinics/{mine.id}", json={"name": '=HYPERLINK("http://x")'}))
    ok(c.patch(f"/api/clinics/{mine.id}", json={"name": "Calm"}))
    ok(cast.client(other).patch(f"/api/clinics/{theirs.id}", json={"name": "Theirs 2"}))
    entries = ok(c.get(f"/api/clinics/{mine.id}/audit-log"))
    assert {e["clinic_id"] for e in entries} == {str(mine.id)}
    assert c.get(f"/api/clinics/{theirs.id}/audit-log").status_code == 404
    exported = c.get(f"/api/clinics/{mine.id}/audit-log.csv")
    assert exported.status_code == 200 and exported.mimetype == "text/csv"
    assert "attachment" in exported.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(exported.get_data(as_text=True))))
    assert {r["clinic_id"] for r in rows} == {str(mine.id)}
    renamed = [r["detail"] for r in rows if r["action"] == "clinic_renamed"]
    # a cell that a spreadsheet would run as a formula is quoted as text
    assert renamed == ['Mine -> =HYPERLINK("http://x")', '\'=HYPERLINK("http://x") -> Calm']
    assert all(not r[k].startswith(("=", "+", "-", "@")) for r in rows for k in r if k != "at")


def test_a_cell_that_starts_like_a_formula_is_made_text():
    assert [audit.safe_cell(v) for v in ("=1+1", "+1", "-1", "@SUM(A1)", "\tx", "Ann")] == [
        "'=1+1",
        "'+1",
        "'-1",
        "'@SUM(A1)",
        "'\tx",
        "Ann",
    ]


def test_the_site_admin_exports_the_whole_log_as_csv(cast: Cast):
    admin = cast.client(cast.user(Role.ADMIN))
    cast.client(cast.user(Role.THERAPIST, "-Dr Minus"))  # signs in: an entry with that name
    exported = admin.get("/api/admin/audit-log.csv?action=sign_in")
    rows = list(csv.reader(io.StringIO(exported.get_data(as_text=True))))
    assert rows[0] == list(audit.CSV_COLUMNS)
    assert [r[3] for r in rows[1:] if "Minus" in r[3]][:1] == ["'-Dr Minus"]
    assert {r[1] for r in rows[1:]} == {"sign_in"}
