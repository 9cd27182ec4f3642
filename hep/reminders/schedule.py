"""Pure schedule maths: reminder occurrences and quiet hours in a user's IANA timezone."""

from __future__ import annotations

import datetime as dt
import math
import uuid
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol, TypeAlias
from zoneinfo import ZoneInfo

from hep.models.reminders import DEFAULT_QUIET_END, DEFAULT_QUIET_START

if TYPE_CHECKING:
    from hep.adherence import Subject

MIN_EVERY_MINUTES = 5
MAX_EVERY_MINUTES = 720
MAX_TIMES_PER_DAY = 48
ALL_WEEKDAYS: frozenset[int] = frozenset(range(1, 8))

_DAY = dt.timedelta(days=1)
_INSTANT = dt.timedelta(microseconds=1)
# Any 7 consecutive local days hold an active weekday; two more days absorb gaps and folds.
_HORIZON = dt.timedelta(days=9)
# A window is under a day of wall-clock time; a fold can add a few hours of elapsed time.
_MAX_WINDOW_ELAPSED = dt.timedelta(hours=48)


class ScheduleError(ValueError):
    """An invalid rule or quiet-hours setting; `field` names the attribute, `message` says why."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


@dataclass(frozen=True)
class TimesRule:
    """Fire at these local wall-clock times on these ISO weekdays (1 = Monday … 7 = Sunday)."""

    times: tuple[dt.time, ...]
    weekdays: frozenset[int]

    @classmethod
    def of(cls, times: Iterable[dt.time], weekdays: Iterable[int] = ALL_WEEKDAYS) -> TimesRule:
        """A valid rule with times sorted and deduplicated; raises ScheduleError."""
        raw = cls(tuple(times), frozenset(weekdays))
        validate_rule(raw)
        return cls(tuple(sorted({t.replace(fold=0) for t in raw.times})), raw.weekdays)


@dataclass(frozen=True)
class IntervalRule:
    """Fire every `every_minutes` of elapsed time from `window_start` while the local clock is
    at most `window_end`, on these ISO weekdays ("every 50 min 09:00-17:00 on weekdays")."""

    every_minutes: int
    window_start: dt.time
    window_end: dt.time
    weekdays: frozenset[int]

    @classmethod
    def of(
        cls,
        every_minutes: int,
        window_start: dt.time,
        window_end: dt.time,
        weekdays: Iterable[int] = ALL_WEEKDAYS,
    ) -> IntervalRule:
        """A valid rule; raises ScheduleError."""
        rule = cls(every_minutes, window_start, window_end, frozenset(weekdays))
        validate_rule(rule)
        return rule


Rule: TypeAlias = TimesRule | IntervalRule


@dataclass(frozen=True)
class QuietHours:
    """Local wall-clock hours [start, end) with no pushes; may wrap midnight; start == end: none."""

    start: dt.time
    end: dt.time


class RuleColumns(Protocol):
    """A stored reminder's rule columns (a Reminder row, or a plain row with these names)."""

    @property
    def rule_type(self) -> str: ...
    @property
    def times(self) -> list[str]: ...
    @property
    def weekdays(self) -> int: ...
    @property
    def every_minutes(self) -> int | None: ...
    @property
    def window_start(self) -> str | None: ...
    @property
    def window_end(self) -> str | None: ...


class QuietColumns(Protocol):
    """A user's stored quiet hours ("HH:MM" each, or None)."""

    @property
    def quiet_start(self) -> str | None: ...
    @property
    def quiet_end(self) -> str | None: ...


def weekdays_to_mask(days: Iterable[int]) -> int:
    return sum(1 << (d - 1) for d in set(days))


def mask_to_weekdays(mask: int) -> list[int]:
    return [d for d in range(1, 8) if mask & (1 << (d - 1))]


def parse_time(value: str) -> dt.time:
    return dt.time.fromisoformat(value)


def rule_of(reminder: RuleColumns) -> Rule:
    """The rule a stored reminder describes; raises ScheduleError (or AssertionError for an
    interval rule missing a column)."""
    weekdays = mask_to_weekdays(reminder.weekdays)
    if reminder.rule_type == "interval":
        assert reminder.every_minutes and reminder.window_start and reminder.window_end
        return IntervalRule.of(
            reminder.every_minutes,
            parse_time(reminder.window_start),
            parse_time(reminder.window_end),
            weekdays,
        )
    return TimesRule.of([parse_time(t) for t in reminder.times], weekdays)


