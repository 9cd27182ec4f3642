"""Dispatcher worker processes: the scheduler's dispatch pass run on every core at once.

One Python process tops out near 3,000 pushes a second (encryption, TLS and HTTP are CPU
work), so the scheduler runs a bounded set of worker processes and each tick asks all of them
for a pass at the same `now`; they share the work through their claims (leases, `FOR UPDATE
SKIP LOCKED` on PostgreSQL, conditional updates on SQLite), exactly as several scheduler
processes would. Workers are spawned (not forked: the parent has threads and an engine), build
their own database engine, and stop with the parent: on SIGTERM/SIGINT, or when the parent
process is gone, a worker claims nothing more, records what it has in flight, and exits.
A worker never builds the Flask app: it gets the pass's settings, the database URL and the log
level (`WorkerSpec`), and makes its own engine."""

from __future__ import annotations

import datetime as dt
import logging
import multiprocessing
import multiprocessing.connection
import os
import resource
import signal
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any

from flask import Flask
from sqlalchemy import make_url, text

from hep.db import Database, session_factory
from hep.logs import configure as configure_logging
from hep.logs import describe
from hep.reminders.dispatch import log_report, run_once
from hep.reminders.passes import DispatchSettings, TickReport

log = logging.getLogger("hep.dispatch")

MAX_DEFAULT_PROCESSES = 8
"""The default is one worker per CPU this process may use, at most this many; past that the
database is the limit (each worker holds a connection), and a bigger machine can say so with
HEP_DISPATCH_PROCESSES."""
MAX_DEFAULT_PROCESSES_SQLITE = 4
"""SQLite has one writer, and a batch's decisions hold it while they are made (~0.1 ms per
reminder, measured): its ceiling is near 8,000 pushes a second, about four workers' worth (one
sends ~2,000 a second), so more would only queue for the lock."""
READY_TIMEOUT = 60.0
IDLE_POLL = 0.25
STOP_GRACE = 30.0
"""Seconds a stopping worker may take to record what it has in flight before it is killed
(pushes time out after 10 s; what is still leased then is sent by the next pass)."""


@dataclass(frozen=True)
class WorkerSpec:
    """What a worker process is given (picklable): the pass's settings (channels included),
    where the database is, and how much to log."""

    settings: DispatchSettings
    database_url: str = field(repr=False)
    log_level: str
    log_format: str = "text"

    @classmethod
    def from_app(cls, app: Flask, **overrides: Any) -> WorkerSpec:
        return cls(
            DispatchSettings.from_app(app, **overrides),
            app.config["DATABASE_URL"],
            app.config["LOG_LEVEL"],
            app.config["LOG_FORMAT"],
        )


def available_cpus() -> int:
    """CPUs this process may run on (its affinity mask where the platform has one)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def _in_memory(url: str) -> bool:
    parsed = make_url(url)
    return parsed.database in (None, "", ":memory:") or "mode=memory" in str(parsed)


def default_processes(database_url: str | None = None) -> int:
    """One per CPU available, at most MAX_DEFAULT_PROCESSES (MAX_DEFAULT_PROCESSES_SQLITE on
    SQLite)."""
    sqlite = database_url is not None and _sqlite(database_url)
    cap = MAX_DEFAULT_PROCESSES_SQLITE if sqlite else MAX_DEFAULT_PROCESSES
    return max(1, min(available_cpus(), cap))


def dispatch_processes(config: Mapping[str, Any], requested: int | None = None) -> int:
    """How many dispatcher processes: `requested`, else HEP_DISPATCH_PROCESSES, else the
    default; always 1 for an in-memory SQLite database (other processes cannot see it)."""
    url = str(config["DATABASE_URL"])
    if _sqlite(url) and _in_memory(url):
        return 1
    return requested or config.get("DISPATCH_PROCESSES") or default_processes(url)


@dataclass
class WorkerStats:
    """One dispatcher process's resource use: CPU seconds of its last pass (0 when it has
    just started) and its peak resident memory so far (KiB on Linux)."""

    pid: int
    cpu_seconds: float
    peak_rss_kb: int


def peak_rss_kb() -> int:
    """This process's peak resident memory. On Linux from /proc (VmHWM): getrusage's
    ru_maxrss survives exec, so a spawned worker would report its parent's peak."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _own_stats(cpu_before: float | None = None) -> WorkerStats:
    cpu = 0.0 if cpu_before is None else _cpu_seconds() - cpu_before
    return WorkerStats(os.getpid(), cpu, peak_rss_kb())


