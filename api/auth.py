"""Who is calling: the one place that turns the request's session into `g.current_user_id`
(from the session alone) and, for views that need the account itself, `g.current_user` (its row).

`login_required` and `login_optional` are the only auth decorators. Both refuse a presented
but unknown, expired or revoked token with 401 (optional auth is never silently anonymous),
and both answer 503 when Redis cannot be asked.
"""

import time
from functools import wraps

from flask import current_app, g, session
from flask_smorest import Blueprint

from api import session_registry
from api.client import client_ip, client_user_agent
from api.data.users import account_enabled, fetch_user_by_id
from api.errors import abort, abort_for_dependency

UNAUTHORIZED_HEADERS = {"WWW-Authenticate": 'Token realm="conduit"'}


def current_user_id() -> int | None:
    """The caller's user id, None when anonymous: the session alone, no SQL.

    A live session is proof enough that its account may act: disabling an account revokes
    every session it has, and a login that raced with the disabling checks again after storing
    its session (`confirm_account_still_enabled`). Reads that only need the caller's id (their
    `following`/`favorited` flags, the feed) therefore cost no query for the caller.
    """
    context = g._get_current_object()  # one proxy lookup, not three (see api/db.py)
    if "current_user_id" not in context:
        context.current_user_id = _session_user_id()
    return context.current_user_id


def current_user() -> dict | None:
    """The calling user's row, loaded once per request (one query); None when anonymous."""
    if "current_user" not in g:
        g.current_user = _load_current_user()
    return g.current_user


def _session_user_id() -> int | None:
    current_session = session._get_current_object()
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
    user = fetch_user_by_id(user_id)
    if user is None or user["disabled_at"] is not None:
        _refuse_session(user_id)
    return user


def _refuse_session(user_id: int) -> None:
    session_registry.revoke_session(user_id, session.sid)
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
    security = [{"Token": []}, {"Cookie": []}] + ([] if required else [{}])
    return Blueprint.doc(
        security=security,
        responses={"401": "Unauthorized"},  # the shared component (api.openapi)
    )(view)


def start_session(user: dict, *, remember: bool = True) -> str:
    """Log `user` in on a brand-new session id (no fixation) and return its token."""
    interface = current_app.session_interface
    if session.credential_presented and not session.from_header and session.get("user_id") is not None:
        # The browser's previous session ends here: one cookie jar holds one session.
        session_registry.revoke_session(session["user_id"], session.sid)
    session.clear()
    session.restart(interface.new_session_id())
    session.permanent = remember
    now = time.time()
    session.update(
        user_id=user["id"],
        created_at=now,
        last_seen_at=now,
        ip=client_ip(),
        user_agent=client_user_agent(),
    )
    g.current_user, g.current_user_id = user, user["id"]
    return session.sid


def confirm_account_still_enabled(user: dict) -> None:
    """After a login's session is stored: refuse it (401) if the account was disabled meanwhile.

    `users disable` flags the account, then revokes the sessions its index lists. A login that
    read the account before the flag and stores its session after the revocation would slip
    through; stored first and checked here, either the revocation sees the session or this
    check sees the flag.
    """
    if not account_enabled(user["id"]):
        _refuse_session(user["id"])


def store_session_now() -> None:
    """Write the session to Redis at once, not only at the end of the request (which writes it
    again, harmlessly); a Redis outage then raises here, inside the caller's transaction."""
    current_app.session_interface.store_now(session)


def end_current_session() -> None:
    """Log out: the token and the cookie stop working at once."""
    user_id = session.get("user_id")
    if user_id is not None:
        session_registry.revoke_session(user_id, session.sid)
    session.clear()
    g.current_user, g.current_user_id = None, None


def current_token() -> str:
    return session.sid