def quiet_hours(settings: QuietColumns | None) -> QuietHours | None:
    """A user's quiet hours: the defaults while they have no settings, None if turned off."""
    if settings is None:
        return QuietHours(parse_time(DEFAULT_QUIET_START), parse_time(DEFAULT_QUIET_END))
    if settings.quiet_start is None or settings.quiet_end is None:
        return None
    return QuietHours(parse_time(settings.quiet_start), parse_time(settings.quiet_end))


def targeted_items(
    subjects: Sequence[Subject], program_id: uuid.UUID, item_keys: Sequence[str] | None
) -> list[Subject]:
    """The program items a program reminder is about: its program's, or the ones it names."""
    wanted = set(item_keys or ())
    return [
        s for s in subjects if s.program_id == program_id and (not wanted or str(s.id) in wanted)
    ]


def program_days(items: Sequence[Subject]) -> tuple[dt.date, dt.date | None] | None:
    """The days a program reminder may find something due: those its program's current
    version runs (see `Subject.due_on`); None when that version has none of its items (or the
    program is archived), so it never fires again until the program changes."""
    return next((item.current for item in items if item.current is not None), None)


def validate_rule(rule: Rule) -> None:
    """Raise ScheduleError(field, message) unless `rule` is a rule this module can schedule."""
    if isinstance(rule, TimesRule):
        if not rule.times:
            raise ScheduleError("times", "At least one time is required.")
        if len(rule.times) > MAX_TIMES_PER_DAY:
            raise ScheduleError("times", f"At most {MAX_TIMES_PER_DAY} times a day.")
        for time in rule.times:
            _require_local_time("times", time)
    elif isinstance(rule, IntervalRule):
        every = rule.every_minutes
        if (
            isinstance(every, bool)
            or not isinstance(every, int)
            or not MIN_EVERY_MINUTES <= every <= MAX_EVERY_MINUTES
        ):
            raise ScheduleError(
                "every_minutes",
                f"Must be a whole number of minutes from {MIN_EVERY_MINUTES} to "
                f"{MAX_EVERY_MINUTES}.",
            )
        _require_local_time("window_start", rule.window_start)
        _require_local_time("window_end", rule.window_end)
        if rule.window_end <= rule.window_start:
            raise ScheduleError("window_end", "Must be later than window_start on the same day.")
    else:
        raise TypeError(f"Not a schedule rule: {rule!r}")
    if not rule.weekdays:
        raise ScheduleError("weekdays", "At least one weekday is required.")
    for day in rule.weekdays:
        if isinstance(day, bool) or not isinstance(day, int) or not 1 <= day <= 7:
            raise ScheduleError("weekdays", "Weekdays are 1 (Monday) to 7 (Sunday).")


def validate_quiet_hours(quiet: QuietHours) -> None:
    """Raise ScheduleError(field, message) unless both ends are naive local times."""
    _require_local_time("start", quiet.start)
    _require_local_time("end", quiet.end)


def local_instant(day: dt.date, time: dt.time, tz: ZoneInfo) -> dt.datetime:
    """The aware UTC instant at which local `time` on `day` fires in `tz`.

    - An ordinary local time maps to its only instant.
    - A repeated local time (autumn fold) maps to the first of its two instants (fold=0):
      America/New_York 01:30 on 2025-11-02 fires at 05:30Z (EDT), once.
    - A local time that does not exist (spring gap) is read with the UTC offset in force before
      the gap: it fires at the instant the clock would have shown it had the clock not jumped,
      which is the time shifted forward by the gap's length. America/New_York 02:30 on 2025-03-09
      fires at 07:30Z (03:30 EDT); Australia/Lord_Howe's 30-minute gap shifts by 30 minutes.
      This is PEP 495's fold=0 reading, so the shift never moves an occurrence earlier.
    """
    wall = dt.datetime.combine(day, time.replace(tzinfo=None, fold=0))
    return wall.replace(tzinfo=tz).astimezone(dt.UTC)


