"""Deciding, pure: what becomes of each occurrence of a claimed reminder, given what the batch
loaded (the owner, the day's logs, quiet hours, the daily cap, pauses, what is due, where the
owner can be reached). No database, no clock: `hep.reminders.batches` loads and writes."""

from __future__ import annotations

import datetime as dt
import os
import time
import uuid
from dataclasses import dataclass, field
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from hep.adherence import DayLog, Subject
from hep.channels import Address, Message
from hep.models import Habit, Reminder
from hep.models.reminders import DEFAULT_DAILY_CAP
from hep.pause_periods import NOTHING_DUE, Period, mode_on
from hep.reminders.prompts import ASKING, Asks
from hep.reminders.schedule import Rule, in_quiet_hours, next_occurrence, quiet_hours, rule_of
from hep.timezones import zone

MAX_MISSED_RECORDED = 50  # per reminder per pass, so a long outage stays bounded
MESSAGE_KINDS = {
    "program": "program",
    "habit": "habit",
    "none": "general",
    "review": "review",
    "measure": "measure",
}
# the page a message of a kind leads to, when it is not the one-tap check-in page
PAGES = {"review": "weekly-review", "measure": "measures"}
MIN_TTL_SECONDS = 60


class Due(NamedTuple):
    """A claimed reminder: the columns deciding it needs (a row, not an ORM object)."""

    id: uuid.UUID
    owner_id: uuid.UUID
    target_kind: str
    habit_id: uuid.UUID | None
    program_id: uuid.UUID | None
    item_keys: list[str] | None
    rule_type: str
    times: list[str]
    weekdays: int
    every_minutes: int | None
    window_start: str | None
    window_end: str | None
    skip_if_done: bool
    paused_until: dt.date | None
    next_fire_at: dt.datetime | None


DUE_COLUMNS = [getattr(Reminder, name) for name in Due._fields]


class Owner(NamedTuple):
    id: uuid.UUID
    timezone: str
    is_active: bool


class OwnerSettings(NamedTuple):
    """An owner's notification settings (quiet hours, daily cap)."""

    quiet_start: str | None
    quiet_end: str | None
    daily_cap: int


@dataclass
class Context:
    """Everything the decisions of one batch need. `sent_today` and `pushes` start as what
    earlier passes committed and grow with this batch's own decisions."""

    owners: dict[uuid.UUID, Owner]
    settings: dict[uuid.UUID, OwnerSettings]
    # where each owner can be reached: (channel kind, address), over every channel
    reach: dict[uuid.UUID, list[tuple[str, Address]]]
    sent_today: dict[tuple[uuid.UUID, dt.date], int]
    # the occurrence whose message went out for an owner at a moment (grouping)
    pushes: dict[tuple[uuid.UUID, dt.datetime], uuid.UUID]
    logs: dict[uuid.UUID, dict[tuple[uuid.UUID, dt.date], DayLog]]
    habits: dict[uuid.UUID, Habit]
    # the items each program reminder is about (Subject.due_on says when one is due)
    program_items: dict[uuid.UUID, list[Subject]]
    # what the weekly check-in and questionnaire reminders ask about (hep.reminders.prompts)
    asks: Asks = field(default_factory=Asks)
    # the owners' pauses of the whole account (hep.pauses)
    pauses: dict[uuid.UUID, list[Period]] = field(default_factory=dict)


class Decision(NamedTuple):
    """One occurrence decided. `push_id`: the occurrence whose message carries it (itself
    when it is sent, another one when grouped). `recorded`: False for missed occurrences past
    MAX_MISSED_RECORDED (counted, not stored)."""

    occurrence_id: uuid.UUID
    fire_at: dt.datetime
    day: dt.date
    outcome: str
    push_id: uuid.UUID | None
    recorded: bool


