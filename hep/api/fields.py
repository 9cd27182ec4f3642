"""Field types shared by the API schemas: strict about types, bounded, and documented as
strictly as they check (the OpenAPI document is generated from these)."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from typing import Any

from marshmallow import ValidationError, fields, validate
from werkzeug.routing import IntegerConverter, Map

from hep.languages import LANGUAGES
from hep.timezones import known_timezones
from hep.translations import _

# NUL breaks PostgreSQL text, lone surrogates break UTF-8, other controls break displays
_FORBIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
_FORBIDDEN_ONE_LINE = re.compile(r"[\x00-\x1f\x7f\ud800-\udfff]")
# the documented form leaves out surrogates: JSON text cannot carry them as characters, and an
# ECMAScript class over UTF-16 units would refuse every emoji
_ALLOWED_DOC = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$"
_ALLOWED_ONE_LINE_DOC = r"^[^\x00-\x1f\x7f]*$"

# PostgreSQL's INTEGER, the narrower of the two engines' integer columns
SQL_INT_MAX = 2**31 - 1
FIRST_YEAR, LAST_YEAR = 2000, 2100

_DIGITS = re.compile(r"-?[0-9]{1,10}")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# the years FIRST_YEAR to LAST_YEAR, as a pattern a generated client can follow
_DATE_DOC = r"^(20[0-9]{2}|2100)-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"
_HH_MM = r"^([01][0-9]|2[0-3]):[0-5][0-9]$"
_HH_MM_FULL = re.compile(_HH_MM[1:-1])
_CANONICAL_UUID = re.compile(r"[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}")


def _with(kwargs: dict[str, Any], *validators: Any) -> dict[str, Any]:
    """kwargs with validators appended to any given (apispec documents each one)."""
    given = kwargs.pop("validate", None)
    found = [] if given is None else [given] if callable(given) else list(given)
    return {**kwargs, "validate": [*found, *validators]}


class Text(fields.String):
    """A string without control characters or lone surrogates; `multiline` allows newlines/tabs."""

    def __init__(self, *args: Any, multiline: bool = False, **kwargs: Any) -> None:
        pattern = _ALLOWED_DOC if multiline else _ALLOWED_ONE_LINE_DOC
        metadata = {"pattern": pattern, **kwargs.pop("metadata", {})}
        super().__init__(*args, metadata=metadata, **kwargs)
        self.multiline = multiline

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        text: str = super()._deserialize(value, attr, data, **kwargs)
        pattern = _FORBIDDEN if self.multiline else _FORBIDDEN_ONE_LINE
        if pattern.search(text):
            raise ValidationError([_("Contains characters that are not allowed.")])
        return text


class Integer(fields.Integer):
    """A JSON integer between `minimum` and `maximum`: 2.7, 2.0, "3" and true are refused,
    never rounded or coerced. The bounds are required: every integer reaches SQL."""

    def __init__(self, minimum: int, maximum: int, **kwargs: Any) -> None:
        if not -SQL_INT_MAX <= minimum <= maximum <= SQL_INT_MAX:
            raise ValueError("integer bounds must fit an SQL INTEGER")
        super().__init__(strict=True, **_with(kwargs, validate.Range(minimum, maximum)))


class QueryInteger(Integer):
    """An integer in a query string: ASCII decimal digits only (no "1e3", " 3", "3_000")."""

    def _validated(self, value: Any) -> int:
        if isinstance(value, str):
            if not _DIGITS.fullmatch(value):
                raise self.make_error("invalid")
            value = int(value)
        return super()._validated(value)


class Number(fields.Float):
    """A finite JSON number between `minimum` and `maximum`; strings and booleans are refused."""

    def __init__(self, minimum: float, maximum: float, **kwargs: Any) -> None:
        super().__init__(allow_nan=False, **_with(kwargs, validate.Range(minimum, maximum)))

    def _validated(self, value: Any) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.make_error("invalid")
        number: float = super()._validated(value)
        return number


class Boolean(fields.Boolean):
    """JSON true or false, nothing else (not 1, "yes" or "on")."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> bool:
        if value is True or value is False:
            return value
        raise self.make_error("invalid", input=value)