def next_occurrence(rule: Rule, tz: ZoneInfo, after: dt.datetime) -> dt.datetime:
    """The first occurrence strictly after `after` (aware), as an aware UTC datetime.

    Each occurrence is computed from the local wall clock of its own day (see `local_instant`), so
    a daily 09:00 stays 09:00 local across transitions. Raises ValueError for a naive `after` and
    ScheduleError for an invalid rule; always terminates.
    """
    validate_rule(rule)
    after = _as_utc(after, "after")
    for occurrence in _occurrences(rule, tz, after, after + _HORIZON):
        return occurrence
    # unreachable for a valid rule: every active day has at least one occurrence
    raise ScheduleError("rule", "Has no occurrence in the next nine days.")


def within_days(
    rule: Rule,
    tz: ZoneInfo,
    occurrence: dt.datetime,
    first: dt.date | None,
    last: dt.date | None,
) -> dt.datetime | None:
    """`occurrence` (of `rule`) kept to the local days from `first` to `last` (either open):
    one on a day before `first` moves on to the rule's first occurrence on `first` or later;
    one after `last` is None (there is none). Days are the wall clock's, as the dispatcher
    judges them."""
    if first is not None and occurrence.astimezone(tz).date() < first:
        occurrence = next_occurrence(rule, tz, _day_floor(first, tz) - _INSTANT)
    if last is not None and occurrence.astimezone(tz).date() > last:
        return None
    return occurrence


def occurrences_between(
    rule: Rule, tz: ZoneInfo, start: dt.datetime, end: dt.datetime
) -> Iterator[dt.datetime]:
    """Occurrences t with start < t <= end, strictly increasing, as aware UTC datetimes.

    Validates eagerly (ValueError for naive datetimes, ScheduleError for an invalid rule).
    """
    validate_rule(rule)
    return _occurrences(rule, tz, _as_utc(start, "start"), _as_utc(end, "end"))


def occurrence_local_date(rule: Rule, tz: ZoneInfo, occurrence: dt.datetime) -> dt.date:
    """The local day whose rule produced `occurrence`, even if a spring gap pushed it into the
    next local day. Raises ValueError if `occurrence` is not an occurrence of `rule`."""
    validate_rule(rule)
    occurrence = _as_utc(occurrence, "occurrence")
    wall_day = occurrence.astimezone(tz).date()
    # fold=0 keeps an occurrence on its day and a gap only pushes it later, by under a day
    for day in (wall_day, wall_day - _DAY):
        if occurrence in _day_occurrences(rule, tz, day):
            return day
    raise ValueError(f"{occurrence.isoformat()} is not an occurrence of {rule!r} in {tz.key}.")


def in_quiet_hours(quiet: QuietHours, tz: ZoneInfo, instant: dt.datetime) -> bool:
    """Whether the local wall clock at `instant` is within [start, end), wrapping midnight."""
    validate_quiet_hours(quiet)
    local = _as_utc(instant, "instant").astimezone(tz).time().replace(tzinfo=None)
    if quiet.start == quiet.end:
        return False
    if quiet.start < quiet.end:
        return quiet.start <= local < quiet.end
    return local >= quiet.start or local < quiet.end


def quiet_hours_end(quiet: QuietHours, tz: ZoneInfo, instant: dt.datetime) -> dt.datetime:
    """The first instant at or after `instant` that is outside quiet hours, as aware UTC.

    `instant` itself (in UTC) when it is outside. Follows the real wall clock: quiet hours ending
    at 02:30 on the day the clock jumps from 02:00 to 03:00 end at the jump, and a clock turned back
    from inside quiet hours to before their start ends them at the turn.
    """
    instant = _as_utc(instant, "instant")
    if not in_quiet_hours(quiet, tz, instant):
        return instant
    today = instant.astimezone(tz).date()
    # Quiet hours can only be left when the clock reaches `end` or jumps (over `end`, or back
    # before `start`); every such instant is a candidate, and the earliest outside one wins.
    candidates: set[dt.datetime] = set()
    for offset in range(-1, 4):
        day = today + offset * _DAY
        for time in (quiet.start, quiet.end):
            candidates.update(_wall_clock_instants(day, time, tz))
    outside = [c for c in candidates if c > instant and not in_quiet_hours(quiet, tz, c)]
    if not outside:  # pragma: no cover - a quiet period shorter than a day always ends
        raise ScheduleError("end", "Quiet hours never end.")
    return min(outside)


