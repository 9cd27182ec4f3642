"""What a dispatcher pass is given (DispatchSettings) and what it did (TickReport); both are
plain and picklable, so worker processes receive and return them."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from flask import Flask

from hep.channels import ChannelSettings, configured

CHANNEL_OPTIONS = ("timeout", "max_in_flight")
"""Overrides that tune the channels (those that have them) rather than the pass."""


@dataclass(frozen=True)
class DispatchSettings:
    grace: dt.timedelta
    base_url: str
    channels: tuple[ChannelSettings, ...]
    lease: dt.timedelta = dt.timedelta(minutes=2)
    batch: int = 500
    """Reminders claimed and decided per transaction (their first deliveries go out together)."""
    send_batch: int = 2000
    """Deliveries claimed for another attempt per transaction."""
    max_attempts: int = 5
    record_every: int = 100
    """Results written per transaction at most, as they come back ..."""
    record_seconds: float = 0.2
    """... and how long a result may wait for the others of its transaction."""
    journal: str | None = None
    """Folder of this host's pass journals (hep.reminders.journal); None: no journal, and a
    crash re-sends everything that was unanswered."""

    @classmethod
    def from_app(cls, app: Flask, **overrides: Any) -> DispatchSettings:
        """From the app's settings; journals go to the instance folder's `dispatch/`."""
        overrides.setdefault("journal", os.path.join(app.instance_path, "dispatch"))
        return cls.from_config(app.config, **overrides)

    @classmethod
    def from_config(cls, config: Mapping[str, Any], **overrides: Any) -> DispatchSettings:
        """From the app's settings (or their plain copy). `timeout` and `max_in_flight` tune
        each channel that has them; anything else overrides a field of the pass."""
        tuning = {k: overrides.pop(k) for k in CHANNEL_OPTIONS if k in overrides}
        channels = tuple(
            dataclasses.replace(
                channel,  # type: ignore[type-var]  # every channel's settings is a dataclass
                **{k: v for k, v in tuning.items() if hasattr(channel, k)},
            )
            for channel in configured(config)
        )
        values: dict[str, Any] = {
            "grace": dt.timedelta(minutes=config["REMINDER_GRACE_MINUTES"]),
            "base_url": config["BASE_URL"].rstrip("/"),
            "channels": channels,
        }
        values.update(overrides)
        return cls(**values)


@dataclass
class TickReport:
    """What one pass did."""

    decided: int = 0
    outcomes: Counter[str] = field(default_factory=Counter)
    sent: int = 0
    failed: int = 0
    retried: int = 0
    gone: int = 0

    def add(self, other: TickReport) -> None:
        self.decided += other.decided
        self.outcomes.update(other.outcomes)
        self.sent += other.sent
        self.failed += other.failed
        self.retried += other.retried
        self.gone += other.gone
