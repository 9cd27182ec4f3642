"""The folder where a host's hep processes keep their metrics (prometheus_client's
multiprocess mode), set up before prometheus_client is imported: it reads the folder from the
environment once, when first imported."""

from __future__ import annotations

import os
import shutil
import socket
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from hep.config import ConfigError

ENV = "PROMETHEUS_MULTIPROC_DIR"


def metrics_root(settings: Mapping[str, Any]) -> Path:
    """HEP_METRICS_DIR, else `metrics` in the instance folder. Local to the host: a scrape
    adds up the processes of the host it reaches."""
    from hep.instance import instance_folder

    configured = settings.get("METRICS_DIR")
    return Path(configured).resolve() if configured else instance_folder(settings) / "metrics"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def prepare(settings: Mapping[str, Any], role: str) -> Path:
    """Give this process group (the gunicorn master and its workers, a scheduler and its
    dispatchers) a folder of its own under the root, emptied, and point prometheus_client at
    it. Folders this host's earlier processes left behind go: their counters ended with them.
    Child processes inherit the folder through the environment. Call before anything imports
    prometheus_client."""
    global _prepared
    root = metrics_root(settings)
    host = socket.gethostname()
    own = root / f"{role}-{host}-{os.getpid()}"
    try:
        root.mkdir(parents=True, exist_ok=True)
        for folder in root.glob(f"*-{host}-*"):
            pid = folder.name.rpartition("-")[2]
            if folder == own or (pid.isdigit() and not _alive(int(pid))):
                shutil.rmtree(folder, ignore_errors=True)
        own.mkdir()
    except OSError as exc:
        raise ConfigError(f"HEP_METRICS_DIR: cannot use {root}: {exc.strerror}") from None
    os.environ[ENV] = str(own)
    _prepared = own
    return own


_prepared: Path | None = None


def current() -> Path | None:
    """The metrics folder this process (or the parent it was forked from, as gunicorn's
    workers are) prepared; None when its metrics stay in memory."""
    return _prepared