def _occurrences(
    rule: Rule, tz: ZoneInfo, start: dt.datetime, end: dt.datetime
) -> Iterator[dt.datetime]:
    # a gap can push a day's occurrence into the next local day, so begin two days back
    day = start.astimezone(tz).date() - 2 * _DAY
    pending: set[dt.datetime] = set()  # a set: a gap may map two local times to one instant
    while True:
        pending.update(t for t in _day_occurrences(rule, tz, day) if start < t <= end)
        day += _DAY
        floor = _day_floor(day, tz)
        ready = sorted(t for t in pending if t < floor)
        yield from ready
        pending.difference_update(ready)
        if floor > end:
            return


def _day_occurrences(rule: Rule, tz: ZoneInfo, day: dt.date) -> list[dt.datetime]:
    """The instants `rule` fires at for local `day`, sorted and distinct (gaps reorder them)."""
    if day.isoweekday() not in rule.weekdays:
        return []
    if isinstance(rule, TimesRule):
        return sorted({local_instant(day, time, tz) for time in rule.times})
    first = local_instant(day, rule.window_start, tz)
    last_wall = dt.datetime.combine(day, rule.window_end)
    step = dt.timedelta(minutes=rule.every_minutes)
    found: list[dt.datetime] = []
    # elapsed time, not wall time: a gap in the window removes occurrences, a fold adds them
    instant = first
    while instant - first <= _MAX_WINDOW_ELAPSED and _wall(instant, tz) <= last_wall:
        found.append(instant)
        instant += step
    return found


def _day_floor(day: dt.date, tz: ZoneInfo) -> dt.datetime:
    """No occurrence of local `day` or any later day is earlier than this instant."""
    midnight = dt.datetime.combine(day, dt.time(), tzinfo=tz)
    # fold=1 reads a midnight inside a gap with the later offset, i.e. before the jump
    return min(midnight.astimezone(dt.UTC), midnight.replace(fold=1).astimezone(dt.UTC))


def _wall_clock_instants(day: dt.date, time: dt.time, tz: ZoneInfo) -> set[dt.datetime]:
    """The instants the clock shows local `time` on `day`, or the jump over it if it never does,
    plus the jump itself when the time is repeated."""
    wall = dt.datetime.combine(day, time.replace(tzinfo=None), tzinfo=tz)
    first = wall.replace(fold=0).astimezone(dt.UTC)
    second = wall.replace(fold=1).astimezone(dt.UTC)
    instants = {first, second}
    if first != second:
        instants.add(_offset_change(tz, min(first, second), max(first, second)))
    if _wall(first, tz) != wall.replace(tzinfo=None):
        instants -= {first, second}  # a gap: the clock never shows it
    return instants


def _offset_change(tz: ZoneInfo, low: dt.datetime, high: dt.datetime) -> dt.datetime:
    """The first whole second in (low, high] whose UTC offset in `tz` differs from low's.

    Assumes exactly one change in the interval; tz database transitions fall on whole seconds.
    """
    before = low.astimezone(tz).utcoffset()
    lo, hi = math.floor(low.timestamp()), math.ceil(high.timestamp())
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if dt.datetime.fromtimestamp(mid, dt.UTC).astimezone(tz).utcoffset() == before:
            lo = mid
        else:
            hi = mid
    return dt.datetime.fromtimestamp(hi, dt.UTC)


def _wall(instant: dt.datetime, tz: ZoneInfo) -> dt.datetime:
    return instant.astimezone(tz).replace(tzinfo=None)


def _as_utc(value: dt.datetime, name: str) -> dt.datetime:
    if not isinstance(value, dt.datetime) or value.utcoffset() is None:
        raise ValueError(f"{name} must be an aware datetime, got {value!r}.")
    return value.astimezone(dt.UTC)


def _require_local_time(field: str, value: object) -> None:
    if not isinstance(value, dt.time) or value.tzinfo is not None:
        raise ScheduleError(field, "Must be a local time without a timezone.")
