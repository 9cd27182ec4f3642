"""Schedule maths: DST gaps and folds, weekdays, interval windows, quiet hours, validation."""

from __future__ import annotations

import datetime as dt
import functools
import itertools
from collections import Counter
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hep.reminders.schedule import (
    IntervalRule,
    QuietHours,
    Rule,
    ScheduleError,
    TimesRule,
    in_quiet_hours,
    next_occurrence,
    occurrence_local_date,
    occurrences_between,
    quiet_hours_end,
    validate_quiet_hours,
    validate_rule,
)

NEW_YORK = ZoneInfo("America/New_York")
BERLIN = ZoneInfo("Europe/Berlin")
WEEKDAYS = frozenset({1, 2, 3, 4, 5})
MINUTE = dt.timedelta(minutes=1)
DAY = dt.timedelta(days=1)


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=dt.UTC)


def wall(instant: dt.datetime, tz: ZoneInfo) -> dt.datetime:
    return instant.astimezone(tz).replace(tzinfo=None)


def daily(*times: dt.time) -> TimesRule:
    return TimesRule.of(times)


def fire(rule: Rule, tz: ZoneInfo, start: dt.datetime, end: dt.datetime) -> list[dt.datetime]:
    """What a dispatcher sees: next_occurrence from `start`, again and again, up to `end`."""
    fired: list[dt.datetime] = []
    instant = start
    for _ in range(10_000):
        instant = next_occurrence(rule, tz, instant)
        if instant > end:
            return fired
        fired.append(instant)
    raise AssertionError("next_occurrence did not get past the end")


# --- DST: the checklist's figures ---------------------------------------------------------------


def test_new_york_spring_gap_fires_once_at_0730z() -> None:
    fired = fire(daily(dt.time(2, 30)), NEW_YORK, utc(2025, 3, 7, 12), utc(2025, 3, 11, 0))
    assert fired == [utc(2025, 3, 8, 7, 30), utc(2025, 3, 9, 7, 30), utc(2025, 3, 10, 6, 30)]
    # 02:30 does not exist that day; it is read as 02:30 EST, which the clock shows as 03:30 EDT
    assert wall(fired[1], NEW_YORK) == dt.datetime(2025, 3, 9, 3, 30)


def test_new_york_fall_fold_fires_once_at_0530z() -> None:
    fired = fire(daily(dt.time(1, 30)), NEW_YORK, utc(2025, 11, 1, 0), utc(2025, 11, 3, 12))
    assert fired == [utc(2025, 11, 1, 5, 30), utc(2025, 11, 2, 5, 30), utc(2025, 11, 3, 6, 30)]
    # the second 01:30 (EST, 06:30Z) is not a second occurrence
    assert utc(2025, 11, 2, 6, 30) not in fired


def test_berlin_spring_gap_fires_once_at_0130z() -> None:
    fired = fire(daily(dt.time(2, 30)), BERLIN, utc(2025, 3, 29, 0), utc(2025, 3, 31, 12))
    assert fired == [utc(2025, 3, 29, 1, 30), utc(2025, 3, 30, 1, 30), utc(2025, 3, 31, 0, 30)]
    assert wall(fired[1], BERLIN) == dt.datetime(2025, 3, 30, 3, 30)


def test_berlin_fall_fold_fires_once_at_0030z() -> None:
    fired = fire(daily(dt.time(2, 30)), BERLIN, utc(2025, 10, 25, 0), utc(2025, 10, 27, 12))
    assert fired == [utc(2025, 10, 25, 0, 30), utc(2025, 10, 26, 0, 30), utc(2025, 10, 27, 1, 30)]
    assert utc(2025, 10, 26, 1, 30) not in fired


def test_a_reminder_due_between_the_two_passes_of_a_fold_waits_for_the_next_day() -> None:
    after_first_pass = utc(2025, 11, 2, 5, 45)  # 01:45 EDT; 01:30 EST is still to come
    assert next_occurrence(daily(dt.time(1, 30)), NEW_YORK, after_first_pass) == utc(
        2025, 11, 3, 6, 30
    )


