"""Field types shared by the API schemas."""

from __future__ import annotations

import re
from typing import Any

from marshmallow import ValidationError, fields

# NUL breaks PostgreSQL text, lone surrogates break UTF-8, other controls break displays
_FORBIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
_FORBIDDEN_ONE_LINE = re.compile(r"[\x00-\x1f\x7f\ud800-\udfff]")


class Text(fields.String):
    """A string without control characters or lone surrogates; `multiline` allows newlines/tabs."""

    def __init__(self, *args: Any, multiline: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.multiline = multiline

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        text: str = super()._deserialize(value, attr, data, **kwargs)
        pattern = _FORBIDDEN if self.multiline else _FORBIDDEN_ONE_LINE
        if pattern.search(text):
            raise ValidationError("Contains characters that are not allowed.")
        return text
