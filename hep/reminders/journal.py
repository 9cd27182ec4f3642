"""A pass's journal, so a dispatcher killed mid-pass (SIGKILL, the OOM killer) does not send
its messages twice. Each delivery whose message has left (its request written to the network)
and each answer other than "sent" is appended with one system call as it happens: the kernel
keeps what was written when the process dies. The next pass on this host reads the journals
of dispatchers that are gone and records what they could not: a message that left counts as
sent (or as what its answer said), so only what had not left is sent again, once its lease
runs out. Results are still committed to the database as they come back; the journal only
covers the moments in between. A crash of the whole machine, or a dispatcher on another host,
falls back to the lease alone: what was in flight is sent again (the Topic and notification
tag collapse such duplicates on a device that still shows the first).

The file holds delivery ids and answer codes only. Its writer holds an exclusive `flock` on
it for as long as it lives, which is how a reader tells a dead writer's journal."""

from __future__ import annotations

import datetime as dt
import fcntl
import logging
import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from hep.channels import Outcome, Result

log = logging.getLogger("hep.dispatch")

SUFFIX = ".journal"
_MAGIC = "hep-dispatch-journal-1"


class Journal:
    """This pass's journal in `folder` (made if missing); `close()` removes it once everything
    it covers is committed, `close(keep=True)` leaves it for the next pass (a failed pass)."""

    def __init__(self, folder: Path, now: dt.datetime, leased: dt.datetime) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.path = folder / f"{os.getpid()}-{uuid.uuid4().hex}{SUFFIX}"
        self._fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_APPEND, 0o600)
        fcntl.flock(self._fd, fcntl.LOCK_EX)
        os.write(self._fd, f"{_MAGIC} {now.isoformat()} {leased.isoformat()}\n".encode())

    def left(self, delivery_id: uuid.UUID) -> None:
        os.write(self._fd, b"L %s\n" % delivery_id.hex.encode())

    def answered(self, result: Result) -> None:
        """An answer that is not a plain "sent" (those are what `left` assumes)."""
        if result.outcome is not Outcome.SENT:
            status = "-" if result.status is None else str(result.status)
            wait = "-" if result.retry_after is None else repr(result.retry_after)
            line = f"A {result.delivery_id.hex} {result.outcome.value} {status} {wait}\n"
            os.write(self._fd, line.encode())

    def close(self, keep: bool = False) -> None:
        if not keep:
            self.path.unlink(missing_ok=True)
        os.close(self._fd)


@dataclass
class Orphan:
    """What a dead dispatcher's journal says: its pass's lease, and a result for each
    delivery whose message left (plain "sent" where no other answer was written)."""

    path: Path
    now: dt.datetime
    leased: dt.datetime
    results: dict[uuid.UUID, Result] = field(default_factory=dict)


def _parse(path: Path, text: str) -> Orphan | None:
    lines = text.splitlines()
    head = lines[0].split() if lines else []
    if len(head) != 3 or head[0] != _MAGIC:
        return None
    orphan = Orphan(path, dt.datetime.fromisoformat(head[1]), dt.datetime.fromisoformat(head[2]))
    for line in lines[1:]:
        parts = line.split()
        try:
            delivery_id = uuid.UUID(hex=parts[1])
            if parts[0] == "L" and len(parts) == 2:
                orphan.results.setdefault(
                    delivery_id, Result(delivery_id, Outcome.SENT, detail="answer not seen")
                )
            elif parts[0] == "A" and len(parts) == 5:
                status = None if parts[3] == "-" else int(parts[3])
                wait = None if parts[4] == "-" else float(parts[4])
                orphan.results[delivery_id] = Result(delivery_id, Outcome(parts[2]), wait, status)
        except (IndexError, ValueError):
            continue  # a line cut short by the crash: its message is sent again
    return orphan


def orphans(folder: Path) -> Iterator[Orphan]:
    """The journals in `folder` whose dispatcher is gone, each held (locked) while the caller
    records it, then removed. A journal another pass is recovering is skipped."""
    if not folder.is_dir():
        return
    for path in sorted(folder.glob(f"*{SUFFIX}")):
        try:
            fd = os.open(path, os.O_RDONLY)
        except FileNotFoundError:
            continue
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                continue  # its dispatcher is alive, or another pass holds it
            if os.fstat(fd).st_nlink == 0:
                continue  # recovered and removed while we waited
            with os.fdopen(os.dup(fd), encoding="ascii", errors="replace") as file:
                orphan = _parse(path, file.read())
            if orphan is None:
                log.warning("dispatch journal %s is unreadable; removed", path.name)
            else:
                yield orphan
            path.unlink(missing_ok=True)
        finally:
            os.close(fd)