@pytest.mark.parametrize(
    ("tz", "transition"),
    [
        (NEW_YORK, utc(2025, 3, 9, 7)),
        (NEW_YORK, utc(2025, 11, 2, 6)),
        (BERLIN, utc(2025, 3, 30, 1)),
        (BERLIN, utc(2025, 10, 26, 1)),
    ],
)
def test_daily_0900_stays_0900_local_across_a_transition(
    tz: ZoneInfo, transition: dt.datetime
) -> None:
    fired = fire(daily(dt.time(9)), tz, transition - 3 * DAY, transition + 3 * DAY)
    assert len(fired) == 6
    assert {wall(t, tz).time() for t in fired} == {dt.time(9)}
    assert len({wall(t, tz).date() for t in fired}) == 6
    # and so its UTC time moves by the change of offset
    assert fired[-1] - fired[0] != 5 * DAY


def test_a_gap_can_reorder_two_times_of_the_same_day() -> None:
    rule = daily(dt.time(2, 30), dt.time(3, 15))
    fired = fire(rule, NEW_YORK, utc(2025, 3, 9, 5), utc(2025, 3, 9, 12))
    assert fired == [utc(2025, 3, 9, 7, 15), utc(2025, 3, 9, 7, 30)]


def test_two_times_that_a_gap_maps_to_one_instant_fire_once() -> None:
    rule = daily(dt.time(2, 30), dt.time(3, 30))
    assert fire(rule, NEW_YORK, utc(2025, 3, 9, 5), utc(2025, 3, 9, 12)) == [utc(2025, 3, 9, 7, 30)]


def test_a_calendar_day_skipped_by_its_zone_adds_no_occurrence() -> None:
    apia = ZoneInfo("Pacific/Apia")  # jumped from 2011-12-29 to 2011-12-31 across the date line
    fired = fire(daily(dt.time(9)), apia, utc(2011, 12, 28, 0), utc(2011, 12, 31, 0))
    assert [wall(t, apia).date().day for t in fired] == [28, 29, 31]


# --- weekdays, several times, boundaries -------------------------------------------------------


def test_it_fires_only_on_selected_weekdays() -> None:
    rule = TimesRule.of([dt.time(7)], weekdays={1, 3, 5})
    fired = fire(rule, BERLIN, utc(2025, 6, 1, 0), utc(2025, 6, 15, 0))  # Sun 1 … Sat 14 June
    assert [wall(t, BERLIN).isoweekday() for t in fired] == [1, 3, 5, 1, 3, 5]
    assert fired[0] == utc(2025, 6, 2, 5)


def test_several_times_a_day_fire_in_order() -> None:
    rule = TimesRule.of([dt.time(20), dt.time(8), dt.time(12, 30), dt.time(8)])
    assert rule.times == (dt.time(8), dt.time(12, 30), dt.time(20))
    fired = fire(rule, NEW_YORK, utc(2025, 6, 2, 4), utc(2025, 6, 3, 4))
    assert [wall(t, NEW_YORK).time() for t in fired] == [dt.time(8), dt.time(12, 30), dt.time(20)]


def test_after_exactly_at_an_occurrence_returns_the_next_one() -> None:
    rule = daily(dt.time(8), dt.time(12, 30))
    assert next_occurrence(rule, BERLIN, utc(2025, 6, 2, 6)) == utc(2025, 6, 2, 10, 30)
    assert next_occurrence(rule, BERLIN, utc(2025, 6, 2, 10, 30)) == utc(2025, 6, 3, 6)


def test_results_are_utc_and_any_aware_input_is_accepted() -> None:
    after = dt.datetime(2025, 6, 2, 7, 59, tzinfo=BERLIN)
    result = next_occurrence(daily(dt.time(8)), BERLIN, after)
    assert result == utc(2025, 6, 2, 6)
    assert result.tzinfo is dt.UTC


