"""Arguments and answers of the audit log endpoints."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from hep.api.fields import Text
from hep.api.paging import PageArgs
from hep.audit import ACTIONS

_ACTIONS_DOC = "; ".join(f"{name}: {meaning}" for name, meaning in ACTIONS.items())


class AuditFilter(Schema):
    action = fields.String(
        validate=validate.OneOf(sorted(ACTIONS)), metadata={"description": _ACTIONS_DOC}
    )
    q = Text(
        validate=validate.Length(max=100),
        metadata={"description": "a part of the actor's or the subject's name"},
    )


class AuditPage(AuditFilter, PageArgs):
    pass


class AuditEntryOut(Schema):
    id = fields.Integer()
    at = fields.DateTime()
    action = fields.String(metadata={"description": _ACTIONS_DOC})
    actor_id = fields.UUID(allow_none=True)
    actor_name = fields.String()
    subject_id = fields.UUID(allow_none=True)
    subject_name = fields.String()
    clinic_id = fields.UUID(allow_none=True)
    detail = fields.String()
