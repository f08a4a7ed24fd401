"""Accounts: registration, login and logout, the current account and its changes, its
activity log, and what an admin does to accounts."""

import time

from flask import current_app

from api.auth import signed_in_user, signed_in_user_id
from api.cache import content_cache
from api.data.account_events import count_account_events, fetch_account_events_page
from api.data.users import (
    DuplicateUserError,
    disable_user,
    fetch_user_by_email,
    fetch_user_by_id,
    insert_user,
    update_password_hash,
    update_user,
)
from api.db import db, known
from api.errors import abort
from api.login_limits import login_attempt
from api.passwords import burn_equal_time, hash_password, needs_rehash, verify_password
from api.services.sessions import (
    credentials_still_valid,
    end_current_session,
    end_other_sessions_of,
    end_sessions_beyond_limit,
    revoke_sessions_by_admin,
    session_discarded_on_failure,
    start_session,
)
from api.sessions import session
from api.signals import (
    announce,
    password_changed,
    user_logged_in,
    user_logged_out,
    user_login_failed,
    user_registered,
    user_updated,
)

INVALID_CREDENTIALS = "Invalid email or password."
TAKEN = "has already been taken"
REAUTHENTICATION_NEEDED = (
    "Changing the password or email needs proof that you are the account's owner: send your current"
    " password as currentPassword, or log in again (this session logged in too long ago)."
)
WRONG_CURRENT_PASSWORD = "is not the account's current password"


def register(email: str, username: str, password: str) -> dict:
    """Create an account with its `registered` event and log it in; 422 when email or username is taken.

    The account, its event and its session exist together or not at all. The session is stored
    before the commit: if Redis is down the account is rolled back with a 503, so a retry
    succeeds instead of finding its email taken; if the commit fails, the session is deleted
    again and no cookie names the rolled-back account.
    """
    password_hash = hash_password(password)
    with session_discarded_on_failure(), db.transaction():
        try:
            user = _insert_account(email, username, password_hash)
        except DuplicateUserError as error:
            abort(422, TAKEN, field=error.field)
        announce(user_registered, user=user)  # its event row is written in this transaction
        start_session(user)
    return user


def log_in(email: str, password: str, *, remember: bool) -> dict:
    """Check the credentials and start a fresh session; 401 for an unknown email or a wrong
    password alike, after the same work."""
    # An authentication decision: read on the primary, which has every new account, password
    # and disabling (a replica may lag behind them).
    with db.reads_on_primary():
        user = fetch_user_by_email(email)
    if user is None:
        burn_equal_time(password)
        announce(user_login_failed, email=email, user=None)
        abort(401, INVALID_CREDENTIALS)
    if not verify_password(user["password_hash"], password) or user["disabled_at"]:
        announce(user_login_failed, email=email, user=user)
        abort(401, INVALID_CREDENTIALS)
    if needs_rehash(user["password_hash"]):
        update_password_hash(user["id"], hash_password(password))
    with session_discarded_on_failure():
        start_session(user, remember=remember)
        # Stored, then checked again: a password change or `users disable` since the account
        # was read above either revoked this session or is seen here.
        if not credentials_still_valid(user):
            abort(401, INVALID_CREDENTIALS)
        end_sessions_beyond_limit(user)
        announce(user_logged_in, user=user)  # its event row is written before the session is handed out
    return user


def log_out() -> None:
    """End the caller's session: its token and cookie stop working at once."""
    user = signed_in_user()
    end_current_session()
    announce(user_logged_out, user=user)


def current_account() -> dict:
    """The caller's account."""
    return signed_in_user()


def update_current_account(changes: dict) -> dict:
    """Apply `changes` to the caller's account (422 for a taken email or username; 403 for a
    new password or email without a fresh proof of identity); returns the account as updated.

    A new password, the end of the other sessions and the `password_changed` event go together:
    if Redis cannot revoke, the password stays as it was (503, try again). The UPDATE comes
    first and holds the account's row until the commit, so a login that verified the old
    password either stored its session before the revocation reads the index, or waits in its
    check (api.services.sessions.credentials_still_valid) and is refused.
    """
    user = signed_in_user()
    changes = dict(changes)
    current_password = changes.pop("current_password", None)
    new_password = changes.pop("password", None)
    if new_password is not None or changes.get("email", user["email"]) != user["email"]:
        _require_proof_of_identity(user, current_password)
    if new_password is not None:
        changes["password_hash"] = hash_password(new_password)
    with db.transaction():
        try:
            update_user(user["id"], changes)
        except DuplicateUserError as error:
            abort(422, TAKEN, field=error.field)
        user = known(fetch_user_by_id(user["id"]), "the caller's own row, locked in by this transaction's update")
        if new_password is not None:
            end_other_sessions_of(user)
            announce(password_changed, user=user)
    content_cache.bump()  # the profile shows on articles and list pages
    announce(user_updated, user=user)
    return user


def _require_proof_of_identity(user: dict, current_password: str | None) -> None:
    """The caller's current password, or a login within REAUTH_WINDOW_SECONDS; 403 otherwise.
    A token alone (stolen from a log, a shared machine) must not be enough to take the account
    over and lock its owner out."""
    if current_password is not None:
        # A password check like a login's, and as limited: a stolen token is no free oracle.
        with login_attempt(user["email"]) as attempt:
            if not verify_password(user["password_hash"], current_password):
                attempt.fail()
                abort(403, WRONG_CURRENT_PASSWORD, field="currentPassword")
        return
    if time.time() - session.get("created_at", 0) >= current_app.config["REAUTH_WINDOW_SECONDS"]:
        abort(403, REAUTHENTICATION_NEEDED)


def my_activity(limit: int, offset: int) -> dict:
    """A page of the caller's security events, newest first, and how many there are."""
    user_id = signed_in_user_id()
    return {"events": fetch_account_events_page(user_id, limit, offset), "eventsCount": count_account_events(user_id)}


# --- administration (flask --app wsgi users ...)


def create_account_by_admin(email: str, username: str, password: str) -> dict:
    """Create an account that can log in at once, with its `registered` event; DuplicateUserError
    when email or username is taken."""
    password_hash = hash_password(password)
    with db.transaction():
        user = _insert_account(email, username, password_hash)
        announce(user_registered, user=user)
    return user


def disable_account(user: dict) -> tuple[bool, int]:
    """Refuse the account's logins from now on and end every session it has; returns (whether it
    was enabled until now, how many sessions ended)."""
    # Disabled first, so that a login in flight either sees the flag or has its session revoked
    # (api.services.sessions.credentials_still_valid).
    newly_disabled = disable_user(user["id"])
    return newly_disabled, revoke_sessions_by_admin(user)


def _insert_account(email: str, username: str, password_hash: str) -> dict:
    """The new account's row (inside the caller's transaction); DuplicateUserError when taken."""
    user_id = insert_user(email, username, password_hash)
    return known(fetch_user_by_id(user_id), "the row this transaction just inserted")
