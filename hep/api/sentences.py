"""Validation errors as sentences a person reads beside the field: "Reps: a whole number from 1
to 500." Each field's sentence says what it takes, made from its type and bounds (the ones the
schema enforces) and its label (hep.api.labels); marshmallow's and webargs' own messages never
reach a client, while the sentences hep's schemas write themselves pass as written."""

from __future__ import annotations

import functools
import inspect
import re
from typing import Any

from marshmallow import Schema, fields, validate

from hep.api.fields import FIRST_YEAR, LAST_YEAR, Date, HttpsUrl, QueryBoolean, Time, Timezone
from hep.api.labels import label_of
from hep.errors import CHECK_FIELDS
from hep.translations import Text, _, say_all

# the words of each sentence, in one place (said in the reader's language, hep.translations)
WORDS = {
    "required": _("{label}: required."),
    "unknown": _("“{name}” is not part of this form."),
    "unreadable": _("The form could not be read. Reload the page and try again."),
    "whole_range": _("{label}: a whole number from {min} to {max}."),
    "whole_min": _("{label}: a whole number, {min} or more."),
    "whole_max": _("{label}: a whole number, {max} at most."),
    "whole": _("{label}: a whole number."),
    "number_range": _("{label}: a number from {min} to {max}."),
    "number_min": _("{label}: a number, {min} or more."),
    "number_max": _("{label}: a number, {max} at most."),
    "number": _("{label}: a number."),
    "text_range": _("{label}: {min} to {max} characters."),
    "text_needed": _("{label}: write something, up to {max} characters."),
    "text_max": _("{label}: up to {max} characters."),
    "text_min": _("{label}: at least {min} characters."),
    "text": _("{label}: text."),
    "choice": _("{label}: choose one of the options."),
    "timezone": _("{label}: choose a time zone from the list, like Europe/Berlin."),
    "email": _("{label}: an email address, like name@example.org."),
    "url": _("{label}: a web address starting with https://."),
    "yes_no": _("{label}: yes or no."),
    "true_false": _("{label}: true or false."),
    "date": _("{label}: a date from {first} to {last}, written YYYY-MM-DD."),
    "time": _("{label}: a time of day, written HH:MM (24-hour)."),
    "pick": _("{label}: choose one from the list."),
    "count_range": _("{label}: at least {min} and at most {max}."),
    "count_max": _("{label}: at most {max}."),
    "count_min": _("{label}: at least {min}."),
    "list": _("{label}: a list."),
    "parts": _("{label}: fill in each part."),
    "other": _("{label}: check this value."),
}


def _bounds(field: fields.Field, kind: type[validate.Validator]) -> tuple[Any, Any]:
    low = high = None
    for rule in field.validators:
        if isinstance(rule, kind):
            if isinstance(rule, validate.Range):
                low, high = rule.min, rule.max
            elif isinstance(rule, validate.Length):
                low, high = (
                    (rule.equal, rule.equal) if rule.equal is not None else (rule.min, rule.max)
                )
    return low, high


def _ranged(prefix: str, label: str | Text, low: Any, high: Any) -> Text:
    if low is not None and high is not None:
        return WORDS[f"{prefix}_range"].format(label=label, min=low, max=high)
    if low is not None:
        return WORDS[f"{prefix}_min"].format(label=label, min=low)
    if high is not None:
        return WORDS[f"{prefix}_max"].format(label=label, max=high)
    return WORDS[prefix].format(label=label)


def rule_sentence(field: fields.Field, label: str | Text) -> Text:
    """What the field takes, as one sentence that starts with its label."""
    if isinstance(field, fields.Integer):
        return _ranged("whole", label, *_bounds(field, validate.Range))
    if isinstance(field, fields.Float | fields.Decimal):
        return _ranged("number", label, *_bounds(field, validate.Range))
    if isinstance(field, QueryBoolean):
        return WORDS["true_false"].format(label=label)
    if isinstance(field, fields.Boolean):
        return WORDS["yes_no"].format(label=label)
    if isinstance(field, Date | fields.Date):
        return WORDS["date"].format(label=label, first=str(FIRST_YEAR), last=str(LAST_YEAR))
    if isinstance(field, Time | fields.Time):
        return WORDS["time"].format(label=label)
    if isinstance(field, fields.UUID):
        return WORDS["pick"].format(label=label)
    if isinstance(field, Timezone):
        return WORDS["timezone"].format(label=label)
    if isinstance(field, fields.Email):
        return WORDS["email"].format(label=label)
    if isinstance(field, HttpsUrl | fields.Url):
        return WORDS["url"].format(label=label)
    if isinstance(field, fields.List):
        low, high = _bounds(field, validate.Length)
        if low is None and high is None:
            return WORDS["list"].format(label=label)
        return _ranged("count", label, low, high)
    if isinstance(field, fields.Nested | fields.Dict):
        return WORDS["parts"].format(label=label)
    if isinstance(field, fields.String):
        if any(isinstance(r, validate.OneOf) for r in field.validators):
            return WORDS["choice"].format(label=label)
        low, high = _bounds(field, validate.Length)
        if low == 1 and high is not None:
            return WORDS["text_needed"].format(label=label, max=high)
        return _ranged("text", label, low, high)
    return WORDS["other"].format(label=label)


