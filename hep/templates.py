"""Templates (protocols): a therapist's reusable program items, private or shared with one of
their clinics; renamed, edited (each edit a new version, like a program's), deleted, and
prescribed to a patient. A template whose author left stays with its clinic."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from hep.care import export_section
from hep.clinics import is_clinic_admin, member_clinics, membership
from hep.errors import Conflict, Forbidden, Invalid, NotFound
from hep.library import exercises_export, get_visible
from hep.models import Exercise, Program, ProgramTemplate, ProgramTemplateVersion, User
from hep.programs import ITEM_FIELDS, prescribe
from hep.translations import _


@dataclass(frozen=True)
class TemplateView:
    template: ProgramTemplate
    version: ProgramTemplateVersion
    owner_name: str
    editable: bool


def _items(
    session: Session, therapist: User, specs: Sequence[dict[str, Any]], kept: set[uuid.UUID]
) -> list[dict[str, Any]]:
    """Items as stored: exercises from the therapist's library (or already in the template)."""
    items = []
    for position, spec in enumerate(specs):
        exercise_id = spec["exercise_id"]
        if exercise_id not in kept:
            exercise = get_visible(session, therapist, exercise_id)
            if exercise.archived_at is not None:
                raise Invalid(
                    _("Invalid items."),
                    {"items": [_("item {position}: this exercise is archived", position=position)]},
                )
        item = {f: spec[f] for f in ITEM_FIELDS if f in spec}
        item["exercise_id"] = str(exercise_id)
        items.append(item)
    if not items:
        raise Invalid.field("items", _("A template needs at least one exercise."))
    return items


def _share_with(session: Session, therapist: User, clinic_id: uuid.UUID | None) -> None:
    if clinic_id is not None and membership(session, clinic_id, therapist.id) is None:
        raise Invalid.field("clinic_id", _("You are not a member of this clinic."))


def save_template(
    session: Session, therapist: User, spec: dict[str, Any], now: dt.datetime
) -> ProgramTemplate:
    clinic_id = spec.get("clinic_id")
    _share_with(session, therapist, clinic_id)
    items = _items(session, therapist, spec["items"], set())
    template = ProgramTemplate(
        owner_id=therapist.id,
        clinic_id=clinic_id,
        title=spec["title"],
        current_version=1,
        created_at=now,
        updated_at=now,
    )
    session.add(template)
    session.flush()
    session.add(
        ProgramTemplateVersion(
            template_id=template.id,
            version=1,
            notes=spec.get("notes", ""),
            items=items,
            created_at=now,
            created_by=therapist.id,
            change_note="",
        )
    )
    session.flush()
    return template


def _visible(therapist: User) -> Any:
    return or_(
        ProgramTemplate.owner_id == therapist.id,
        ProgramTemplate.clinic_id.in_(member_clinics(therapist.id)),
    )


def _can_edit(session: Session, therapist: User, template: ProgramTemplate) -> bool:
    """The author; for a template whose author left, the admins of its clinic."""
    if template.owner_id is not None:
        return template.owner_id == therapist.id
    return is_clinic_admin(session, therapist, template.clinic_id)


def _version(session: Session, template: ProgramTemplate, number: int) -> ProgramTemplateVersion:
    found = session.scalar(
        select(ProgramTemplateVersion).where(
            ProgramTemplateVersion.template_id == template.id,
            ProgramTemplateVersion.version == number,
        )
    )
    if found is None:
        raise NotFound()
    return found


def template_of(session: Session, therapist: User, template_id: uuid.UUID) -> ProgramTemplate:
    """A template the therapist sees (their own or shared with a clinic of theirs)."""
    template = session.scalar(
        select(ProgramTemplate).where(ProgramTemplate.id == template_id, _visible(therapist))
    )
    if template is None:
        raise NotFound()
    return template


def view(
    session: Session, therapist: User, template: ProgramTemplate, number: int | None = None
) -> TemplateView:
    version = _version(session, template, number or template.current_version)
    owner = session.get(User, template.owner_id) if template.owner_id else None
    return TemplateView(
        template, version, owner.name if owner else "", _can_edit(session, therapist, template)
    )


