"""Who is calling: the one place that turns the request's session into `g.current_user_id`
(from the session alone) and, for views that need the account itself, `g.current_user` (its row).

Which to ask: `current_user_id()` where the caller only personalizes what everyone may read
(the `following` / `favorited` flags, the feed), since a live session is proof enough of the
account (see its docstring); `current_user()` wherever the caller acts as the account or sees
it (every write, GET/PUT /api/user, sessions, activity), which also refuses a session whose
account is gone or disabled.

`login_required` and `login_optional` are the only auth decorators. Both refuse a presented
but unknown, expired or revoked token with 401 (optional auth is never silently anonymous),
and both answer 503 when Redis cannot be asked.
"""

import time
from functools import wraps

from flask import current_app, g
from flask_smorest import Blueprint

from api.client import client_ip
from api.data import sessions as stored_sessions
from api.data.users import fetch_user_by_id
from api.db import db
from api.errors import abort, abort_for_dependency
from api.fast_paths import unproxied
from api.sessions import session

UNAUTHORIZED_HEADERS = {"WWW-Authenticate": 'Token realm="conduit"'}


def current_user_id() -> int | None:
    """The caller's user id, None when anonymous: the session alone, no SQL.

    A live session is proof enough that its account may act: disabling an account or changing
    its password revokes every session it has, and a login that raced with either checks again
    after storing its session (`credentials_still_valid`). Reads that only need the caller's id (their
    `following`/`favorited` flags, the feed) therefore cost no query for the caller.
    """
    context = unproxied(g)
    if "current_user_id" not in context:
        context.current_user_id = _session_user_id()
    return context.current_user_id


def current_user() -> dict | None:
    """The calling user's row, loaded once per request (one query); None when anonymous."""
    if "current_user" not in g:
        g.current_user = _load_current_user()
    return g.current_user


def signed_in_user_id() -> int:
    """`current_user_id()` in a view behind `login_required`, where there always is one."""
    user_id = current_user_id()
    if user_id is None:
        raise RuntimeError("signed_in_user_id() outside a login_required view")
    return user_id


def signed_in_user() -> dict:
    """`current_user()` in a view behind `login_required`, where there always is one."""
    user = current_user()
    if user is None:
        raise RuntimeError("signed_in_user() outside a login_required view")
    return user


def _session_user_id() -> int | None:
    current_session = unproxied(session)
    if current_session.store_error is not None:
        abort_for_dependency("redis")
    if current_session.credential_rejected:
        abort(401, "The session token is invalid, expired or revoked. Log in again.", headers=UNAUTHORIZED_HEADERS)
    user_id = current_session.get("user_id")
    if user_id is not None:
        _touch_session(current_session)
    return user_id


def _load_current_user() -> dict | None:
    user_id = current_user_id()
    if user_id is None:
        return None
    # Whether the account still exists and may act decides what the caller may do: read it on
    # the primary, never on a replica that has not seen the account created or disabled yet.
    with db.reads_on_primary():
        user = fetch_user_by_id(user_id)
    if user is None or user["disabled_at"] is not None:
        _refuse_session(user_id)
    return user


def _refuse_session(user_id: int) -> None:
    stored_sessions.revoke_session(user_id, session.sid)
    session.clear()
    g.current_user_id = None
    abort(401, "The session token is invalid, expired or revoked. Log in again.", headers=UNAUTHORIZED_HEADERS)


def _touch_session(current_session) -> None:
    """Refresh lastSeenAt (and where from), and with it the session's expiry, at most once per
    interval: in between, requests read the session without writing to Redis."""
    now = time.time()
    interval = current_app.config["SESSION_TOUCH_INTERVAL"].total_seconds()
    if now - current_session.get("last_seen_at", 0) >= interval:
        current_session.update(last_seen_at=now, ip=client_ip())


def login_required(view):
    """The view needs a logged-in caller: 401 otherwise."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        if current_user_id() is None:
            abort(401, "Authentication required: send 'Authorization: Token <token>' or the session cookie.",
                  headers=UNAUTHORIZED_HEADERS)
        return view(*args, **kwargs)

    return _document_security(wrapper, required=True)


def login_optional(view):
    """The view serves anonymous callers too, but a bad token is still a 401."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        current_user_id()
        return view(*args, **kwargs)

    return _document_security(wrapper, required=False)


def _document_security(view, *, required: bool):
    security: list[dict[str, list]] = [{"Token": []}, {"Cookie": []}] + ([] if required else [{}])
    return Blueprint.doc(
        security=security,
        responses={"401": "Unauthorized"},  # the shared component (api.openapi)
    )(view)


def current_token() -> str:
    return session.sid
