"""IANA timezone names: validation and conversion to local dates."""

from __future__ import annotations

import datetime as dt
import functools
import zoneinfo

from hep.errors import Invalid


@functools.cache
def _known() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones()) | {"UTC"}


def is_valid_timezone(name: str) -> bool:
    return name in _known()


def zone(name: str) -> zoneinfo.ZoneInfo:
    """The zone for a stored name; names are validated on the way in, so this does not fail."""
    return zoneinfo.ZoneInfo(name)


def require_timezone(name: str, field: str = "timezone") -> str:
    if not is_valid_timezone(name):
        raise Invalid.field(field, f"Unknown IANA timezone {name!r}.")
    return name


def local_date(now: dt.datetime, tz_name: str) -> dt.date:
    return now.astimezone(zone(tz_name)).date()
