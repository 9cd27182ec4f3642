"""Importing a caseload: a clinic moving to hep brings its patient list as CSV (name, email,
time zone, therapist's email). Each row goes through the same path as adding one patient
(hep.invites.add_patient: a new account with an invite, or a link request to an account that
exists, answered alike). A dry run says what would happen; bad rows are reported by line and
then nothing is imported: the whole file, or none of it."""

from __future__ import annotations

import csv
import datetime as dt
import io
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from marshmallow import ValidationError
from marshmallow.validate import Email
from sqlalchemy import select
from sqlalchemy.orm import Session

from hep.accounts import normalize_email
from hep.clinics import led_clinic
from hep.errors import HepError, Invalid
from hep.invites import Added, add_patient
from hep.models import ClinicMember, User
from hep.passwords import Hasher
from hep.timezones import is_valid_timezone
from hep.translations import Text, _, _n

MAX_ROWS = 1000
"""Patients a file may hold; a bigger caseload comes in several files."""
COLUMNS = {
    "name": "name",
    "email": "email",
    "timezone": "timezone",
    "time zone": "timezone",
    "therapist": "therapist",
    "therapist email": "therapist",
    "therapist_email": "therapist",
}
_CONTROL = {chr(c) for c in range(32)} | {"\x7f"}


@dataclass(frozen=True)
class Row:
    line: int
    name: str
    email: str
    timezone: str
    therapist: User
    added: Added | None = None


def _header(fields: Sequence[str] | None) -> dict[str, str]:
    """Column name in the file -> the field it holds; Invalid unless name and email are there."""
    found: dict[str, str] = {}
    for raw in fields or []:
        key = " ".join(raw.strip().lower().split())
        if key in COLUMNS:
            found[raw] = COLUMNS[key]
        elif key:
            raise Invalid.field(
                "file", _("Line 1: unknown column “{column}”.", column=raw.strip()[:40])
            )
    missing = {"name", "email"} - set(found.values())
    if missing:
        raise Invalid.field(
            "file", _("Line 1 names the columns: name, email, timezone, therapist (email).")
        )
    return found


def read_rows(session: Session, admin: User, clinic_id: uuid.UUID, data: bytes) -> list[Row]:
    """The file's rows, checked; Invalid with every bad row by its line."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise Invalid.field(
            "file", _("The file is not UTF-8 text (save it as CSV UTF-8).")
        ) from None
    if "\x00" in text:
        raise Invalid.field("file", _("The file is not text."))
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        columns = _header(reader.fieldnames)
    except csv.Error:
        raise Invalid.field("file", _("Line 1 is not CSV.")) from None
    members = {
        email: user
        for user, email in session.execute(
            select(User, User.email)
            .join(ClinicMember, ClinicMember.user_id == User.id)
            .where(ClinicMember.clinic_id == clinic_id, User.is_active)
        )
    }
    rows: list[Row] = []
    errors: dict[str, list[str | Text]] = {}
    seen: dict[str, int] = {}
    try:
        for record in reader:
            line = reader.line_num
            values = {columns[k]: (v or "").strip() for k, v in record.items() if k in columns}
            if None in record:
                errors[f"line {line}"] = [_("More cells than columns.")]
                continue
            if not any(values.values()):
                continue  # a blank line
            if len(rows) + len(errors) >= MAX_ROWS:
                raise Invalid.field(
                    "file", _("At most {count} patients a file; split it.", count=MAX_ROWS)
                )
            problems: list[str | Text] = []
            name, email = values.get("name", ""), values.get("email", "")
            timezone = values.get("timezone") or "UTC"
            if not name or len(name) > 120 or _CONTROL & set(name):
                problems.append(_("name: give a name of 1 to 120 characters."))
            try:
                Email()(email)
                if len(email) > 254:
                    raise ValidationError([])  # too long for an address
                email = normalize_email(email)
            except ValidationError:
                problems.append(_("email: not an email address."))
            if not is_valid_timezone(timezone):
                problems.append(_("timezone: not a time zone name (like Europe/Berlin)."))
            wanted = values.get("therapist", "")
            therapist = members.get(normalize_email(wanted)) if wanted else admin
            if therapist is None:
                problems.append(_("therapist: no therapist of this clinic has this email."))
            if email in seen:
                problems.append(_("email: also on line {line}.", line=str(seen[email])))
            seen.setdefault(email, line)
            if problems:
                errors[f"line {line}"] = problems
            elif therapist is not None:
                rows.append(Row(line, name, email, timezone, therapist))
    except csv.Error as exc:
        errors[f"line {reader.line_num}"] = [_("Not CSV: {problem}", problem=str(exc)[:200])]
    if errors:
        raise Invalid(_rows_refused(len(errors)), errors)
    if not rows:
        raise Invalid.field("file", _("The file holds no patients."))
    return rows


def _rows_refused(count: int) -> Text:
    return _n(
        "{count} row has a problem; nothing was imported.",
        "{count} rows have problems; nothing was imported.",
        count,
    )


class _DryRun(Exception):
    """Raised inside the savepoint of a dry run, so everything it did is undone."""


def import_caseload(
    session: Session,
    admin: User,
    clinic_id: uuid.UUID,
    data: bytes,
    *,
    dry_run: bool,
    hasher: Hasher,
    invite_lifetime: dt.timedelta,
    now: dt.datetime,
) -> list[Row]:
    """Add every patient of the file to their therapist's list under the clinic (its admins
    only), all or none. A dry run does the same work and undoes it, so what it reports is
    what the import would do, refusals included."""
    led_clinic(session, admin, clinic_id)
    rows = read_rows(session, admin, clinic_id, data)
    done: list[Row] = []
    errors: dict[str, list[str | Text]] = {}
    try:
        with session.begin_nested():
            for row in rows:
                try:
                    added = add_patient(
                        session,
                        row.therapist,
                        email=row.email,
                        name=row.name,
                        timezone=row.timezone,
                        clinic_id=clinic_id,
                        hasher=hasher,
                        invite_lifetime=invite_lifetime,
                        now=now,
                    )
                except HepError as exc:
                    found = exc.errors or {}
                    errors[f"line {row.line}"] = [
                        _("{field}: {message}", field=field, message=message)
                        for field, msgs in found.items()
                        for message in msgs
                    ] or [exc.message]
                    continue
                done.append(Row(row.line, row.name, row.email, row.timezone, row.therapist, added))
            if errors:
                raise Invalid(_rows_refused(len(errors)), errors)
            if dry_run:
                raise _DryRun()
    except _DryRun:
        return [Row(r.line, r.name, r.email, r.timezone, r.therapist) for r in done]
    return done
