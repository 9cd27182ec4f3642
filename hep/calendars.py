"""Calendar feeds: a patient's plan in any calendar app, by a private iCalendar address (a
secret token, stored hashed, made, replaced and revoked by the patient). Events are worked
out when the feed is read, by the rules the reminder dispatcher follows (the same schedule
maths and `Subject.due_on`), so the calendar changes with the program: each timed program
reminder on a day something of it is due is an exercise session, each timed habit reminder a
habit check, and a program without one gets an all-day event on its days. Titles are generic
unless the patient lets them name what they are about."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import icalendar
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from hep.accounts import hash_token
from hep.adherence import Subject, load_subjects
from hep.db import dialect_insert
from hep.errors import NotFound
from hep.exports import export_section
from hep.models import CalendarFeed, Habit, Program, ProgramItem, ProgramVersion, Reminder, User
from hep.programs import session_minutes
from hep.reminders.schedule import (
    occurrences_between,
    rule_of,
    targeted_items,
)
from hep.timezones import local_date, zone
from hep.translations import _

PAST_DAYS = 7
AHEAD_DAYS = 56
"""The window of events a feed holds, around the patient's today; calendar apps read it
again every hour or so (REFRESH), so it moves along."""
MAX_EVENTS = 2000
HABIT_MINUTES = 5
MIN_SESSION_MINUTES = 5
REFRESH = dt.timedelta(hours=1)


def new_feed(session: Session, user: User, *, details: bool, now: dt.datetime) -> str:
    """A new secret address for the user's feed, replacing any before it (which stops
    working at once); returns the token, which is never stored. Racing requests each
    replace the other's: one row, the last token wins."""
    token = secrets.token_urlsafe(32)
    insert = dialect_insert(session)
    values = {
        "user_id": user.id,
        "token_hash": hash_token(token),
        "details": details,
        "created_at": now,
    }
    statement = insert(CalendarFeed.__table__).values(**values)
    session.execute(
        statement.on_conflict_do_update(
            index_elements=["user_id"],
            set_={k: statement.excluded[k] for k in ("token_hash", "details", "created_at")},
        )
    )
    session.expire_all()
    return token


def feed_of(session: Session, user: User) -> CalendarFeed | None:
    return session.get(CalendarFeed, user.id)


@export_section
def _export_feed(session: Session, user: User) -> tuple[str, Any]:
    """Whether the person's calendar address works (its secret is not kept, so not here)."""
    feed = feed_of(session, user)
    if feed is None:
        return "calendar_feed", None
    return "calendar_feed", {"details": feed.details, "created_at": feed.created_at.isoformat()}


def set_details(session: Session, user: User, details: bool) -> CalendarFeed:
    """Let the feed's events name what they are about, or not; the address stays."""
    feed = feed_of(session, user)
    if feed is None:
        raise NotFound(_("You have no calendar address: make one first."))
    feed.details = details
    session.flush()
    return feed


def revoke(session: Session, user: User) -> None:
    """The address stops working; calendars subscribed to it get 404 and keep old events."""
    session.execute(delete(CalendarFeed).where(CalendarFeed.user_id == user.id))


def reader(session: Session, token: str) -> tuple[User, CalendarFeed] | None:
    """The active user whose feed this token opens, with the feed; None for any other."""
    feed = session.scalar(select(CalendarFeed).where(CalendarFeed.token_hash == hash_token(token)))
    if feed is None:
        return None
    user = session.get(User, feed.user_id)
    if user is None or not user.is_active:
        return None
    return user, feed


@dataclass(frozen=True)
class Event:
    uid: str
    start: dt.datetime | dt.date  # aware, in the user's zone; a date for an all-day event
    minutes: int
    title: str
    description: str
    revised: dt.datetime


def _uid(*parts: object) -> str:
    return hashlib.sha256(":".join(map(str, parts)).encode()).hexdigest()[:32]


