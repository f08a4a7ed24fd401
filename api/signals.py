"""Our own domain events, named in the past tense after what happened.

Handlers send them; receivers (api/receivers/) do the follow-up work. Every signal is sent
with the Flask app as sender and keyword arguments documented beside it.
"""

from blinker import Namespace
from flask import Flask, current_app

conduit_signals = Namespace()


def current_sender() -> Flask:
    """The sender of every signal: the running app itself (receivers connect per app)."""
    return current_app._get_current_object()


# --- accounts: user (dict row), plus the request's ip and user_agent where useful
user_registered = conduit_signals.signal("user-registered")  # user
user_logged_in = conduit_signals.signal("user-logged-in")  # user
user_login_failed = conduit_signals.signal("user-login-failed")  # email, user (None when unknown)
user_logged_out = conduit_signals.signal("user-logged-out")  # user
password_changed = conduit_signals.signal("password-changed")  # user (its other sessions are ended)
user_updated = conduit_signals.signal("user-updated")  # user (as updated: its profile shows on articles)
# user, session_ids (public ids of the sessions ended, one signal per request or command),
# reason: "user" (ended through the API), "admin" (a command), "limit" (SESSION_MAX_PER_USER)
session_revoked = conduit_signals.signal("session-revoked")

# --- operations
dependency_failed = conduit_signals.signal("dependency-failed")  # dependency ("mysql" or "redis"), error (or None)
# MySQL refused a write for a lock conflict (deadlock, lock wait timeout): outcome ("retried",
# or "failed": answered 503), error
write_conflicted = conduit_signals.signal("write-conflicted")

# --- content
article_created = conduit_signals.signal("article-created")  # article_id, tags
article_updated = conduit_signals.signal("article-updated")  # article_id, tags_changed
article_deleted = conduit_signals.signal("article-deleted")  # article_id
article_favorited = conduit_signals.signal("article-favorited")  # article_id, user
article_unfavorited = conduit_signals.signal("article-unfavorited")  # article_id, user
comment_created = conduit_signals.signal("comment-created")  # comment_id, article_id
comment_deleted = conduit_signals.signal("comment-deleted")  # comment_id, article_id
profile_followed = conduit_signals.signal("profile-followed")  # follower, followee
profile_unfollowed = conduit_signals.signal("profile-unfollowed")  # follower, followee