def test_occurrences_between_excludes_start_and_includes_end() -> None:
    rule = daily(dt.time(8))
    found = list(occurrences_between(rule, BERLIN, utc(2025, 6, 2, 6), utc(2025, 6, 4, 6)))
    assert found == [utc(2025, 6, 3, 6), utc(2025, 6, 4, 6)]
    assert list(occurrences_between(rule, BERLIN, utc(2025, 6, 2, 7), utc(2025, 6, 2, 8))) == []


def test_occurrence_local_date_is_the_rules_day() -> None:
    rule = daily(dt.time(23, 30))
    assert occurrence_local_date(rule, NEW_YORK, utc(2025, 6, 3, 3, 30)) == dt.date(2025, 6, 2)


def test_occurrence_local_date_is_the_rules_day_even_when_a_gap_pushed_it_to_the_next() -> None:
    apia = ZoneInfo("Pacific/Apia")
    fridays = TimesRule.of([dt.time(9)], weekdays={5})  # 2011-12-30, a Friday, never happened
    occurrence = next_occurrence(fridays, apia, utc(2011, 12, 28, 0))
    assert wall(occurrence, apia) == dt.datetime(2011, 12, 31, 9)
    assert occurrence_local_date(fridays, apia, occurrence) == dt.date(2011, 12, 30)


def test_occurrence_local_date_rejects_an_instant_that_is_not_an_occurrence() -> None:
    with pytest.raises(ValueError, match="not an occurrence"):
        occurrence_local_date(daily(dt.time(8)), BERLIN, utc(2025, 6, 2, 6, 1))


# --- interval rules ----------------------------------------------------------------------------


def test_every_50_minutes_from_9_to_17_on_weekdays_fires_ten_times_a_weekday() -> None:
    rule = IntervalRule.of(50, dt.time(9), dt.time(17), WEEKDAYS)
    fired = fire(rule, BERLIN, utc(2025, 6, 6, 0), utc(2025, 6, 8, 22))  # Fri 6 … Sun 8 June
    assert [wall(t, BERLIN).strftime("%H:%M") for t in fired] == [
        "09:00", "09:50", "10:40", "11:30", "12:20", "13:10", "14:00", "14:50", "15:40", "16:30",
    ]  # fmt: skip
    assert {wall(t, BERLIN).date() for t in fired} == {dt.date(2025, 6, 6)}


def test_an_interval_window_may_end_exactly_on_an_occurrence() -> None:
    rule = IntervalRule.of(60, dt.time(9), dt.time(12), WEEKDAYS)
    fired = list(occurrences_between(rule, BERLIN, utc(2025, 6, 2, 0), utc(2025, 6, 3, 0)))
    assert [wall(t, BERLIN).hour for t in fired] == [9, 10, 11, 12]


def test_an_interval_rule_follows_elapsed_time_across_a_spring_gap() -> None:
    rule = IntervalRule.of(50, dt.time(1), dt.time(4), frozenset({7}))
    fired = fire(rule, NEW_YORK, utc(2025, 3, 9, 0), utc(2025, 3, 10, 0))
    # 02:40 EST would be 03:40 EDT; 04:30 EDT is past the window: three, not four
    assert [wall(t, NEW_YORK).strftime("%H:%M") for t in fired] == ["01:00", "01:50", "03:40"]
    assert {b - a for a, b in itertools.pairwise(fired)} == {dt.timedelta(minutes=50)}


def test_an_interval_rule_follows_elapsed_time_across_a_fall_fold() -> None:
    rule = IntervalRule.of(50, dt.time(1), dt.time(3, 30), frozenset({7}))
    fired = fire(rule, NEW_YORK, utc(2025, 11, 2, 0), utc(2025, 11, 3, 0))
    assert [wall(t, NEW_YORK).strftime("%H:%M") for t in fired] == [
        "01:00", "01:50", "01:40", "02:30", "03:20",
    ]  # fmt: skip
    assert {b - a for a, b in itertools.pairwise(fired)} == {dt.timedelta(minutes=50)}


def test_an_interval_window_inside_a_gap_has_no_occurrence_that_day() -> None:
    rule = IntervalRule.of(10, dt.time(2), dt.time(2, 30), frozenset({7}))
    assert next_occurrence(rule, NEW_YORK, utc(2025, 3, 9, 0)) == utc(2025, 3, 16, 6)


