"""IANA timezone names: validation and conversion to local dates."""

from __future__ import annotations

import datetime as dt
import functools
import zoneinfo

from hep.errors import Invalid
from hep.translations import _

# zone files that some systems keep beside the IANA ones: "localtime" is the host's own zone,
# so it would mean a different place on every server
_NOT_IANA = frozenset({"localtime", "posixrules"})


@functools.cache
def known_timezones() -> frozenset[str]:
    """The IANA zone names hep accepts (those the installed tz database holds)."""
    return (frozenset(zoneinfo.available_timezones()) | {"UTC"}) - _NOT_IANA


def is_valid_timezone(name: str) -> bool:
    return name in known_timezones()


def zone(name: str) -> zoneinfo.ZoneInfo:
    """The zone for a stored name; names are validated on the way in, so this does not fail."""
    return zoneinfo.ZoneInfo(name)


def require_timezone(name: str, field: str = "timezone") -> str:
    if not is_valid_timezone(name):
        raise Invalid.field(field, _("Unknown IANA timezone “{name}”.", name=name))
    return name


def local_date(now: dt.datetime, tz_name: str) -> dt.date:
    return now.astimezone(zone(tz_name)).date()
