"""Domain errors; the API turns each into one JSON envelope with a 4xx status."""

from __future__ import annotations

from typing import Any


class HepError(Exception):
    """Base: a message for people and optional field errors {field: [message, ...]} (a
    nested object's fields nest alike: {"rule": {"end": [message]}})."""

    status = 400

    def __init__(self, message: str, errors: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.errors = errors


class Unauthorized(HepError):
    status = 401


class Forbidden(HepError):
    status = 403


class NotFound(HepError):
    status = 404

    def __init__(self, message: str = "Not found.") -> None:
        super().__init__(message)


class Conflict(HepError):
    status = 409


# the message of a refusal whose fields each say what is wrong, beside them
CHECK_FIELDS = "Check the highlighted fields."


class Invalid(HepError):
    status = 422

    @classmethod
    def field(cls, field: str, message: str) -> Invalid:
        return cls(CHECK_FIELDS, {field: [message]})


class Throttled(HepError):
    status = 429

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after