# --- quiet hours -------------------------------------------------------------------------------

NIGHT = QuietHours(dt.time(22), dt.time(7))


@pytest.mark.parametrize(
    ("local", "quiet"),
    [
        (dt.time(21, 59), False),
        (dt.time(22), True),
        (dt.time(23, 30), True),
        (dt.time(0), True),
        (dt.time(6, 59), True),
        (dt.time(7), False),
        (dt.time(12), False),
    ],
)
def test_quiet_hours_wrap_midnight(local: dt.time, quiet: bool) -> None:
    instant = dt.datetime.combine(dt.date(2025, 6, 2), local, tzinfo=BERLIN)
    assert in_quiet_hours(NIGHT, BERLIN, instant) is quiet


def test_quiet_hours_within_a_day() -> None:
    siesta = QuietHours(dt.time(13), dt.time(15))
    assert in_quiet_hours(siesta, BERLIN, dt.datetime(2025, 6, 2, 14, tzinfo=BERLIN))
    assert not in_quiet_hours(siesta, BERLIN, dt.datetime(2025, 6, 2, 15, tzinfo=BERLIN))


def test_equal_start_and_end_mean_no_quiet_hours() -> None:
    none = QuietHours(dt.time(22), dt.time(22))
    instant = dt.datetime(2025, 6, 2, 22, tzinfo=BERLIN)
    assert not in_quiet_hours(none, BERLIN, instant)
    assert quiet_hours_end(none, BERLIN, instant) == instant


def test_quiet_hours_end_at_the_next_local_end_after_midnight() -> None:
    assert quiet_hours_end(NIGHT, BERLIN, utc(2025, 6, 2, 21)) == utc(2025, 6, 3, 5)  # 23:00
    assert quiet_hours_end(NIGHT, BERLIN, utc(2025, 6, 3, 2)) == utc(2025, 6, 3, 5)  # 04:00


def test_quiet_hours_end_is_the_instant_itself_outside_quiet_hours() -> None:
    instant = dt.datetime(2025, 6, 2, 12, tzinfo=BERLIN)
    assert quiet_hours_end(NIGHT, BERLIN, instant) == utc(2025, 6, 2, 10)


def test_quiet_hours_end_at_07_local_on_the_morning_the_clocks_spring_forward() -> None:
    assert quiet_hours_end(NIGHT, BERLIN, utc(2025, 3, 29, 22)) == utc(2025, 3, 30, 5)


def test_quiet_hours_ending_inside_a_gap_end_at_the_jump() -> None:
    quiet = QuietHours(dt.time(22), dt.time(2, 30))
    # 01:59:59 EST is quiet; the next second the clock shows 03:00 EDT
    assert quiet_hours_end(quiet, NEW_YORK, utc(2025, 3, 9, 4)) == utc(2025, 3, 9, 7)


def test_quiet_hours_ending_inside_a_fold_end_at_each_pass() -> None:
    quiet = QuietHours(dt.time(22), dt.time(1, 30))
    assert quiet_hours_end(quiet, NEW_YORK, utc(2025, 11, 2, 4)) == utc(2025, 11, 2, 5, 30)
    # 01:15 EST, the second pass: quiet again until 01:30 EST
    assert in_quiet_hours(quiet, NEW_YORK, utc(2025, 11, 2, 6, 15))
    assert quiet_hours_end(quiet, NEW_YORK, utc(2025, 11, 2, 6, 15)) == utc(2025, 11, 2, 6, 30)


def test_quiet_hours_end_when_the_clock_turns_back_before_their_start() -> None:
    santiago = ZoneInfo("America/Santiago")  # 2025-04-06 00:00 -03 becomes 2025-04-05 23:00 -04
    late = QuietHours(dt.time(23, 30), dt.time(7))
    assert quiet_hours_end(late, santiago, utc(2025, 4, 6, 2, 45)) == utc(2025, 4, 6, 3)


# --- validation --------------------------------------------------------------------------------

