"""Sessions: starting one at login, ending them (logout, revocation, the per-account bound),
and listing the caller's.

A session is a promise: once ended it stays dead, and a password change or a disabling ends
every session of the old credentials whatever the timing. How each function keeps its part is
said beside it; api/sessions.py keeps the rest (a session is created once, then only updated).
"""

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager

from flask import current_app, g
from redis.exceptions import RedisError

from api.auth import signed_in_user, signed_in_user_id
from api.client import client_ip, client_user_agent
from api.data import sessions as stored_sessions
from api.data.users import credentials_unchanged
from api.errors import abort
from api.sessions import session, session_interface
from api.signals import announce, session_revoked

logger = logging.getLogger("conduit.sessions")


def start_session(user: dict, *, remember: bool = True) -> str:
    """Log `user` in on a brand-new session id (no fixation), stored in Redis at once (a Redis
    outage raises here, inside the caller's transaction); returns its token.

    The session the request came with is not ended when it belongs to a user: a client may hold
    it as a token as well (Postman and newman keep a cookie jar beside the token they saved).
    An anonymous one, which holds nothing anyone could still use, is deleted.
    """
    interface = session_interface()
    if session.stored and session.get("user_id") is None:
        stored_sessions.revoke_session(None, session.sid)
    session.clear()
    session.restart(interface.new_session_id())
    session.permanent = remember
    now = time.time()
    session.update(user_id=user["id"], created_at=now, last_seen_at=now, ip=client_ip(),
                   user_agent=client_user_agent())
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
            stored_sessions.revoke_session(session.get("user_id"), session.sid)
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
    ended = stored_sessions.revoke_least_recently_used(
        user["id"], session.sid, current_app.config["SESSION_MAX_PER_USER"])
    if ended:
        announce(session_revoked, user=user, session_ids=ended, reason="limit")


def end_current_session() -> None:
    """Log out: the token and the cookie stop working at once."""
    user_id = session.get("user_id")
    if user_id is not None:
        stored_sessions.revoke_session(user_id, session.sid)
    session.clear()
    g.current_user, g.current_user_id = None, None


def end_other_sessions_of(user: dict) -> list[str]:
    """End every session of `user` but this request's (a password change); their public ids."""
    return stored_sessions.revoke_sessions_except(user["id"], keep_sid=session.sid)


# --- the caller's sessions (GET/DELETE /api/user/sessions)


def list_my_sessions(limit: int, offset: int) -> dict:
    """A page of the caller's live sessions, newest first, and how many there are."""
    sessions = stored_sessions.list_sessions(signed_in_user_id())
    for item in sessions:
        item["current"] = item["sid"] == session.sid
    return {"sessions": sessions[offset:offset + limit], "sessionsCount": len(sessions)}


def end_my_session(public_id: str) -> None:
    """End one of the caller's sessions (the current one too: a logout); 404 for any other id."""
    user = signed_in_user()
    sid = stored_sessions.find_session_id(user["id"], public_id)
    if sid is None:
        abort(404, "The caller has no live session with this id.")
    if sid == session.sid:
        end_current_session()
    else:
        stored_sessions.revoke_session(user["id"], sid)
    announce(session_revoked, user=user, session_ids=[public_id], reason="user")


def end_my_other_sessions() -> None:
    """End every session of the caller but the current one."""
    user = signed_in_user()
    ended = end_other_sessions_of(user)
    if ended:
        announce(session_revoked, user=user, session_ids=ended, reason="user")


# --- administration (flask --app wsgi sessions|users ...)


def revoke_sessions_by_admin(user: dict, public_id: str | None = None) -> int:
    """End one session of `user` (by public id), or all of them (None); how many ended."""
    if public_id is None:
        ended = stored_sessions.revoke_sessions_except(user["id"], None)
    else:
        sid = stored_sessions.find_session_id(user["id"], public_id)
        ended = [] if sid is None else [public_id]
        if sid is not None:
            stored_sessions.revoke_session(user["id"], sid)
    if ended:
        announce(session_revoked, user=user, session_ids=ended, reason="admin")
    return len(ended)