def events(session: Session, user: User, details: bool, now: dt.datetime) -> list[Event]:
    """The user's sessions and habit checks from PAST_DAYS before their today to AHEAD_DAYS
    after, in time order (at most MAX_EVENTS)."""
    tz = zone(user.timezone)
    today = local_date(now, user.timezone)
    first, last = today - dt.timedelta(days=PAST_DAYS), today + dt.timedelta(days=AHEAD_DAYS)
    start = dt.datetime.combine(first, dt.time(), tzinfo=tz).astimezone(dt.UTC)
    end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time(), tzinfo=tz).astimezone(dt.UTC)
    subjects = load_subjects(session, [user.id], {user.id: user.timezone}).get(user.id, [])
    programs = _programs(session, user)
    reminders = session.scalars(
        select(Reminder)
        .where(Reminder.owner_id == user.id, Reminder.rule_type == "times")
        .where(Reminder.target_kind.in_(("program", "habit")))
        .order_by(Reminder.created_at, Reminder.id)
    ).all()
    habits = {
        h.id: h
        for h in session.scalars(
            select(Habit).where(Habit.owner_id == user.id, Habit.archived_at.is_(None))
        )
    }
    found: list[Event] = []
    timed: set[uuid.UUID] = set()
    for reminder in reminders:
        rule = rule_of(reminder)
        if reminder.program_id is not None:
            program = programs.get(reminder.program_id)
            if program is None:
                continue
            items = targeted_items(subjects, reminder.program_id, reminder.item_keys)
            timed.add(reminder.program_id)
        elif reminder.habit_id in habits:
            program, items = None, []
        else:
            continue
        for instant in occurrences_between(rule, tz, start - dt.timedelta(microseconds=1), end):
            local = instant.astimezone(tz)
            day = local.date()
            if reminder.paused_until is not None and day <= reminder.paused_until:
                continue
            revised = max(reminder.updated_at, program.revised if program else reminder.updated_at)
            uid = _uid(reminder.id, day, local.time().isoformat("minutes"))
            if program is not None:
                due = [(s, s.due_on(day)) for s in items]
                due = [(s, n) for s, n in due if n]
                if not due:
                    continue
                found.append(
                    Event(
                        uid,
                        local,
                        max(MIN_SESSION_MINUTES, round(program.minutes(due))),
                        program.title if details else "Exercise session",
                        _names(due, user.language) if details else "",
                        revised,
                    )
                )
            else:
                habit = habits[reminder.habit_id]  # type: ignore[index]
                title = habit.name if details else "Habit check"
                found.append(Event(uid, local, HABIT_MINUTES, title, "", revised))
    for program in programs.values():
        if program.id in timed:
            continue
        own = [s for s in subjects if s.program_id == program.id]
        day = first
        while day <= last:
            due = [(s, n) for s in own if (n := s.due_on(day))]
            if due:
                title = program.title if details else "Exercises today"
                description = _names(due, user.language) if details else ""
                found.append(
                    Event(_uid(program.id, day), day, 0, title, description, program.revised)
                )
            day += dt.timedelta(days=1)
    found.sort(key=lambda e: (_sort_key(e.start, tz), e.uid))
    return found[:MAX_EVENTS]


def _sort_key(start: dt.datetime | dt.date, tz: dt.tzinfo) -> dt.datetime:
    if isinstance(start, dt.datetime):
        return start
    return dt.datetime.combine(start, dt.time(), tzinfo=tz)


def _names(due: Sequence[tuple[Subject, int]], language: str) -> str:
    return "\n".join(
        f"{s.name_in(language)} ({n}x today)" if n > 1 else s.name_in(language) for s, n in due
    )


@dataclass(frozen=True)
class _Program:
    id: uuid.UUID
    title: str
    revised: dt.datetime
    items: dict[uuid.UUID, ProgramItem]

    def minutes(self, due: Sequence[tuple[Subject, int]]) -> float:
        """One session of the items due (the builder's estimate)."""
        return session_minutes([self.items[s.id] for s, _second in due if s.id in self.items])


def _programs(session: Session, user: User) -> dict[uuid.UUID, _Program]:
    """The user's programs that are not archived: current title, items and when last revised."""
    rows = session.execute(
        select(Program.id, ProgramVersion)
        .join(
            ProgramVersion,
            (ProgramVersion.program_id == Program.id)
            & (ProgramVersion.version == Program.current_version),
        )
        .where(Program.patient_id == user.id, Program.archived_at.is_(None))
    ).all()
    items = session.scalars(
        select(ProgramItem).where(ProgramItem.version_id.in_([v.id for _first, v in rows]))
    ).all()
    by_version: dict[uuid.UUID, dict[uuid.UUID, ProgramItem]] = {}
    for item in items:
        by_version.setdefault(item.version_id, {})[item.item_key] = item
    return {
        program_id: _Program(
            program_id, version.title, version.created_at, by_version.get(version.id, {})
        )
        for program_id, version in rows
    }


def ics(events: Sequence[Event], user: User, *, base_url: str) -> bytes:
    """The events as an iCalendar document (RFC 5545) with the zone's VTIMEZONE."""
    host = urlsplit(base_url).hostname or "hep"
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//hep//calendar feed//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", "hep: my plan")
    calendar.add("x-wr-timezone", user.timezone)
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", REFRESH)
    link = f"{base_url.rstrip('/')}/#/today"
    for found in events:
        event = icalendar.Event()
        event.add("uid", f"{found.uid}@{host}")
        event.add("dtstamp", found.revised.astimezone(dt.UTC))
        event.add("dtstart", found.start)
        if isinstance(found.start, dt.datetime):
            event.add("duration", dt.timedelta(minutes=found.minutes))
        else:
            event.add("dtend", found.start + dt.timedelta(days=1))
            event.add("transp", "TRANSPARENT")
        event.add("summary", found.title)
        if found.description:
            event.add("description", found.description)
        event.add("url", link)
        calendar.add_component(event)
    if events:
        days = [e.start if not isinstance(e.start, dt.datetime) else e.start.date() for e in events]
        calendar.add_missing_timezones(
            first_date=min(days) - dt.timedelta(days=366),
            last_date=max(days) + dt.timedelta(days=366),
        )
    document: bytes = calendar.to_ical()
    return document