AWARE_NINE = dt.time(9, tzinfo=dt.UTC)
TOO_MANY_TIMES = (*(dt.time(h, m) for h in range(24) for m in (0, 30)), dt.time(23, 59))


@pytest.mark.parametrize(
    ("rule", "field"),
    [
        (TimesRule((dt.time(9),), frozenset()), "weekdays"),
        (TimesRule((dt.time(9),), frozenset({0})), "weekdays"),
        (TimesRule((dt.time(9),), frozenset({8})), "weekdays"),
        (TimesRule((), WEEKDAYS), "times"),
        (TimesRule((AWARE_NINE,), WEEKDAYS), "times"),
        (TimesRule(TOO_MANY_TIMES, WEEKDAYS), "times"),
        (IntervalRule(50, dt.time(9), dt.time(17), frozenset()), "weekdays"),
        (IntervalRule(4, dt.time(9), dt.time(17), WEEKDAYS), "every_minutes"),
        (IntervalRule(721, dt.time(9), dt.time(17), WEEKDAYS), "every_minutes"),
        (IntervalRule(True, dt.time(9), dt.time(17), WEEKDAYS), "every_minutes"),
        (IntervalRule(50, dt.time(9), dt.time(9), WEEKDAYS), "window_end"),
        (IntervalRule(50, dt.time(17), dt.time(9), WEEKDAYS), "window_end"),
        (IntervalRule(50, AWARE_NINE, dt.time(17), WEEKDAYS), "window_start"),
    ],
)  # fmt: skip
def test_invalid_rules_are_rejected_with_the_field(rule: Rule, field: str) -> None:
    with pytest.raises(ScheduleError) as caught:
        validate_rule(rule)
    assert caught.value.field == field
    with pytest.raises(ScheduleError):
        next_occurrence(rule, BERLIN, utc(2025, 6, 2, 0))


def test_the_boundaries_of_every_minutes_are_valid() -> None:
    validate_rule(IntervalRule(5, dt.time(9), dt.time(17), WEEKDAYS))
    validate_rule(IntervalRule(720, dt.time(0), dt.time(23, 59), WEEKDAYS))


def test_constructor_helpers_validate() -> None:
    with pytest.raises(ScheduleError):
        TimesRule.of([dt.time(9)], weekdays=[])
    with pytest.raises(ScheduleError):
        IntervalRule.of(50, dt.time(17), dt.time(9))


def test_quiet_hours_need_local_times() -> None:
    with pytest.raises(ScheduleError) as caught:
        validate_quiet_hours(QuietHours(dt.time(22), AWARE_NINE))
    assert caught.value.field == "end"


def test_naive_datetimes_are_rejected() -> None:
    naive = dt.datetime(2025, 6, 2, 9)
    rule = daily(dt.time(9))
    with pytest.raises(ValueError, match="aware"):
        next_occurrence(rule, BERLIN, naive)
    with pytest.raises(ValueError, match="aware"):
        occurrences_between(rule, BERLIN, naive, utc(2025, 6, 3))
    with pytest.raises(ValueError, match="aware"):
        occurrences_between(rule, BERLIN, utc(2025, 6, 1), naive)
    with pytest.raises(ValueError, match="aware"):
        occurrence_local_date(rule, BERLIN, naive)
    with pytest.raises(ValueError, match="aware"):
        in_quiet_hours(NIGHT, BERLIN, naive)
    with pytest.raises(ValueError, match="aware"):
        quiet_hours_end(NIGHT, BERLIN, naive)


# --- every transition of many zones, 2020-2030 -------------------------------------------------

ZONES = (
    "America/New_York", "America/Chicago", "America/Los_Angeles", "America/St_Johns",
    "America/Havana", "America/Nuuk", "America/Scoresbysund", "America/Ciudad_Juarez",
    "America/Mexico_City", "America/Whitehorse", "America/Sao_Paulo", "America/Santiago",
    "America/Asuncion", "Pacific/Easter", "Europe/Dublin", "Europe/London", "Europe/Lisbon",
    "Europe/Berlin", "Europe/Chisinau", "Europe/Kyiv", "Europe/Moscow", "Africa/Casablanca",
    "Africa/El_Aaiun", "Africa/Cairo", "Asia/Jerusalem", "Asia/Gaza", "Asia/Beirut",
    "Asia/Amman", "Asia/Damascus", "Asia/Tehran", "Asia/Kathmandu", "Australia/Lord_Howe",
    "Australia/Sydney", "Australia/Adelaide", "Pacific/Auckland", "Pacific/Chatham",
    "Pacific/Norfolk", "Pacific/Apia", "Pacific/Fiji", "Antarctica/Troll",
)  # fmt: skip


