"""What the access log and the request metrics both need to know about the current request."""

import time

from flask import g, request, request_started

from api.fast_paths import unproxied


def stamp_request_start(sender, **extra) -> None:
    unproxied(g).request_started_at = time.perf_counter()


def request_duration_seconds() -> float | None:
    """Seconds since request_started (None if it never fired, e.g. a failure before dispatch)."""
    started = unproxied(g).get("request_started_at")
    return time.perf_counter() - started if started is not None else None


def route_template() -> str | None:
    """The matched URL rule (`/api/profiles/<username>`), never the raw path; None when none matched."""
    rule = unproxied(request).url_rule
    return rule.rule if rule else None


RECEIVERS = [(request_started, stamp_request_start)]
