"""What hep counts and times. In the gunicorn master and workers, the scheduler and its
dispatcher processes these write to the host's metrics folder (hep.metrics.folder), and a
scrape adds every process up; elsewhere (tests, other WSGI servers) they stay in the process."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from prometheus_client import Counter, Histogram

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
LAG_BUCKETS = (1.0, 2.5, 5.0, 10.0, 15.0, 30.0, 60.0, 120.0, 300.0, 600.0, 1800.0, 3600.0)

requests = Counter(
    "hep_http_requests",
    "HTTP requests answered, by method, route (the URL rule, never the path) and status",
    ["method", "route", "status"],
)
request_seconds = Histogram(
    "hep_http_request_duration_seconds",
    "Time from a request's start to its answer, by method and route",
    ["method", "route"],
    buckets=LATENCY_BUCKETS,
)
reminders_decided = Counter(
    "hep_reminders_decided",
    "Reminder occurrences decided by the dispatcher, by outcome (sent, done, quiet, ...)",
    ["outcome"],
)
deliveries = Counter(
    "hep_deliveries",
    "Delivery attempts answered, by channel and status (sent, retry, gone, failed)",
    ["channel", "status"],
)
dispatch_lag = Histogram(
    "hep_dispatch_lag_seconds",
    "From an occurrence's due time to its delivery being accepted, by channel",
    ["channel"],
    buckets=LAG_BUCKETS,
)
dispatch_passes = Counter(
    "hep_dispatch_passes", "Dispatcher passes run, by result (ok, failed)", ["result"]
)
snapshot_refresh_seconds = Histogram(
    "hep_snapshot_refresh_seconds",
    "Time to recompute stale adherence snapshots, by where (request, scheduler)",
    ["where"],
    buckets=LATENCY_BUCKETS,
)
sign_in_failures = Counter("hep_sign_in_failures", "Sign-ins refused for a wrong email or password")
sign_in_throttled = Counter(
    "hep_sign_in_throttled", "Sign-ins refused with 429 because a limit was reached"
)
pruned = Counter("hep_retention_pruned_rows", "Rows deleted by retention, by table", ["table"])


def count_pass(outcomes: Mapping[str, int]) -> None:
    """A dispatcher pass that finished, and what it decided."""
    dispatch_passes.labels("ok").inc()
    for outcome, count in outcomes.items():
        reminders_decided.labels(outcome).inc(count)


def count_answers(
    answered: Mapping[tuple[str, str], int], lags: Iterable[tuple[str, float]]
) -> None:
    """Delivery answers by (channel, status), and each accepted one's lag behind its time."""
    for (channel, status), count in answered.items():
        deliveries.labels(channel, status).inc(count)
    for channel, seconds in lags:
        dispatch_lag.labels(channel).observe(max(0.0, seconds))
