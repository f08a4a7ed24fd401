"""Failed logins: a budget per account and client IP (`RATELIMIT_LOGIN`) and one per client IP
whatever the email (`RATELIMIT_LOGIN_IP`, against password spraying).

A password check first reserves a slot in both budgets, atomically (limits' moving-window
`hit`, a Lua script in Redis), and only then verifies; a success gives its slots back, a
failure keeps them. So however many attempts arrive at once, at most the limit of them are
answered 401, the others 429 with Retry-After, and someone who types the right password never
uses up the budget. Checking first and counting after the answer (Flask-Limiter's
`deduct_when`) let every attempt in flight through.

The slots live in Redis, the session store. When it cannot be reached the attempt answers 503
before any password is verified (with the limits off too: the store is pinged), so a 503 never
means "right password" while a 401 means "wrong", and no per-worker memory stands in for the
shared count.

    with login_attempt(email) as attempt:   # 429 when a budget is spent, 503 when Redis is down
        if not verify_password(...):
            attempt.fail()                  # keeps the slots; without it they are given back
            abort(...)
"""

import math
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import wraps
from typing import cast

from flask import current_app, request
from flask_limiter.util import get_remote_address
from flask_smorest import Blueprint
from limits import RateLimitItem, parse
from limits.storage import RedisStorage
from limits.strategies import MovingWindowRateLimiter
from werkzeug.exceptions import HTTPException

from api.compat import undo_moving_window_hit
from api.data.users import email_comparison_key
from api.errors import DEPENDENCY_ERRORS, abort, abort_for_dependency
from api.sessions import session_interface

# Longer than any valid email: a longer one is a 422, which costs no password check anyway.
_EMAIL_KEY_MAX_LENGTH = 320


@dataclass(frozen=True)
class FailureBudget:
    setting: str  # the app setting that holds the limit, e.g. "10 per 15 minutes"
    name: str  # the budget's part of its Redis key
    message: str  # the 429's error message


ACCOUNT_BUDGET = FailureBudget(
    "RATELIMIT_LOGIN", "login-failures",
    "Too many failed logins for this account from your address. Retry after the time in Retry-After.")
IP_BUDGET = FailureBudget(
    "RATELIMIT_LOGIN_IP", "login-failures-ip",
    "Too many failed logins from your address. Retry after the time in Retry-After.")


class LoginAttempt:
    """One password check in flight; `fail()` makes it count against the budgets."""

    def __init__(self):
        self.failed = False

    def fail(self) -> None:
        self.failed = True


def account_key(email: str | None) -> str:
    """The account as the database compares emails: re-spelling an address buys no extra tries."""
    if not isinstance(email, str):
        return ""
    try:
        return email_comparison_key(email[:_EMAIL_KEY_MAX_LENGTH])
    except DEPENDENCY_ERRORS:  # MySQL is down: the login answers 503, which is given back anyway
        return email.lower()


@contextmanager
def login_attempt(email: str | None) -> Iterator[LoginAttempt]:
    """Reserve a failed-login slot for `email` from this client (429 when a budget is spent,
    503 when Redis is down), run the block, and give the slots back unless it called `fail()`."""
    strategy: MovingWindowRateLimiter | None = current_app.extensions["login_failure_limiter"]
    attempt = LoginAttempt()
    if strategy is None:  # limits off: still no password check without the session store
        _require_session_store()
        yield attempt
        return
    ip = get_remote_address()
    reserved = _reserve(strategy, [(ACCOUNT_BUDGET, f"{account_key(email)}|{ip}"), (IP_BUDGET, ip)])
    try:
        yield attempt
    finally:
        if not attempt.failed:
            _give_back(strategy, reserved)


def limit_failed_logins(view):
    """Run the login view inside `login_attempt`: its 401 answers count. Put it above
    @blp.arguments, so that a malformed request is refused before any work when over a limit."""

    @wraps(view)
    def limited_view(*args, **kwargs):
        body = request.get_json(silent=True)
        credentials = body.get("user") if isinstance(body, dict) else None
        email = credentials.get("email") if isinstance(credentials, dict) else None
        with login_attempt(email) as attempt:
            try:
                return view(*args, **kwargs)
            except HTTPException as error:
                if error.code == 401:
                    attempt.fail()
                raise

    return Blueprint.doc(responses={"429": "TooManyRequests"})(limited_view)


def init_login_limits(app, storage) -> None:
    """`storage`: Flask-Limiter's (Redis) storage, or None when the limits are off."""
    app.extensions["login_failure_limiter"] = None if storage is None else MovingWindowRateLimiter(storage)


def _require_session_store() -> None:
    try:
        session_interface().client.ping()
    except DEPENDENCY_ERRORS:
        abort_for_dependency("redis")


Reservation = tuple[RateLimitItem, tuple[str, str]]


def _reserve(strategy: MovingWindowRateLimiter, budgets: list[tuple[FailureBudget, str]]) -> list[Reservation]:
    reserved: list[Reservation] = []
    try:
        for budget, key in budgets:
            item, identifiers = parse(current_app.config[budget.setting]), (budget.name, key)
            if not strategy.hit(item, *identifiers):
                _give_back(strategy, reserved)
                reset_time = strategy.get_window_stats(item, *identifiers).reset_time
                abort(429, budget.message, headers={"Retry-After": str(max(1, math.ceil(reset_time - time.time())))})
            reserved.append((item, identifiers))
    except DEPENDENCY_ERRORS:
        _give_back(strategy, reserved)
        abort_for_dependency("redis")
    return reserved


def _give_back(strategy: MovingWindowRateLimiter, reserved: list[Reservation]) -> None:
    # Best effort: an error here must not replace the answer.
    for item, identifiers in reserved:
        try:
            # init_login_limits is only given Flask-Limiter's Redis storage (api/rate_limits.py).
            undo_moving_window_hit(cast(RedisStorage, strategy.storage), item, *identifiers)
        except DEPENDENCY_ERRORS:
            current_app.logger.warning("could not give back a failed-login slot", exc_info=True)
