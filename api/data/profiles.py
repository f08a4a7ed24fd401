"""Profiles and follows, and the one SQL fragment that shows an author to a viewer.

Articles and comments both show their author as a Profile whose `following` depends on who
asks. `author_columns`/`author_joins` are that fragment's only home; `%(viewer_id)s` is NULL
for anonymous callers, which matches no follow, so `following` is false.
"""

from api.db import db


def author_columns() -> str:
    """The SELECT list of an author's profile, read back by `nest_author`."""
    return ("author.username AS author_username, author.bio AS author_bio, author.image AS author_image,"
            " viewer_follow.follower_id IS NOT NULL AS author_following")


def author_joins(author_id_column: str, *, outer: bool = False) -> str:
    """Join the author named by `author_id_column` and whether the viewer follows them; `outer`
    keeps rows whose column is NULL (their author columns are NULL too)."""
    join = "LEFT JOIN" if outer else "JOIN"
    return f" {join} users author ON author.id = {author_id_column}" + _viewer_follow_join(author_id_column)


def _viewer_follow_join(user_id_column: str) -> str:
    # At most one row: (follower_id, followee_id) is the primary key of follows.
    return (" LEFT JOIN follows viewer_follow"
            f" ON viewer_follow.follower_id = %(viewer_id)s AND viewer_follow.followee_id = {user_id_column}")


def nest_author(row: dict) -> dict:
    """Move the author_* columns of `row` into `row["author"]` (a Profile)."""
    row["author"] = _pop_profile(row)
    return row


def _pop_profile(row: dict) -> dict:
    return {
        "username": row.pop("author_username"),
        "bio": row.pop("author_bio"),
        "image": row.pop("author_image"),
        "following": bool(row.pop("author_following")),
    }


def fetch_profile(username: str, viewer_id: int | None) -> dict | None:
    """A user's profile as `viewer_id` sees it, plus the user's `id`; or None."""
    row = db.fetch_one(
        f"SELECT author.id AS user_id, {author_columns()} FROM users author {_viewer_follow_join('author.id')}"
        " WHERE author.username = %(username)s",
        {"username": username, "viewer_id": viewer_id},
    )
    return None if row is None else {"id": row["user_id"], **_pop_profile(row)}


def follow(follower_id: int, followee_id: int) -> bool:
    """Make follower follow followee; False when it already did (idempotent)."""
    return db.execute(
        "INSERT IGNORE INTO follows (follower_id, followee_id, created_at) VALUES (%s, %s, UTC_TIMESTAMP(3))",
        (follower_id, followee_id),
    ).rowcount == 1


def unfollow(follower_id: int, followee_id: int) -> bool:
    """Stop following; False when there was nothing to undo (idempotent)."""
    return db.execute(
        "DELETE FROM follows WHERE follower_id = %s AND followee_id = %s", (follower_id, followee_id)
    ).rowcount == 1
