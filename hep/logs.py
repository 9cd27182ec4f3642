"""Logging for every hep process: HEP_LOG_LEVEL, one format (text, or JSON lines with
HEP_LOG_FORMAT=json), and errors told without values."""

from __future__ import annotations

import logging
import traceback
from types import TracebackType
from typing import Any, TypeAlias

from pythonjsonlogger.json import JsonFormatter

FORMAT = "%(asctime)s %(process)d %(name)s %(levelname)s %(message)s"
QUIETER = {"apscheduler": logging.WARNING}
"""Loggers held above INFO: APScheduler writes two INFO lines for every job it runs (about
35,000 a day for hep's ticks); the ticks write their own line when they did something."""

ExcInfo: TypeAlias = (
    tuple[type[BaseException], BaseException, TracebackType | None] | tuple[None, None, None]
)


def _name(kind: type[BaseException]) -> str:
    if kind.__module__ == "builtins":
        return kind.__qualname__
    return f"{kind.__module__}.{kind.__qualname__}"


def describe(exc: BaseException) -> str:
    """An exception as an operator needs it: its type and the frames it passed through (file,
    line, function), for it and each exception it came from. Never its message: str() of a
    KeyError, an IntegrityError or a ValueError can hold values from a request or a row."""
    chain: list[BaseException] = []
    link: BaseException | None = exc
    while link is not None and not any(link is seen for seen in chain):
        chain.append(link)
        link = link.__cause__ or (None if link.__suppress_context__ else link.__context__)
    lines: list[str] = []
    for number, link in enumerate(reversed(chain)):
        if number:
            lines.append("which led to")
        lines.append(f"{_name(type(link))} (message withheld); most recent call last:")
        lines.extend(
            f'  File "{frame.filename}", line {frame.lineno}, in {frame.name}'
            for frame in traceback.extract_tb(link.__traceback__)
        )
    return "\n".join(lines)


class ValueFreeFormatter(logging.Formatter):
    """Writes a record's exception with describe(), so a logger.exception() anywhere (ours or
    a library's) leaves the exception's message out."""

    def formatException(self, ei: ExcInfo) -> str:
        return describe(ei[1]) if ei[1] is not None else ""

    def format(self, record: logging.LogRecord) -> str:
        # another handler may have cached its own rendering, message included, on the record
        cached, record.exc_text = record.exc_text, None
        try:
            return super().format(record)
        finally:
            record.exc_text = cached


class JsonValueFreeFormatter(JsonFormatter):
    """One JSON object a line (time, process, logger, level, message and any `extra`
    fields), exceptions told by describe() as with ValueFreeFormatter."""

    def __init__(self, fmt: str = FORMAT, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("rename_fields", {"asctime": "time", "levelname": "level"})
        super().__init__(fmt, *args, **kwargs)

    def formatException(self, ei: ExcInfo) -> str:
        return describe(ei[1]) if ei[1] is not None else ""

    def format(self, record: logging.LogRecord) -> str:
        cached, record.exc_text = record.exc_text, None
        try:
            return super().format(record)
        finally:
            record.exc_text = cached


def formatter(
    kind: str = "text", fmt: str = FORMAT, datefmt: str | None = None
) -> logging.Formatter:
    """The formatter of HEP_LOG_FORMAT: `text` or `json`."""
    if kind == "json":
        return JsonValueFreeFormatter(fmt, datefmt)
    return ValueFreeFormatter(fmt, datefmt)


def level_number(level: str | int) -> int:
    """HEP_LOG_LEVEL as a number ("info", "INFO" or 20)."""
    if isinstance(level, int):
        return level
    number = logging.getLevelNamesMapping().get(level.strip().upper())
    if number is None:
        raise ValueError(f"unknown log level {level!r}")
    return number


def configure(level: str | int, kind: str = "text") -> None:
    """Send this process's log records to stderr at `level` (HEP_LOG_LEVEL) as text or JSON
    lines (`kind`, HEP_LOG_FORMAT), with exceptions told by describe() and the QUIETER
    loggers held back."""
    number = level_number(level)
    handler = logging.StreamHandler()
    handler.setFormatter(formatter(kind))
    logging.basicConfig(level=number, handlers=[handler], force=True)
    logging.getLogger("hep").setLevel(number)
    for name, floor in QUIETER.items():
        logging.getLogger(name).setLevel(max(floor, number))
