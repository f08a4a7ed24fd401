"""Profiles and follows, and the one SQL fragment that shows an author to a viewer.

Articles and comments both show their author as a Profile whose `following` depends on who
asks. `author_columns`/`author_joins` are that fragment's only home. For a signed-in viewer
(`for_viewer`) they join the viewer's follow (`%(viewer_id)s`); an anonymous caller follows
no one, so their statements neither join follows nor read a `following` column
(`nest_author` makes it false): fewer joins for MariaDB, fewer columns for PyMySQL to decode.
"""

from api.db import db


def author_columns(for_viewer: bool) -> str:
    """The SELECT list of an author's profile, read back by `nest_author`."""
    columns = "author.username AS author_username, author.bio AS author_bio, author.image AS author_image"
    if for_viewer:
        columns += ", viewer_follow.follower_id IS NOT NULL AS author_following"
    return columns


def author_joins(author_id_column: str, for_viewer: bool, *, outer: bool = False) -> str:
    """Join the author named by `author_id_column` and, for a viewer, whether the viewer follows
    them; `outer` keeps rows whose column is NULL (their author columns are NULL too)."""
    join = "LEFT JOIN" if outer else "JOIN"
    joins = f" {join} users author ON author.id = {author_id_column}"
    return joins + _viewer_follow_join(author_id_column) if for_viewer else joins


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
        "following": bool(row.pop("author_following", False)),
    }


def fetch_profile(username: str, viewer_id: int | None) -> dict | None:
    """A user's profile as `viewer_id` sees it; or None."""
    for_viewer = viewer_id is not None
    row = db.fetch_one(
        f"SELECT {author_columns(for_viewer)} FROM users author"
        f"{_viewer_follow_join('author.id') if for_viewer else ''} WHERE author.username = %(username)s",
        {"username": username, "viewer_id": viewer_id},
    )
    return None if row is None else _pop_profile(row)


def fetch_profile_with_id(username: str) -> dict | None:
    """A user's profile plus their `id`, for following and unfollowing them; or None. The
    caller's own `following` is what the follow or unfollow makes it, so it is not read."""
    row = db.fetch_one(
        f"SELECT author.id AS user_id, {author_columns(False)} FROM users author"
        " WHERE author.username = %(username)s",
        {"username": username},
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
