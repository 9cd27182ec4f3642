"""What each capability holds about a person, for their data export: a registry that domain
modules add to on import (`export_section`) and hep.care's export reads. Its own module, so
registering pulls in nothing else (the reminder dispatcher imports modules that register)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import Session

from hep.models import User

ExportSection = Callable[[Session, User], tuple[str, Any]]
SECTIONS: list[ExportSection] = []
"""Every registered section, in import order."""


def export_section(fn: ExportSection) -> ExportSection:
    SECTIONS.append(fn)
    return fn
