"""Rate limits, with Flask-Limiter and its Redis storage.

- REGISTRATIONS: registration attempts per client IP (`RATELIMIT_REGISTER`).
- WRITES: article, comment, favorite and follow writes per user (`RATELIMIT_WRITES`), one
  bucket shared by all of them, so that one account cannot fill the database.
- Failed logins have budgets of their own, reserved before the password check: api/login_limits.py
  (it counts in this module's storage).

Over a limit the view is not run: Flask-Limiter raises a 429 that leaves through our error
handler, carrying Retry-After from `_retry_after`, its breach hook. Counters live in
Redis under REDIS_KEY_PREFIX + "ratelimit:", through the app's own Redis connection pool
(in a Redis Cluster, through a cluster client of limits' own: see api/redis_store.py). The
moving window keeps one key per limit and client, and limits' Lua scripts touch only that
key, so every counter update stays within one hash slot of a cluster.
What happens when Redis is down is set by RATELIMIT_IN_MEMORY_FALLBACK_ENABLED and
RATELIMIT_SWALLOW_ERRORS (see settings): never a 500.

Flask-Limiter keeps its storage and its on/off switch on the Limiter object, while the test
suite builds many apps with different settings in one process. So every app gets a Limiter of
its own, and `@rate_limited(RULE)` runs the decorated view through the calling app's limiter.
"""

import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from flask import Flask, Response, current_app
from flask_limiter import Limiter, RequestLimit
from flask_limiter.util import get_remote_address
from flask_smorest import Blueprint

from api.auth import current_user_id
from api.login_limits import init_login_limits
from api.redis_store import rate_limit_storage


@dataclass(frozen=True)
class RateLimitRule:
    setting: str  # the app setting that holds the limit, e.g. "10 per 15 minutes"
    key: Callable[[], str]  # who is counted
    message: str  # the 429's error message
    counts: Callable[[Response], bool] | None = None  # which answers count (None: every request)
    shared_scope: str | None = None  # one bucket for every view of the rule (None: one per view)


REGISTRATIONS = RateLimitRule(
    setting="RATELIMIT_REGISTER",
    key=get_remote_address,
    message="Too many registrations from your address. Retry after the time in Retry-After.",
)
# Below @login_required, which has found the caller by then.
WRITES = RateLimitRule(
    setting="RATELIMIT_WRITES",
    key=lambda: f"user:{current_user_id()}",
    message="Too many writes from your account. Retry after the time in Retry-After.",
    shared_scope="writes",
)

def _retry_after(breached: RequestLimit) -> Response:
    """Flask-Limiter's breach hook: the 429 it raises carries this response, whose headers our
    error handler keeps. Retry-After is when the window frees the next slot."""
    seconds = max(1, math.ceil(breached.window.reset_time - time.time()))
    return Response(status=429, headers={"Retry-After": str(seconds)})


# (rule, undecorated view, decorated view) for every @rate_limited view, filled at import time.
_LIMITED_VIEWS: list[tuple[RateLimitRule, Callable, Callable]] = []


def rate_limited(rule: RateLimitRule):
    """Subject the view to `rule` (and document its 429). Put it above @blp.arguments, so
    malformed requests count too."""

    def decorate(view):
        @wraps(view)
        def limited_view(*args, **kwargs):
            guarded_view = current_app.extensions["rate_limited_views"].get(limited_view, view)
            return guarded_view(*args, **kwargs)

        _LIMITED_VIEWS.append((rule, view, limited_view))
        return Blueprint.doc(responses={"429": "TooManyRequests"})(limited_view)

    return decorate


def init_rate_limits(app: Flask) -> None:
    """Give the app its own Limiter and its own guarded copy of every @rate_limited view."""
    guarded_views = {}
    storage = None
    if app.config["RATELIMIT_ENABLED"]:
        storage_uri, storage_options = rate_limit_storage(app.config, app.extensions["redis"])
        limiter = Limiter(
            key_func=get_remote_address,
            app=app,
            on_breach=_retry_after,
            storage_uri=storage_uri,
            storage_options=storage_options,
        )
        storage = limiter.storage
        for rule, view, limited_view in _LIMITED_VIEWS:
            options: dict[str, Any] = {"key_func": rule.key, "deduct_when": rule.counts, "error_message": rule.message}
            def limit_value(setting=rule.setting):
                return current_app.config[setting]
            if rule.shared_scope:
                guarded_views[limited_view] = limiter.shared_limit(limit_value, rule.shared_scope, **options)(view)
            else:
                guarded_views[limited_view] = limiter.limit(limit_value, **options)(view)
    app.extensions["rate_limited_views"] = guarded_views
    init_login_limits(app, storage)