@dataclass(frozen=True)
class Transition:
    zone: str
    at: dt.datetime  # the first instant with the new offset
    before: dt.timedelta
    after: dt.timedelta

    @property
    def wall_before(self) -> dt.datetime:
        """What the clock would show at `at` without the change."""
        return (self.at + self.before).replace(tzinfo=None)


def _offset(tz: ZoneInfo, seconds: int) -> dt.timedelta:
    offset = dt.datetime.fromtimestamp(seconds, dt.UTC).astimezone(tz).utcoffset()
    assert offset is not None
    return offset


@functools.cache
def transitions() -> tuple[Transition, ...]:
    """Every change of UTC offset in ZONES in 2020-2030: a 6-hour scan, then bisection."""
    found: list[Transition] = []
    step = 6 * 3600
    for name in ZONES:
        tz = ZoneInfo(name)
        seconds = int(utc(2020, 1, 1).timestamp())
        stop = int(utc(2031, 1, 1).timestamp())
        offset = _offset(tz, seconds)
        while seconds < stop:
            if _offset(tz, seconds + step) != offset:
                low, high = seconds, seconds + step
                while high - low > 1:
                    middle = (low + high) // 2
                    low, high = (middle, high) if _offset(tz, middle) == offset else (low, middle)
                at = dt.datetime.fromtimestamp(high, dt.UTC)
                found.append(Transition(name, at, offset, _offset(tz, high)))
                offset = _offset(tz, high)
            seconds += step
    return tuple(found)


@functools.cache
def zone_offsets(zone: str) -> frozenset[dt.timedelta]:
    tz = ZoneInfo(zone)
    return frozenset(
        {_offset(tz, int(utc(2025, 1, 1).timestamp()))}
        | {t.before for t in transitions() if t.zone == zone}
        | {t.after for t in transitions() if t.zone == zone}
    )


def expected_instant(zone: str, local: dt.datetime) -> dt.datetime:
    """The documented semantics, spelt out without zoneinfo's fold: the first instant the clock
    shows `local`; if it never does (a gap), `local` read with the offset from before the gap."""
    tz = ZoneInfo(zone)
    showing = [
        instant
        for offset in zone_offsets(zone)
        if wall(instant := (local - offset).replace(tzinfo=dt.UTC), tz) == local
    ]
    if showing:
        return min(showing)
    for t in transitions():
        if t.zone == zone and t.wall_before <= local < t.wall_before + (t.after - t.before):
            return (local - t.before).replace(tzinfo=dt.UTC)
    raise AssertionError(f"{local} neither exists nor falls in a known gap of {zone}")


def check_daily_rule_around(times: tuple[dt.time, ...], t: Transition) -> None:
    """Iterate next_occurrence across `t`: the expected instants, strictly increasing, each on
    its rule day, one per time per day (fewer only where a gap maps two times to one instant)."""
    tz = ZoneInfo(t.zone)
    rule = TimesRule.of(times)
    start, end = t.at - 30 * dt.timedelta(hours=1), t.at + 30 * dt.timedelta(hours=1)
    fired = fire(rule, tz, start, end)

    first_day = wall(start, tz).date() - DAY
    expected: dict[dt.datetime, dt.date] = {}
    for n in range(5):
        day = first_day + n * DAY
        for time in rule.times:
            instant = expected_instant(t.zone, dt.datetime.combine(day, time))
            if start < instant <= end:
                expected[instant] = max(day, expected.get(instant, day))
    assert fired == sorted(expected)
    assert all(a < b for a, b in itertools.pairwise(fired))
    days = [occurrence_local_date(rule, tz, instant) for instant in fired]
    assert days == [expected[instant] for instant in fired]
    if len(rule.times) == 1:
        assert max(Counter(days).values(), default=1) == 1
        assert days == [days[0] + n * DAY for n in range(len(days))]