class QueryBoolean(fields.Boolean):
    """true or false spelled out in a query string."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> bool:
        if value in ("true", "false"):
            return value == "true"
        raise self.make_error("invalid", input=value)


class Date(fields.Date):
    """A calendar date written YYYY-MM-DD in the years hep plans for (2000 to 2100)."""

    def __init__(self, **kwargs: Any) -> None:
        metadata = {"pattern": _DATE_DOC, **kwargs.pop("metadata", {})}
        super().__init__(metadata=metadata, **_with(kwargs, in_planned_years))

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> dt.date:
        if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
            raise self.make_error("invalid", input=value, obj_type=self.OBJ_TYPE)
        day: dt.date = super()._deserialize(value, attr, data, **kwargs)
        return day


def in_planned_years(day: dt.date) -> None:
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise ValidationError(
            [
                _(
                    "Give a date between {first} and {last}.",
                    first=str(FIRST_YEAR),
                    last=str(LAST_YEAR),
                )
            ]
        )


class Time(fields.Time):
    """A local wall-clock time written HH:MM (24-hour)."""

    def __init__(self, **kwargs: Any) -> None:
        metadata = {"pattern": _HH_MM, **kwargs.pop("metadata", {})}
        super().__init__(format="%H:%M", metadata=metadata, **kwargs)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> dt.time:
        if not isinstance(value, str) or not _HH_MM_FULL.fullmatch(value):
            raise self.make_error("invalid", input=value, obj_type=self.OBJ_TYPE)
        time: dt.time = super()._deserialize(value, attr, data, **kwargs)
        return time


class UUID(fields.UUID):
    """A UUID in its canonical 8-4-4-4-12 hexadecimal form."""

    def _validated(self, value: Any) -> uuid.UUID:
        if isinstance(value, uuid.UUID):
            return value
        if not isinstance(value, str) or not _CANONICAL_UUID.fullmatch(value):
            raise self.make_error("invalid_uuid")
        return super()._validated(value)


class HttpsUrl(fields.Url):
    """An absolute https URL of at most 2000 characters (documented as format uri)."""

    def __init__(self, **kwargs: Any) -> None:
        metadata = {"pattern": "^https://", **kwargs.pop("metadata", {})}
        kwargs = _with(kwargs, validate.Length(max=2000))
        super().__init__(schemes={"https"}, metadata=metadata, **kwargs)


class Timezone(fields.String):
    """An IANA time zone name, as `zoneinfo` knows it."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**_with(kwargs, validate.OneOf(sorted(known_timezones()))))


class Language(fields.String):
    """One of the languages hep speaks, by its code (en, es, de)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**_with(kwargs, validate.OneOf(list(LANGUAGES))))


class PathInteger(IntegerConverter):
    """The `int` path converter, bounded by default to what an SQL INTEGER holds and to ASCII
    digits: a larger number names no resource (404), it never reaches the database."""

    regex = r"[0-9]+"

    def __init__(
        self,
        map: Map,
        fixed_digits: int = 0,
        min: int | None = 0,
        max: int | None = SQL_INT_MAX,
        signed: bool = False,
    ) -> None:
        super().__init__(map, fixed_digits, min, max, signed)


_VISIBLE = re.compile(r"[^\s\x00-\x1f\x7f]")


class Words(Text):
    """Text with at least one visible character: blank or spaces only is refused, and the
    documented pattern says so."""

    def __init__(self, *args: Any, multiline: bool = False, **kwargs: Any) -> None:
        allowed = r"[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]" if multiline else r"[^\x00-\x1f\x7f]"
        pattern = rf"^{allowed}*[^\s\x00-\x1f\x7f]{allowed}*$"
        metadata = {"pattern": pattern, **kwargs.pop("metadata", {})}
        super().__init__(*args, multiline=multiline, metadata=metadata, **kwargs)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        text = super()._deserialize(value, attr, data, **kwargs)
        if not _VISIBLE.search(text):
            raise ValidationError([_("Write something here.")])
        return text
