"""Users: the SQL of accounts."""

import hashlib
from contextlib import contextmanager

import pymysql

from api.db import db

USER_COLUMNS = "id, email, username, password_hash, auth_epoch, bio, image, disabled_at, created_at, updated_at"
# Columns a user may change through PUT /api/user; the keys are the only names ever put into SQL.
UPDATABLE_COLUMNS = {"email": "email", "username": "username", "password_hash": "password_hash",
                     "bio": "bio", "image": "image"}


class DuplicateUserError(Exception):
    """Email or username is taken; `field` says which."""

    def __init__(self, field: str):
        super().__init__(field)
        self.field = field


@contextmanager
def _duplicates_as_user_errors():
    """Turn a unique-key violation on email or username into DuplicateUserError.

    The unique keys, not a SELECT beforehand, decide: two racing registrations cannot both win.
    """
    try:
        yield
    except pymysql.err.IntegrityError as error:
        message = str(error.args[1]) if len(error.args) > 1 else ""
        if error.args[0] == 1062 and "users_email_unique" in message:  # 1062: ER_DUP_ENTRY
            raise DuplicateUserError("email") from error
        if error.args[0] == 1062 and "users_username_unique" in message:
            raise DuplicateUserError("username") from error
        raise


def insert_user(email: str, username: str, password_hash: str) -> int:
    """Create a user and return its id; DuplicateUserError when email or username is taken."""
    with _duplicates_as_user_errors():
        return db.execute(
            "INSERT INTO users (email, username, password_hash, created_at, updated_at)"
            " VALUES (%s, %s, %s, UTC_TIMESTAMP(3), UTC_TIMESTAMP(3))",
            (email, username, password_hash),
        ).inserted_id


def fetch_user_by_id(user_id: int) -> dict | None:
    """One user by id."""
    return db.fetch_one(f"SELECT {USER_COLUMNS} FROM users WHERE id = %s", (user_id,))


def fetch_user_by_email(email: str) -> dict | None:
    """One user by email, compared case-insensitively (the column's collation)."""
    return db.fetch_one(f"SELECT {USER_COLUMNS} FROM users WHERE email = %s", (email,))


def fetch_user_by_username(username: str) -> dict | None:
    """One user by username."""
    return db.fetch_one(f"SELECT {USER_COLUMNS} FROM users WHERE username = %s", (username,))


def credentials_unchanged(user_id: int, auth_epoch: int) -> bool:
    """Whether the account exists, is enabled and still has the credentials of `auth_epoch`.

    A locking read on the primary: it sees the latest committed row, and waits for a password
    change that holds the row until that change commits (or rolls back).
    """
    with db.transaction():
        row = db.fetch_one(
            "SELECT auth_epoch, disabled_at FROM users WHERE id = %s LOCK IN SHARE MODE", (user_id,))
    return row is not None and row["disabled_at"] is None and row["auth_epoch"] == auth_epoch


def update_user(user_id: int, changes: dict) -> None:
    """Apply `changes` (keys from UPDATABLE_COLUMNS); DuplicateUserError on a taken email/username.

    A new password hash also advances the account's auth epoch, which logins in flight check.
    """
    assignments = ", ".join(f"{UPDATABLE_COLUMNS[name]} = %s" for name in changes)
    if "password_hash" in changes:
        assignments += ", auth_epoch = auth_epoch + 1"
    with _duplicates_as_user_errors():
        db.execute(
            f"UPDATE users SET {assignments}, updated_at = UTC_TIMESTAMP(3) WHERE id = %s",
            (*changes.values(), user_id),
        )


def update_password_hash(user_id: int, password_hash: str) -> None:
    """Store a rehashed password without touching updated_at (the user changed nothing)."""
    db.execute("UPDATE users SET password_hash = %s WHERE id = %s", (password_hash, user_id))


def disable_user(user_id: int) -> bool:
    """Mark the user disabled, so login refuses them; False when they already were."""
    return db.execute(
        "UPDATE users SET disabled_at = UTC_TIMESTAMP(3) WHERE id = %s AND disabled_at IS NULL", (user_id,)
    ).rowcount == 1


# MariaDB's weight of a space in utf8mb4_unicode_520_ci: PAD SPACE collations ignore trailing ones.
_SPACE_WEIGHT = b"\x02\x0a"


def email_comparison_key(email: str) -> str:
    """A digest of `email` as the users table compares emails, so that every spelling of one
    address (case, accents, ignorable characters, trailing spaces) gives the same key."""
    # The collation must be the one of users.email (see migrations/0003.emails-tell-symbols-apart.sql).
    weight = db.fetch_present("SELECT WEIGHT_STRING(%s COLLATE utf8mb4_unicode_520_ci) AS weight", (email,))["weight"]
    while weight.endswith(_SPACE_WEIGHT):
        weight = weight[: -len(_SPACE_WEIGHT)]
    return hashlib.sha256(weight).hexdigest()
