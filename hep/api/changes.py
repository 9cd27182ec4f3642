"""PATCH bodies: name only what changes, at least one field, nested objects whole."""

from __future__ import annotations

from typing import Any

from apispec import BasePlugin
from apispec.ext.marshmallow.common import resolve_schema_cls
from marshmallow import Schema, ValidationError, fields, validates_schema

from hep.translations import _


class Changes(Schema):
    """A schema loaded partially on its own top-level fields. A nested object (a reminder's
    rule or target) is replaced whole, so it must be complete, unless its field is listed in
    `merged` (then only the sub-fields given change). An empty body is refused: there is
    nothing to change."""

    merged: tuple[str, ...] = ()

    def __init__(self, **kwargs: Any) -> None:
        partial: list[str] = list(self._declared_fields)
        for name in self.merged:
            nested = self._declared_fields[name]
            assert isinstance(nested, fields.Nested)
            partial += [f"{name}.{sub}" for sub in nested.schema.fields]
        kwargs.setdefault("partial", tuple(partial))
        super().__init__(**kwargs)

    @validates_schema
    def _something(self, data: dict[str, Any], **kwargs: Any) -> None:
        if not data:
            raise ValidationError([_("Name at least one field to change.")])


class ChangesPlugin(BasePlugin):
    """Documents a PATCH body's "at least one field" as minProperties."""

    def schema_helper(self, name: str, definition: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
        schema = kwargs.get("schema")
        found = resolve_schema_cls(schema) if schema is not None else None
        if isinstance(found, type) and issubclass(found, Changes):
            return {"minProperties": 1}
        return {}
