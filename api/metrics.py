"""Prometheus metrics: their definitions, and the text exposition served at GET /metrics.

Under gunicorn every worker is a process of its own; with PROMETHEUS_MULTIPROC_DIR set
(gunicorn.conf.py sets it) prometheus-client keeps each process's values in files there and
the scrape, whichever worker answers it, adds them up. Without it (one process: tests,
`flask run`) the values live in memory.
"""

import os

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    disable_created_metrics,
    generate_latest,
    multiprocess,
)

# The *_created series (a timestamp per label set) double the output and serve no dashboard.
disable_created_metrics()

HTTP_LABELS = ("method", "route", "status")
# The route is the URL rule's template; requests that match no rule share this label, so
# that probing random paths cannot create new series.
UNMATCHED_ROUTE = "(unmatched)"

http_requests = Counter("conduit_http_requests", "HTTP requests answered.", HTTP_LABELS)
http_request_duration = Histogram(
    "conduit_http_request_duration_seconds",
    "Time from request start to response, in seconds.",
    HTTP_LABELS,
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
sql_queries_per_request = Histogram(
    "conduit_sql_queries_per_request",
    "SQL statements run by one request.",
    ("route",),
    buckets=(0, 1, 2, 3, 4, 5, 6, 8, 10, 15, 20, 30, 50),
)
# livesum: the sum over the workers alive now (a dead worker's files are dropped by child_exit).
db_pool_connections = Gauge(
    "conduit_db_pool_connections",
    "Pooled MySQL connections by state (in_use, idle), summed over the live workers.",
    ("state",),
    multiprocess_mode="livesum",
)
dependency_errors = Counter(
    "conduit_dependency_errors",
    "Requests answered 503 because a dependency (mysql, redis) could not be reached.",
    ("dependency",),
)
write_conflicts = Counter(
    "conduit_write_conflicts",
    "Writes MySQL refused for a lock conflict (deadlock, lock wait timeout), by outcome: "
    "retried, or failed (answered 503). Not counted as dependency errors.",
    ("outcome",),
)
session_logins = Counter("conduit_session_logins", "Successful logins (user_logged_in).")
session_logouts = Counter("conduit_session_logouts", "Logouts (sessions ended by their owner).")
session_revocations = Counter(
    "conduit_session_revocations", "Sessions revoked (by their user, an admin, or the per-account limit).")
receiver_failures = Counter(
    "conduit_signal_receiver_failures",
    "Signal receivers that raised (logged, and the sender carried on).",
    ("signal", "receiver"),
)


def record_pool_status(status: dict) -> None:
    """Set the pool gauges from `ProcessPool.status()` (this process's pool)."""
    db_pool_connections.labels(state="in_use").set(status["inUse"])
    db_pool_connections.labels(state="idle").set(status["idle"])


def exposition() -> tuple[bytes, str]:
    """The current metrics in the Prometheus text format, and its content type."""
    if "PROMETHEUS_MULTIPROC_DIR" in os.environ:
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        registry = REGISTRY
    return generate_latest(registry), CONTENT_TYPE_LATEST