def critical_times(t: Transition) -> tuple[dt.time, ...]:
    """Local times at both edges and in the middle of the transition's gap or fold."""
    jump = abs(t.after - t.before)
    edges = (t.wall_before, t.wall_before + (t.after - t.before))
    low, high = min(edges), max(edges)
    points = (low - MINUTE, low, low + jump / 2, high - MINUTE, high, high + MINUTE)
    return tuple(p.time() for p in points)


def test_the_zones_and_transitions_cover_the_hard_cases() -> None:
    found = transitions()
    assert len(ZONES) >= 30
    assert len(found) > 500
    jumps = {abs(t.after - t.before) for t in found}
    assert dt.timedelta(minutes=30) in jumps  # Lord Howe
    assert dt.timedelta(hours=2) in jumps  # Troll
    assert {t.zone for t in found if t.zone in {"Asia/Tehran", "Pacific/Apia"}} == {
        "Asia/Tehran",
        "Pacific/Apia",
    }


def test_every_transition_with_times_at_the_edges_of_its_gap_or_fold() -> None:
    for t in transitions():
        times = critical_times(t)
        check_daily_rule_around(times, t)
        check_daily_rule_around((times[2],), t)  # the middle of the gap or fold, alone


# a local time, or minutes from where the transition happens on the local clock (gaps and folds)
local_times = st.one_of(st.times(), st.integers(min_value=-150, max_value=150))


@settings(max_examples=20, deadline=None)
@given(specs=st.lists(local_times, min_size=1, max_size=3))
def test_every_transition_yields_increasing_occurrences_one_per_local_day(
    specs: list[dt.time | int],
) -> None:
    for t in transitions():
        times = tuple(
            spec if isinstance(spec, dt.time) else (t.wall_before + spec * MINUTE).time()
            for spec in specs
        )
        check_daily_rule_around(times, t)


@settings(max_examples=10, deadline=None)
@given(
    every=st.integers(min_value=5, max_value=720),
    start_minutes=st.integers(min_value=-180, max_value=120),
    length_minutes=st.integers(min_value=1, max_value=300),
)
def test_every_transition_keeps_interval_rules_on_elapsed_time(
    every: int, start_minutes: int, length_minutes: int
) -> None:
    for t in transitions():
        tz = ZoneInfo(t.zone)
        window_start = (t.wall_before + dt.timedelta(minutes=start_minutes)).time()
        window_end = min(
            dt.datetime.combine(dt.date.min, window_start) + dt.timedelta(minutes=length_minutes),
            dt.datetime.combine(dt.date.min, dt.time.max),
        ).time()
        if window_end <= window_start:
            continue
        rule = IntervalRule.of(every, window_start, window_end)
        found = list(occurrences_between(rule, tz, t.at - 3 * DAY, t.at + 3 * DAY))
        assert all(a < b for a, b in itertools.pairwise(found))
        assert next_occurrence(rule, tz, t.at - 3 * DAY) == found[0]
        assert next_occurrence(rule, tz, t.at - MINUTE) == min(i for i in found if i >= t.at)
        by_day: dict[dt.date, list[dt.datetime]] = {}
        for instant in found:
            by_day.setdefault(occurrence_local_date(rule, tz, instant), []).append(instant)
        step = every * MINUTE
        transition_day = wall(t.at, tz).date()
        for day in (transition_day - DAY, transition_day, transition_day + DAY):
            # from the window's start, every `step` of elapsed time, until the clock passes its end
            last_wall = dt.datetime.combine(day, window_end)
            expected: list[dt.datetime] = []
            instant = expected_instant(t.zone, dt.datetime.combine(day, window_start))
            while wall(instant, tz) <= last_wall:
                expected.append(instant)
                instant += step
            assert by_day.get(day, []) == expected
