"""Our own domain events, named in the past tense after what happened.

Every signal has one payload, declared beside it, and is sent only through `announce`, which
refuses any other (so a sender cannot drift from what the receivers expect). The sender is the
Flask app itself: receivers connect per app (api/receivers/).

Signals announce; they carry no promise of the API. The services keep every promise on their
own direct path (api/services/), and only the activity log, whose rows the contract says are
recorded by receivers, is connected so that its errors reach the sender (api/receivers/).
"""

from blinker import NamedSignal, Namespace
from flask import current_app

conduit_signals = Namespace()
PAYLOADS: dict[NamedSignal, frozenset[str]] = {}


def _signal(name: str, *payload: str) -> NamedSignal:
    signal = conduit_signals.signal(name)
    PAYLOADS[signal] = frozenset(payload)
    return signal


def announce(signal: NamedSignal, **payload) -> None:
    """Send `signal` from the running app with exactly its declared payload."""
    if payload.keys() != PAYLOADS[signal]:
        raise TypeError(f"signal {signal.name} takes {sorted(PAYLOADS[signal])}, not {sorted(payload)}")
    # Flask types current_app as Flask, though it is a LocalProxy (which has _get_current_object).
    signal.send(current_app._get_current_object(), **payload)  # type: ignore[attr-defined]


# --- accounts. user: the account's row (a dict). ip and user agent come from the request, if any.
user_registered = _signal("user-registered", "user")
user_logged_in = _signal("user-logged-in", "user")
user_login_failed = _signal("user-login-failed", "email", "user")  # user: None for an unknown email
user_logged_out = _signal("user-logged-out", "user")
password_changed = _signal("password-changed", "user")  # its other sessions are ended
user_updated = _signal("user-updated", "user")  # as updated: its profile shows on articles
# session_ids: the public ids of the sessions ended (one signal per request or command);
# reason: "user" (ended through the API), "admin" (a command), "limit" (SESSION_MAX_PER_USER)
session_revoked = _signal("session-revoked", "user", "session_ids", "reason")

# --- operations
dependency_failed = _signal("dependency-failed", "dependency", "error")  # "mysql" or "redis"; error or None
# MySQL refused a write for a lock conflict (deadlock, lock wait timeout): outcome "retried",
# or "failed" (answered 503)
write_conflicted = _signal("write-conflicted", "outcome", "error")

# --- content: sent by the services (api/services/) after the commit, once per real change (a
# repeated favorite or follow sends nothing), the caches already made stale. article_id: the
# article's id; tags: its tags as saved; tags_changed: whether the update replaced its tags;
# user, follower: the caller's row; followee: the followed user's profile, with its id.
article_created = _signal("article-created", "article_id", "tags")
article_updated = _signal("article-updated", "article_id", "tags_changed")
article_deleted = _signal("article-deleted", "article_id")
article_favorited = _signal("article-favorited", "article_id", "user")
article_unfavorited = _signal("article-unfavorited", "article_id", "user")
comment_created = _signal("comment-created", "comment_id", "article_id")
comment_deleted = _signal("comment-deleted", "comment_id", "article_id")
profile_followed = _signal("profile-followed", "follower", "followee")
profile_unfollowed = _signal("profile-unfollowed", "follower", "followee")
