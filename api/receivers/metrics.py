"""Prometheus figures kept up to date from Flask's request signals and our own domain signals."""

from flask import appcontext_popped, request, request_finished

from api import metrics
from api.db import db
from api.receivers.request_facts import request_duration_seconds, route_template
from api.signals import dependency_failed, session_revoked, user_logged_in, user_logged_out, write_conflicted

# Any other method (werkzeug accepts any token) is counted as OTHER: a label value per
# invented method would let a caller grow the number of series without bound.
KNOWN_METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}


def observe_request(sender, response, **extra) -> None:
    route = route_template() or metrics.UNMATCHED_ROUTE
    method = request.method if request.method in KNOWN_METHODS else "OTHER"
    labels = (method, route, str(response.status_code))
    metrics.http_requests.labels(*labels).inc()
    duration = request_duration_seconds()
    if duration is not None:
        metrics.http_request_duration.labels(*labels).observe(duration)
    metrics.sql_queries_per_request.labels(route).observe(db.context().query_count)


def record_pool_status(sender, **extra) -> None:
    # appcontext_popped comes after the teardown that hands the context's connection back,
    # so the figures are the pool as the request (or command) left it.
    metrics.record_pool_status(sender.extensions["sql_pool"].status())


def count_login(sender, **extra) -> None:
    metrics.session_logins.inc()


def count_logout(sender, **extra) -> None:
    metrics.session_logouts.inc()


def count_revocations(sender, session_ids, **extra) -> None:
    metrics.session_revocations.inc(len(session_ids))


def count_dependency_error(sender, dependency: str, **extra) -> None:
    metrics.dependency_errors.labels(dependency=dependency).inc()


def count_write_conflict(sender, outcome: str, **extra) -> None:
    metrics.write_conflicts.labels(outcome=outcome).inc()


# Every request would pay for these (label lookups, histogram buckets, a pool status); nobody
# can read them while GET /metrics is off, so they are connected only when METRICS_ENABLED.
REQUEST_RECEIVERS = [
    (request_finished, observe_request),
    (appcontext_popped, record_pool_status),
]
RECEIVERS = [
    (user_logged_in, count_login),
    (user_logged_out, count_logout),
    (session_revoked, count_revocations),
    (dependency_failed, count_dependency_error),
    (write_conflicted, count_write_conflict),
]