@dataclass
class PassReport:
    """A pass over all processes: the merged report, each process's own report and resource
    use, and what failed."""

    report: TickReport = field(default_factory=TickReport)
    reports: list[TickReport] = field(default_factory=list)
    workers: list[WorkerStats] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


class DispatchFailed(RuntimeError):
    """A worker process failed during a pass (its claims return to the pool with their lease)."""


# --- the worker process ------------------------------------------------------------------------


class _Stopping:
    """SIGTERM/SIGINT or the parent's death: an idle worker leaves within IDLE_POLL seconds, a
    busy one once its pass has recorded what is in flight (within STOP_GRACE, else it exits
    hard). The handler only sets a flag: an exception raised from it could land anywhere."""

    def __init__(self) -> None:
        self.event = threading.Event()

    def __call__(self) -> bool:
        return self.event.is_set()

    def stop(self, *_: object) -> None:
        if not self.event.is_set():
            self.event.set()
            deadline = threading.Timer(STOP_GRACE, os._exit, args=(1,))
            deadline.daemon = True
            deadline.start()

    def watch_parent(self) -> None:
        parent = multiprocessing.parent_process()
        if parent is None:
            return
        multiprocessing.connection.wait([parent.sentinel])
        if not self():
            log.warning("dispatcher %d: the scheduler process is gone; stopping", os.getpid())
        self.stop()


def _worker_main(conn: multiprocessing.connection.Connection, spec: WorkerSpec) -> None:
    stopping = _Stopping()
    signal.signal(signal.SIGTERM, stopping.stop)
    # Ctrl-C reaches the whole process group; where the parent ignores it (started in the
    # background), so does the worker, which inherited that
    if signal.getsignal(signal.SIGINT) is not signal.SIG_IGN:
        signal.signal(signal.SIGINT, stopping.stop)
    threading.Thread(target=stopping.watch_parent, name="parent-watch", daemon=True).start()
    configure_logging(spec.log_level, spec.log_format)
    factory = session_factory(spec.database_url)  # its own engine, made in this process
    try:
        with factory() as session:
            session.execute(text("SELECT 1"))  # fail now on a bad URL; connected before a pass
        conn.send(("ready", _own_stats()))
        while not stopping():
            if not conn.poll(IDLE_POLL):
                continue
            now = conn.recv()  # EOFError: the parent closed its end (stopping, or gone)
            if now is None:
                break
            cpu_before = _cpu_seconds()
            try:
                report = run_once(factory, now, spec.settings, stop=stopping)
            except Exception as exc:
                log.error("dispatcher %d: pass failed: %s", os.getpid(), describe(exc))
                # the type only: a message can hold values from a row
                conn.send(("error", type(exc).__name__, _own_stats(cpu_before)))
            else:
                conn.send(("done", report, _own_stats(cpu_before)))
    except (BrokenPipeError, EOFError):
        pass  # the parent is gone
    finally:
        factory.kw["bind"].dispose()


# --- the parent's side -------------------------------------------------------------------------


@dataclass
class _Worker:
    process: multiprocessing.process.BaseProcess
    conn: multiprocessing.connection.Connection
    started: WorkerStats


