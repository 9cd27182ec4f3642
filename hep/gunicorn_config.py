"""gunicorn settings for hep: `gunicorn --config python:hep.gunicorn_config [--workers N]
[--bind HOST:PORT]` serves hep with an access log free of query strings, hep's logging at
HEP_LOG_LEVEL (as text or JSON lines, HEP_LOG_FORMAT), metrics added up over the workers, and
no Server header. Options on the command line override these."""

from __future__ import annotations

import logging
import sys
from typing import Any

from gunicorn import glogging
from gunicorn.http import wsgi as gunicorn_wsgi

from hep.config import ConfigError, load_config
from hep.logs import configure, formatter, level_number
from hep.metrics import folder

try:
    _SETTINGS = load_config()
    _LEVEL = level_number(_SETTINGS["LOG_LEVEL"])
    _FORMAT = _SETTINGS["LOG_FORMAT"]
    # before anything imports prometheus_client: the workers inherit the folder
    folder.prepare(_SETTINGS, "web")
    from hep import create_app

    # every setting, and how they fit together, checked here in the master before any worker
    # starts: a ConfigError in several booting workers at once can trip gunicorn's halt into
    # a traceback of its own; the master keeps this app to serve HEP_METRICS_LISTEN
    _APP = create_app()
except ConfigError as exc:
    sys.exit(f"configuration error: {exc}")

wsgi_app = "hep.wsgi:app"
accesslog = "-"
# the path without its query (search text, dates of a patient's data) and no Referer (which
# carries the referring page's query); the request id matches the app's error lines
access_log_format = (
    '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms "%(a)s" %({x-request-id}o)s'
)
loglevel = logging.getLevelName(_LEVEL).lower()
logger_class = "hep.gunicorn_config.Logger"


class Logger(glogging.Logger):
    """gunicorn's own logger, telling exceptions without their messages and requests by their
    path without the query."""

    def setup(self, cfg: Any) -> None:
        super().setup(cfg)
        for handler in self.error_log.handlers:
            handler.setFormatter(formatter(_FORMAT, self.error_fmt, self.datefmt))
        if _FORMAT == "json":
            for handler in self.access_log.handlers:
                handler.setFormatter(formatter("json", "%(asctime)s %(message)s"))

    def access(self, resp: Any, req: Any, environ: Any, request_time: Any) -> None:
        if _FORMAT != "json":
            super().access(resp, req, environ, request_time)
            return
        if not self.cfg.accesslog:
            return
        atoms = self.atoms(resp, req, environ, request_time)
        # the same fields as access_log_format: the path without its query, no Referer
        fields = {
            "remote": atoms["h"],
            "method": atoms["m"],
            "path": atoms["U"],
            "protocol": atoms["H"],
            "status": int(atoms["s"]) if str(atoms["s"]).isdigit() else atoms["s"],
            "bytes": atoms["B"],
            "duration_ms": int(atoms["M"]),
            "user_agent": atoms["a"],
            "request_id": atoms.get("{x-request-id}o", "-"),
        }
        self.access_log.info("request", extra=fields)

    def exception(self, msg: str, *args: Any, **kwargs: Any) -> None:
        # "Error handling request %s" names the request by its URI, query included
        args = tuple(a.partition("?")[0] if isinstance(a, str) else a for a in args)
        super().exception(msg, *args, **kwargs)


def on_starting(_server: Any) -> None:
    """hep's own log lines (the workers inherit this from the master)."""
    configure(_LEVEL, _FORMAT)


def when_ready(_server: Any) -> None:
    """With HEP_METRICS_LISTEN, the master serves the host's metrics there."""
    from hep.metrics.exposition import serve

    serve(_APP)


def child_exit(_server: Any, worker: Any) -> None:
    """A worker gone: its live gauges go with it (its counters stay in the sums)."""
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


_default_headers = gunicorn_wsgi.Response.default_headers


def _without_server(self: Any) -> list[str]:
    return [line for line in _default_headers(self) if not line.startswith("Server:")]


# gunicorn names itself in a Server header on every response, and has no setting to stop it
gunicorn_wsgi.Response.default_headers = _without_server
