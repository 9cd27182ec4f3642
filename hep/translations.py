"""Words for people in every language hep speaks. The code writes its messages in English
inside `_()` (or `_n()` for a count); the other languages' words are gettext catalogues,
hep/locales/<language>.po, read by Babel. A message waits as a `Text` until its reader is
known: the request's user, or whoever a mail or a push is addressed to."""

from __future__ import annotations

import functools
import io
from collections.abc import Mapping
from importlib import resources
from typing import Any

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

from hep.languages import DEFAULT, LANGUAGES, number_text, request_language, supported


class Text:
    """A message for a person, in English until it is asked for in their language. Its
    parameters fill `{name}` places; numbers are written the reader's way and a Text given
    as a parameter is said in the same language."""

    __slots__ = ("count", "params", "plural", "singular")

    def __init__(
        self,
        singular: str,
        plural: str | None = None,
        count: int | None = None,
        params: Mapping[str, Any] | None = None,
    ) -> None:
        self.singular = singular
        self.plural = plural
        self.count = count
        self.params = dict(params or {})

    def format(self, /, **params: Any) -> Text:
        """The same message with more of its places filled."""
        return Text(self.singular, self.plural, self.count, {**self.params, **params})

    def in_(self, language: str) -> str:
        words = translations(language)
        if self.plural is None:
            pattern = words.gettext(self.singular)
        else:
            pattern = words.ngettext(self.singular, self.plural, self.count or 0)
        values = {name: _value(value, language) for name, value in self.params.items()}
        if self.count is not None:
            values.setdefault("count", number_text(self.count, language))
        return pattern.format_map(values) if values else pattern

    def __str__(self) -> str:
        return self.in_(request_language())

    def __repr__(self) -> str:
        return f"Text({self.singular!r})"

    def __eq__(self, other: object) -> bool:
        if isinstance(other, str):
            return self.in_(DEFAULT) == other
        if isinstance(other, Text):
            return (self.singular, self.plural, self.count, self.params) == (
                other.singular,
                other.plural,
                other.count,
                other.params,
            )
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self.singular)


def _value(value: Any, language: str) -> Any:
    if isinstance(value, Text):
        return value.in_(language)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return number_text(value, language)
    return value


def _(message: str, /, **params: Any) -> Text:
    """A message to translate when its reader is known; `{name}` places take `params`."""
    return Text(message, params=params)


def _n(singular: str, plural: str, count: int, /, **params: Any) -> Text:
    """A message about `count` things, in the plural form its reader's language needs for
    that number; `{count}` is the number."""
    return Text(singular, plural, count, params)


@functools.cache
def translations(language: str) -> NullTranslations:
    """The catalogue of a language (English: the words the code is written in)."""
    language = supported(language)
    if language == DEFAULT:
        return NullTranslations()
    source = resources.files("hep") / "locales" / f"{language}.po"
    with source.open("rb") as po:
        catalog = read_po(po, locale=language)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(compiled)


def say(message: str | Text, language: str | None = None) -> str:
    """A message in `language` (the request's reader's when not given); plain strings are
    already in their words (a person's own text, a name)."""
    if isinstance(message, Text):
        return message.in_(language or request_language())
    return message


def say_all(found: Any, language: str | None = None) -> Any:
    """Every message in nested dicts and lists (an error's fields) in one language."""
    language = language or request_language()
    if isinstance(found, Text):
        return found.in_(language)
    if isinstance(found, Mapping):
        return {key: say_all(value, language) for key, value in found.items()}
    if isinstance(found, list | tuple):
        return [say_all(value, language) for value in found]
    return found


__all__ = ["LANGUAGES", "Text", "_", "_n", "say", "say_all", "translations"]