def _template(message: str) -> re.Pattern[str]:
    # "Must be {min_op} {{min}}." -> any text where the placeholders were
    parts = re.split(r"\{+[^{}]*\}+", message)
    return re.compile(".*".join(re.escape(p) for p in parts), re.S)


@functools.cache
def _defaults() -> tuple[re.Pattern[str], ...]:
    """Every message marshmallow and webargs write by themselves, as patterns."""
    found: set[str] = {"Invalid JSON body.", "Invalid input type.", "Unknown field."}
    for cls in _subclasses(fields.Field):
        for klass in cls.__mro__:
            found.update(getattr(klass, "default_error_messages", {}).values())
    for _name, cls in inspect.getmembers(validate, inspect.isclass):
        for name in dir(cls):
            value = getattr(cls, name)
            if (name.startswith("message") or name == "default_message") and isinstance(value, str):
                found.add(value)
    return tuple(_template(m) for m in sorted(found) if m)


def _subclasses(cls: type) -> set[type]:
    found: set[type] = {cls}
    sub: type
    for sub in cls.__subclasses__():
        found |= _subclasses(sub)
    return found


def is_default(message: str) -> bool:
    """Whether a message is one of marshmallow's or webargs' own (not written by hep)."""
    return any(p.fullmatch(message) for p in _defaults())


def _unique(items: list[Any]) -> list[Any]:
    return list(dict.fromkeys(items))


def _leaf(field: fields.Field, messages: list[Any], label: str | Text) -> list[Any]:
    said = []
    for message in messages:
        if not isinstance(message, str) or not is_default(message):
            said.append(message)
        elif message == "Missing data for required field.":
            said.append(WORDS["required"].format(label=label))
        else:
            said.append(rule_sentence(field, label))
    return _unique(said)


def _field(field: fields.Field, messages: Any, form: str, name: str) -> Any:
    label = label_of(form, name)
    if isinstance(messages, list):
        return _leaf(field, messages, label)
    if not isinstance(messages, dict):
        return messages
    if isinstance(field, fields.List):
        # errors of its entries, by position
        return {index: _field(field.inner, found, form, name) for index, found in messages.items()}
    if isinstance(field, fields.Nested):
        nested = field.schema
        return _explain(messages, nested if isinstance(nested, Schema) else None)
    # a mapping's keys or values: one sentence for the whole field
    return [WORDS["parts"].format(label=label)]


def explain(messages: Any, schema: Schema | None) -> Any:
    """`messages` (marshmallow's {field: [message] or nested}) in people's words, in the
    language of whoever sent them."""
    return say_all(_explain(messages, schema))


def _explain(messages: Any, schema: Schema | None) -> Any:
    if not isinstance(messages, dict):
        return _general(messages)
    known = {f.data_key or n: f for n, f in schema.load_fields.items()} if schema else {}
    form = type(schema).__name__ if schema else ""
    said: dict[Any, Any] = {}
    for name, found in messages.items():
        field = known.get(name)
        if field is not None:
            said[name] = _field(field, found, form, str(name))
        elif isinstance(found, dict):  # a location's fields (a body, a query, an upload)
            said[name] = _explain(found, schema)
        elif name in ("json", "query", "path", "_schema") or schema is None:
            said[name] = _general(found)
        else:
            said[name] = _unique(
                [
                    WORDS["unknown"].format(name=name)
                    if isinstance(m, str) and is_default(m)
                    else m
                    for m in (found if isinstance(found, list) else [found])
                ]
            )
    return said


def _general(messages: Any) -> Any:
    """Errors about the whole body rather than a field."""
    if isinstance(messages, dict):
        return {k: _general(v) for k, v in messages.items()}
    if isinstance(messages, list):
        return _unique([_general(m) for m in messages])
    if isinstance(messages, str) and is_default(messages):
        return WORDS["unreadable"]
    return messages


SOMETHING_WRONG = _("Something went wrong. Try again in a moment.")

# what an answer without words of its own says (werkzeug's are written for developers)
STATUS_WORDS = {
    400: _("The request could not be read. Reload the page and try again."),
    401: _("Sign in first."),
    403: _("You cannot do this."),
    404: _("Not found. It may have been removed."),
    405: _("This address does not take that kind of request."),
    409: _("This changed in the meantime. Reload and try again."),
    413: _("That is too big to send."),
    415: _("The request could not be read. Reload the page and try again."),
    422: CHECK_FIELDS,
    429: _("Too many tries. Wait a moment and try again."),
}


def status_sentence(status: int, description: str | None, default: str | None) -> str | Text:
    """The message of an HTTP error: its own words, unless they are werkzeug's default."""
    if description and description != default:
        return description
    return STATUS_WORDS.get(status, SOMETHING_WRONG)
