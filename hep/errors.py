"""Domain errors; the API turns each into one JSON envelope with a 4xx status."""

from __future__ import annotations

from typing import Any

from hep.translations import Text, _

NOT_FOUND = _("Not found.")


class HepError(Exception):
    """Base: a message for people and optional field errors {field: [message, ...]} (a
    nested object's fields nest alike: {"rule": {"end": [message]}}). Messages are Texts
    (hep.translations), said in the reader's language when the error is answered."""

    status = 400

    def __init__(self, message: str | Text, errors: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.errors = errors


class Unauthorized(HepError):
    status = 401


class Forbidden(HepError):
    status = 403


class NotFound(HepError):
    status = 404

    def __init__(self, message: str | Text = NOT_FOUND) -> None:
        super().__init__(message)


class Conflict(HepError):
    status = 409


# the message of a refusal whose fields each say what is wrong, beside them
CHECK_FIELDS = _("Check the highlighted fields.")


class Invalid(HepError):
    status = 422

    @classmethod
    def field(cls, field: str, message: str | Text) -> Invalid:
        return cls(CHECK_FIELDS, {field: [message]})


class Throttled(HepError):
    status = 429

    def __init__(self, message: str | Text, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after