def templates_for(session: Session, therapist: User) -> list[TemplateView]:
    """The therapist's templates and those shared with their clinics, by title."""
    rows = session.execute(
        select(ProgramTemplate, ProgramTemplateVersion)
        .join(
            ProgramTemplateVersion,
            (ProgramTemplateVersion.template_id == ProgramTemplate.id)
            & (ProgramTemplateVersion.version == ProgramTemplate.current_version),
        )
        .where(_visible(therapist))
        .order_by(ProgramTemplate.title, ProgramTemplate.id)
    ).all()
    owners = {t.owner_id for t, _second in rows if t.owner_id}
    names = dict(session.execute(select(User.id, User.name).where(User.id.in_(owners))).all())
    return [
        TemplateView(
            t, v, names.get(t.owner_id, "") if t.owner_id else "", _can_edit(session, therapist, t)
        )
        for t, v in rows
    ]


def editable_template(session: Session, therapist: User, template_id: uuid.UUID) -> ProgramTemplate:
    template = template_of(session, therapist, template_id)
    if not _can_edit(session, therapist, template):
        raise Forbidden(_("Only the template's author can change it."))
    return template


def change_template(
    session: Session,
    therapist: User,
    template_id: uuid.UUID,
    changes: dict[str, Any],
    now: dt.datetime,
) -> ProgramTemplate:
    """Rename it, or share it with a clinic (or make it private): no new version."""
    template = editable_template(session, therapist, template_id)
    if "title" in changes:
        template.title = changes["title"]
    if "clinic_id" in changes:
        if template.owner_id is None:
            raise Conflict(_("A template whose author left stays shared with its clinic."))
        _share_with(session, therapist, changes["clinic_id"])
        template.clinic_id = changes["clinic_id"]
    template.updated_at = now
    session.flush()
    return template


def revise_template(
    session: Session,
    therapist: User,
    template_id: uuid.UUID,
    spec: dict[str, Any],
    now: dt.datetime,
) -> ProgramTemplate:
    """An edit of the notes and items, saved as a new version (racing edits each get one)."""
    template = editable_template(session, therapist, template_id)
    session.refresh(template, with_for_update=True)
    current = _version(session, template, template.current_version)
    kept = {uuid.UUID(str(i["exercise_id"])) for i in current.items}
    items = _items(session, therapist, spec["items"], kept)
    template.current_version += 1
    session.add(
        ProgramTemplateVersion(
            template_id=template.id,
            version=template.current_version,
            notes=spec.get("notes", current.notes),
            items=items,
            created_at=now,
            created_by=therapist.id,
            change_note=spec.get("change_note", ""),
        )
    )
    template.updated_at = now
    session.flush()
    return template


def delete_template(session: Session, therapist: User, template_id: uuid.UUID) -> None:
    """Programs made from it keep their own copy of the items."""
    template = editable_template(session, therapist, template_id)
    session.delete(template)
    session.flush()


def versions(session: Session, template: ProgramTemplate) -> Sequence[ProgramTemplateVersion]:
    return session.scalars(
        select(ProgramTemplateVersion)
        .where(ProgramTemplateVersion.template_id == template.id)
        .order_by(ProgramTemplateVersion.version.desc())
    ).all()


def apply_template(
    session: Session,
    therapist: User,
    template_id: uuid.UUID,
    patient_id: uuid.UUID,
    start_date: dt.date,
    now: dt.datetime,
) -> Program:
    """Prescribe the template's current version; its exercises come with it, even a
    colleague's own or one archived since."""
    template = template_of(session, therapist, template_id)
    current = _version(session, template, template.current_version)
    items = [dict(i, exercise_id=uuid.UUID(str(i["exercise_id"]))) for i in current.items]
    ids = {i["exercise_id"] for i in items}
    kept = {e.id: e for e in session.scalars(select(Exercise).where(Exercise.id.in_(ids)))}
    if len(kept) != len(ids):
        raise Conflict(_("This template uses an exercise that no longer exists: edit it first."))
    return prescribe(
        session,
        therapist,
        patient_id,
        {"title": template.title, "notes": current.notes, "start_date": start_date, "items": items},
        now,
        kept=kept,
    )


@export_section
def _export_library(session: Session, user: User) -> tuple[str, Any]:
    """A therapist's own exercises and templates (every version)."""
    exported = []
    for template in session.scalars(
        select(ProgramTemplate).where(ProgramTemplate.owner_id == user.id)
    ):
        exported.append(
            {
                "title": template.title,
                "shared_with_clinic": str(template.clinic_id) if template.clinic_id else None,
                "versions": [
                    {"version": v.version, "notes": v.notes, "items": v.items}
                    for v in versions(session, template)
                ],
            }
        )
    return "library", {"exercises": exercises_export(session, user), "templates": exported}