def time_ordered_id() -> uuid.UUID:
    """A UUIDv7 (RFC 9562: 48-bit Unix milliseconds, then 74 random bits). Occurrences and
    deliveries are written in bulk; with time-ordered keys their primary-key (and unique)
    index inserts land on the newest index pages instead of dirtying a random page per row."""
    value = (time.time_ns() // 1_000_000) << 80 | int.from_bytes(os.urandom(10))
    value = value & ~(0xF << 76) | 0x7 << 76  # version 7
    value = value & ~(0x3 << 62) | 0x2 << 62  # RFC 9562 variant
    return uuid.UUID(int=value)


class Schedules:
    """rule_of and next_occurrence remembered for one batch: reminders due at the same moment
    often share a rule and a zone (every "08:00 daily" in Europe/Berlin)."""

    def __init__(self) -> None:
        self._rules: dict[tuple[Any, ...], Rule] = {}
        self._next: dict[tuple[Rule, str, dt.datetime], dt.datetime] = {}

    def rule(self, reminder: Due) -> Rule:
        key = (
            reminder.rule_type,
            tuple(reminder.times or ()),
            reminder.weekdays,
            reminder.every_minutes,
            reminder.window_start,
            reminder.window_end,
        )
        rule = self._rules.get(key)
        if rule is None:
            rule = self._rules[key] = rule_of(reminder)
        return rule

    def next(self, rule: Rule, tz: ZoneInfo, after: dt.datetime) -> dt.datetime:
        key = (rule, tz.key, after)
        found = self._next.get(key)
        if found is None:
            found = self._next[key] = next_occurrence(rule, tz, after)
        return found


def due_items(reminder: Due, ctx: Context, day: dt.date) -> list[tuple[Subject, int]]:
    """What of a program reminder's items is due on the day, with its sessions: as Today."""
    due = ((item, item.due_on(day)) for item in ctx.program_items.get(reminder.id, []))
    return [(item, sessions) for item, sessions in due if sessions]


def already_done(reminder: Due, ctx: Context, day: dt.date) -> bool:
    """Skip-if-done, decided now: is what this reminder is about already logged for the day?"""
    logs = ctx.logs.get(reminder.owner_id, {})
    if reminder.habit_id is not None:
        habit = ctx.habits.get(reminder.habit_id)
        entry = logs.get((reminder.habit_id, day))
        if habit is None or entry is None:
            return False
        if entry.skipped:
            return True
        if habit.target is not None and habit.direction == "at_least" and entry.has_value:
            return entry.total_value >= habit.target
        return entry.done >= 1 and habit.direction != "at_most"
    if reminder.program_id is not None:
        for item, sessions in due_items(reminder, ctx, day):
            entry = logs.get((item.id, day))
            if entry is None or not (entry.skipped or entry.done >= sessions):
                return False
        return True
    return False


def decide(reminder: Due, ctx: Context, fire_at: dt.datetime) -> str:
    """The outcome of one occurrence found in time (see OUTCOMES in hep.models.reminders)."""
    owner = ctx.owners[reminder.owner_id]
    tz = zone(owner.timezone)
    day = fire_at.astimezone(tz).date()
    outcome = unwanted(reminder, ctx, day)
    if outcome is not None:
        return outcome
    settings = ctx.settings.get(owner.id)
    quiet = quiet_hours(settings)
    if quiet is not None and in_quiet_hours(quiet, tz, fire_at):
        return "quiet"
    cap = settings.daily_cap if settings is not None else DEFAULT_DAILY_CAP
    if ctx.sent_today.get((owner.id, day), 0) >= cap:
        return "capped"
    if not ctx.reach.get(owner.id):
        return "no_subscription"
    return "sent"


def unwanted(reminder: Due, ctx: Context, day: dt.date) -> str | None:
    """Why an occurrence on `day` is not worth telling, or None: the owner or the reminder is
    paused, nothing of it is due, or it is already done (or answered). Asked as it fires, and
    again as an email digest that would mention it goes out (hep.reminders.digests)."""
    owner = ctx.owners[reminder.owner_id]
    if not owner.is_active:
        return "paused"
    if reminder.paused_until is not None and day <= reminder.paused_until:
        return "paused"
    if mode_on(ctx.pauses.get(owner.id, ()), day) in NOTHING_DUE:
        return "paused"  # unwell or away: no reminders at all
    if reminder.program_id is not None and not due_items(reminder, ctx, day):
        items = ctx.program_items.get(reminder.id, [])
        if any(item.held_on(day) for item in items):
            return "paused"  # a flare-up or a busy week keeps none of its items
        return "not_due"  # not started, ended, or nothing of it on this weekday
    if reminder.target_kind in ASKING:
        asked = ctx.asks.outcome(reminder.target_kind, owner.id, day)
        if asked == "not_due" or (asked == "done" and reminder.skip_if_done):
            return asked
    if reminder.skip_if_done and already_done(reminder, ctx, day):
        return "done"
    return None


def occurrences_due(
    reminder: Due,
    ctx: Context,
    now: dt.datetime,
    grace: dt.timedelta,
    schedules: Schedules,
) -> tuple[list[Decision], dt.datetime | None]:
    """Every occurrence of `reminder` up to `now`, decided, and the first one after: an
    occurrence later than `grace` is missed; one that is sent joins a message already going to
    the owner at the same moment (grouped) or becomes that message (counted for the cap)."""
    owner = ctx.owners[reminder.owner_id]
    tz = zone(owner.timezone)
    rule = schedules.rule(reminder)
    fire_at = reminder.next_fire_at
    decisions: list[Decision] = []
    missed = 0
    while fire_at is not None and fire_at <= now:
        day = fire_at.astimezone(tz).date()
        occurrence_id = time_ordered_id()
        if now - fire_at > grace:
            outcome = "missed"
            missed += 1
        else:
            outcome = decide(reminder, ctx, fire_at)
        push_id: uuid.UUID | None = None
        if outcome == "sent":
            group = (owner.id, fire_at)
            if group in ctx.pushes:
                outcome, push_id = "grouped", ctx.pushes[group]
            else:
                push_id = ctx.pushes[group] = occurrence_id
                ctx.sent_today[(owner.id, day)] = ctx.sent_today.get((owner.id, day), 0) + 1
        recorded = outcome != "missed" or missed <= MAX_MISSED_RECORDED
        decisions.append(Decision(occurrence_id, fire_at, day, outcome, push_id, recorded))
        # after a long outage jump to the grace window instead of walking every slot
        after = fire_at if missed < MAX_MISSED_RECORDED else max(fire_at, now - grace)
        fire_at = schedules.next(rule, tz, after)
    return decisions, fire_at


def message_for(
    occurrence_id: uuid.UUID,
    reminder_id: uuid.UUID,
    target_kind: str | None,
    expires_at: dt.datetime,
    now: dt.datetime,
    base_url: str,
    at: dt.datetime | None = None,
) -> Message:
    """What an occurrence that is sent says, on every channel: its kind and opaque ids, a
    link to its check-in page (or the page it asks to fill in), the time left in its grace
    window, and when it fell due (`at`)."""
    key = occurrence_id.hex
    kind = MESSAGE_KINDS.get(target_kind or "none", "general")
    return Message(
        kind=kind,
        key=key,
        link=f"{base_url}/#/{PAGES.get(kind, f'check-in/{key}')}",
        ttl=max(MIN_TTL_SECONDS, int((expires_at - now).total_seconds())),
        reminder_id=reminder_id.hex,
        at=at,
    )
