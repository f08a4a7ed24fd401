"""Who is calling: the one place that turns the request's session into `g.current_user_id`
(from the session alone) and, for views that need the account itself, `g.current_user` (its row).

`login_required` and `login_optional` are the only auth decorators. Both refuse a presented
but unknown, expired or revoked token with 401 (optional auth is never silently anonymous),
and both answer 503 when Redis cannot be asked.
"""

import logging
import time
from contextlib import contextmanager
from functools import wraps
from typing import Iterator

from flask import current_app, g, session
from flask_smorest import Blueprint
from redis.exceptions import RedisError

from api import session_registry
from api.client import client_ip, client_user_agent
from api.data.users import credentials_unchanged, fetch_user_by_id
from api.db import db
from api.errors import abort, abort_for_dependency
from api.login_limits import login_attempt
from api.passwords import verify_password
from api.signals import current_sender, session_revoked

logger = logging.getLogger("conduit.auth")

UNAUTHORIZED_HEADERS = {"WWW-Authenticate": 'Token realm="conduit"'}


def current_user_id() -> int | None:
    """The caller's user id, None when anonymous: the session alone, no SQL.

    A live session is proof enough that its account may act: disabling an account or changing
    its password revokes every session it has, and a login that raced with either checks again
    after storing its session (`credentials_still_valid`). Reads that only need the caller's id (their
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
    # Whether the account still exists and may act decides what the caller may do: read it on
    # the primary, never on a replica that has not seen the account created or disabled yet.
    with db.reads_on_primary():
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
    """Log `user` in on a brand-new session id (no fixation), stored in Redis at once (a Redis
    outage raises here, inside the caller's transaction); returns its token.

    The session the request came with is not ended when it belongs to a user: a client may hold
    it as a token as well (Postman and newman keep a cookie jar beside the token they saved).
    An anonymous one, which holds nothing anyone could still use, is deleted.
    """
    interface = current_app.session_interface
    if session.stored and session.get("user_id") is None:
        session_registry.revoke_session(None, session.sid)
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
    interface.store_now(session)
    g.current_user, g.current_user_id = user, user["id"]
    return session.sid


@contextmanager
def session_discarded_on_failure() -> Iterator[None]:
    """Around a login or registration: if the block fails (a 401, a failed commit, an outage),
    the session it started is deleted again and no cookie is sent, so no session outlives an
    account that was rolled back or a login that was refused."""
    try:
        yield
    except BaseException:
        _discard_new_session()
        raise


def _discard_new_session() -> None:
    if session.stored:
        try:
            session_registry.revoke_session(session.get("user_id"), session.sid)
        except RedisError as error:
            # Its token never reached the client, and its user id is checked on every use.
            logger.warning("could not delete the session of a failed login: %r", error)
    session.clear()
    session.discarded = True
    g.current_user, g.current_user_id = None, None


def credentials_still_valid(user: dict) -> bool:
    """After a login has stored its session: whether the credentials it checked still hold.

    A password change bumps the account's `auth_epoch` and revokes the sessions its index lists
    inside one transaction; `users disable` flags the account, then revokes them. A login that
    verified the old password (or read the account as enabled) and stored its session after the
    revocation would slip through. Stored first and checked here on the primary with a locking
    read (which waits for a password change that is still committing), either the revocation
    sees this session or this check sees the change.
    """
    return credentials_unchanged(user["id"], user["auth_epoch"])


def end_sessions_beyond_limit(user: dict) -> None:
    """Hold the account to SESSION_MAX_PER_USER sessions: a new login ends the least recently used."""
    ended = session_registry.revoke_least_recently_used(
        user["id"], session.sid, current_app.config["SESSION_MAX_PER_USER"])
    if ended:
        session_revoked.send(current_sender(), user=user, session_ids=ended, reason="limit")


REAUTHENTICATION_NEEDED = (
    "Changing the password or email needs proof that you are the account's owner: send your current"
    " password as currentPassword, or log in again (this session logged in too long ago)."
)
WRONG_CURRENT_PASSWORD = "is not the account's current password"


def require_proof_of_identity(user: dict, current_password: str | None) -> None:
    """Before a sensitive change (password, email): the caller's current password, or a login
    within REAUTH_WINDOW_SECONDS. Else 403: a token alone (stolen from a log, a shared machine)
    must not be enough to take the account over and lock its owner out."""
    if current_password is not None:
        # A password check like a login's, and as limited: a stolen token is no free oracle.
        with login_attempt(user["email"]) as attempt:
            if not verify_password(user["password_hash"], current_password):
                attempt.fail()
                abort(403, WRONG_CURRENT_PASSWORD, field="currentPassword")
        return
    logged_in_at = session.get("created_at", 0)
    if time.time() - logged_in_at >= current_app.config["REAUTH_WINDOW_SECONDS"]:
        abort(403, REAUTHENTICATION_NEEDED)


def end_current_session() -> None:
    """Log out: the token and the cookie stop working at once."""
    user_id = session.get("user_id")
    if user_id is not None:
        session_registry.revoke_session(user_id, session.sid)
    session.clear()
    g.current_user, g.current_user_id = None, None


def current_token() -> str:
    return session.sid
