"""The languages hep speaks, which one a reader gets, and dates and numbers written in it."""

from __future__ import annotations

import datetime as dt

from babel import Locale, dates, numbers
from flask import g, has_request_context, request

LANGUAGES = {"en": "English", "es": "Español", "de": "Deutsch"}
"""Each language hep is written in, by its code, named in itself."""

DEFAULT = "en"


def supported(code: str | None) -> str:
    """`code` if hep speaks it (a regional form like es-MX counts as es), else the default."""
    base = (code or "").replace("_", "-").split("-")[0].lower()
    return base if base in LANGUAGES else DEFAULT


def negotiate(accept_language: str | None) -> str:
    """The best of hep's languages for an Accept-Language header, by the browser's order of
    preference (q values); English when none of them is asked for."""
    wanted: list[tuple[float, int, str]] = []
    for position, part in enumerate((accept_language or "").split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        base = tag.strip().split("-")[0].lower()
        if base in LANGUAGES and quality > 0:
            wanted.append((-quality, position, base))
    return min(wanted)[2] if wanted else DEFAULT


def request_language() -> str:
    """The language of whoever made this request: a signed-in user's setting, else what the
    browser asks for. Outside a request (the scheduler's ticks) texts name their reader."""
    if not has_request_context():
        return DEFAULT
    user = g.get("user")
    if user is not None:
        return supported(user.language)
    found: str | None = g.get("hep_language")
    if found is None:
        found = g.hep_language = negotiate(request.headers.get("Accept-Language"))
    return found


def locale(language: str) -> Locale:
    return Locale.parse(supported(language))


def date_text(day: dt.date, language: str, form: str = "long") -> str:
    """A day as its reader writes it: "3 March 2026", "3 de marzo de 2026", "3. März 2026"."""
    return dates.format_date(day, format=form, locale=locale(language))


def weekday_text(day: dt.date, language: str) -> str:
    """ "Tuesday, 3 March", "martes, 3 de marzo", "Dienstag, 3. März"."""
    return dates.format_skeleton("MMMMEEEEd", day, locale=locale(language))


def time_text(moment: dt.time | dt.datetime, language: str) -> str:
    return dates.format_time(moment, format="short", locale=locale(language))


def number_text(value: float, language: str) -> str:
    """A number as its reader writes it (2.5 / 2,5), grouped from five digits on (12,000 /
    12.000): a year or a 1024 reads best whole."""
    pattern = "#,##0.##" if abs(value) >= 10_000 else "0.##"
    return numbers.format_decimal(value, format=pattern, locale=locale(language))