class DispatcherPool:
    """`processes` dispatcher worker processes; `run(now)` is one pass on all of them at once.

    Use as a context manager: leaving it stops the workers (SIGTERM, then SIGKILL after
    STOP_GRACE). A worker that died is replaced at the next pass. `run` is meant for one
    caller at a time (the scheduler's tick has max_instances=1)."""

    def __init__(self, app: Flask, processes: int, **overrides: Any) -> None:
        if processes < 1:
            raise ValueError("processes must be >= 1")
        self.processes = processes
        self._spec = WorkerSpec.from_app(app, **overrides)
        self._context = multiprocessing.get_context("spawn")
        self._workers: list[_Worker] = []
        self._lock = threading.Lock()
        self._closed = False

    @property
    def pids(self) -> list[int]:
        return [w.started.pid for w in self._workers]

    @property
    def started(self) -> list[WorkerStats]:
        """Each worker's stats when it was ready (its memory before any pass)."""
        return [w.started for w in self._workers]

    def __enter__(self) -> DispatcherPool:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def start(self) -> None:
        """Start the workers and wait until each has connected to the database."""
        with self._lock:
            self._fill()

    def _fill(self) -> None:
        self._workers = [w for w in self._workers if w.process.is_alive()]
        starting = [self._spawn() for _ in range(self.processes - len(self._workers))]
        for n, (process, conn) in enumerate(starting):
            ready = multiprocessing.connection.wait([conn, process.sentinel], READY_TIMEOUT)
            if conn not in ready or not conn.poll():
                for other, _ in starting[n:]:
                    other.kill()
                    other.join()
                raise DispatchFailed(
                    f"a dispatcher process did not start (exit code {process.exitcode})"
                )
            _, stats = conn.recv()
            self._workers.append(_Worker(process, conn, stats))
        if starting:
            log.info("dispatcher processes: %s", ", ".join(map(str, self.pids)))

    def _spawn(
        self,
    ) -> tuple[multiprocessing.process.BaseProcess, multiprocessing.connection.Connection]:
        parent_end, child_end = self._context.Pipe()
        process = self._context.Process(
            target=_worker_main,
            args=(child_end, self._spec),
            name="hep-dispatcher",
            daemon=True,  # also stopped by multiprocessing's exit handler
        )
        process.start()
        child_end.close()  # else a dead worker's pipe never reads as closed here
        return process, parent_end

    def run(self, now: dt.datetime) -> PassReport:
        """One pass at `now` in every worker; waits for all. Raises DispatchFailed (after all
        have answered) if a worker failed or died."""
        with self._lock:
            if self._closed:
                return PassReport()
            self._fill()
            workers = list(self._workers)
        result = PassReport()
        asked = []
        for worker in workers:
            try:
                worker.conn.send(now)
                asked.append(worker)
            except (BrokenPipeError, OSError):
                result.errors.append(f"dispatcher {worker.started.pid} is gone")
        for worker in asked:
            self._collect(worker, result)
        if result.errors and not self._closed:
            raise DispatchFailed("; ".join(result.errors))
        return result

    def _collect(self, worker: _Worker, result: PassReport) -> None:
        multiprocessing.connection.wait([worker.conn, worker.process.sentinel])
        try:
            reply = worker.conn.recv() if worker.conn.poll() else None
        except (EOFError, OSError):
            reply = None
        if reply is None:
            worker.process.join(1)
            result.errors.append(
                f"dispatcher {worker.started.pid} died (exit code {worker.process.exitcode})"
            )
            return
        kind, *rest = reply
        result.workers.append(rest[-1])
        if kind == "done":
            result.report.add(rest[0])
            result.reports.append(rest[0])
        else:
            result.errors.append(f"dispatcher {worker.started.pid}: {rest[0]}")

    def close(self, grace: float = STOP_GRACE) -> None:
        """Stop every worker: idle ones at once, busy ones once their in-flight pushes are
        recorded; SIGKILL after `grace` seconds."""
        # under the lock: a worker being started now is told to stop only once its signal
        # handlers are in place (a signal between fork and exec would be lost)
        with self._lock:
            self._closed = True
            workers, self._workers = self._workers, []
        for worker in workers:
            if worker.process.is_alive():
                worker.process.terminate()
        deadline = time.monotonic() + grace
        for worker in workers:
            worker.process.join(max(0.0, deadline - time.monotonic()))
            if worker.process.is_alive():
                log.warning(
                    "dispatcher %d did not stop in %.0f s; killing it", worker.started.pid, grace
                )
                worker.process.kill()
                worker.process.join()


class Dispatchers:
    """The scheduler's dispatch tick: a DispatcherPool, or a pass in this process when one
    process is asked for (or there is no VAPID key to send with)."""

    def __init__(self, app: Flask, processes: int | None = None, **overrides: Any) -> None:
        self.app = app
        self.processes = dispatch_processes(app.config, processes)
        self._overrides = overrides
        self._settings: DispatchSettings | None = None
        self.pool: DispatcherPool | None = None

    def __enter__(self) -> Dispatchers:
        if self.processes > 1 and self.app.config["VAPID_PRIVATE_KEY"]:
            self.pool = DispatcherPool(self.app, self.processes, **self._overrides)
            self.pool.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self.pool is not None:
            self.pool.close()
            self.pool = None

    def run(self, now: dt.datetime) -> PassReport:
        if self.pool is not None:
            return self.pool.run(now)
        if self._settings is None:
            self._settings = DispatchSettings.from_app(self.app, **self._overrides)
        cpu_before = _cpu_seconds()
        report = run_once(Database.sessionmaker(self.app), now, self._settings)
        return PassReport(report, [report], [_own_stats(cpu_before)])

    def tick(self, app: Flask, now: dt.datetime) -> None:
        """The scheduler's dispatch tick (signature of a scheduler tick)."""
        if not app.config["VAPID_PRIVATE_KEY"]:
            log.warning("no VAPID key: run `hep init`; reminders are not dispatched")
            return
        log_report(self.run(now).report, self.processes)
