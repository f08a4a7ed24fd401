"""Comments: newest first, each with its author as the viewer sees them."""

from api.data.profiles import author_columns, author_joins, nest_author
from api.db import db

# What a Comment shows; its author's columns come from author_columns.
COMMENT_COLUMNS = "comment.id, comment.body, comment.created_at, comment.updated_at"


# Counted on the (article_id, id) key; MariaDB caches it for the rows of one article.
_COMMENTS_COUNT = ("(SELECT COUNT(*) FROM comments counted WHERE counted.article_id = article.id)"
                   " AS comments_count")


def fetch_article_comments(slug: str, viewer_id: int | None, limit: int, offset: int) -> dict | None:
    """A page of the comments of the article with this slug, newest first, and how many it has
    in all: {comments, comments_count}; None for an unknown slug.

    One statement: the article LEFT JOINed to its comments, so an article without comments is
    one row of NULLs and an unknown slug no row at all. Only a page past the end (no row at an
    offset) asks again whether the article exists.
    """
    for_viewer = viewer_id is not None
    rows = db.fetch_all(
        f"SELECT {COMMENT_COLUMNS}, {author_columns(for_viewer)}, {_COMMENTS_COUNT}"
        " FROM articles article LEFT JOIN comments comment ON comment.article_id = article.id"
        f"{author_joins('comment.author_id', for_viewer, outer=True)}"
        " WHERE article.slug = %(slug)s ORDER BY comment.id DESC LIMIT %(limit)s OFFSET %(offset)s",
        {"slug": slug, "viewer_id": viewer_id, "limit": limit, "offset": offset},
    )
    if not rows and offset:
        rows = db.fetch_all(f"SELECT NULL AS id, {_COMMENTS_COUNT} FROM articles article WHERE article.slug = %s",
                            (slug,))
    if not rows:
        return None
    return {
        "comments": [nest_author(row) for row in rows if row["id"] is not None],
        "comments_count": rows[0]["comments_count"],
    }


def fetch_comment(comment_id: int, viewer_id: int | None) -> dict | None:
    """One comment, plus the `article_id` it belongs to; or None."""
    for_viewer = viewer_id is not None
    row = db.fetch_one(
        f"SELECT {COMMENT_COLUMNS}, comment.article_id, {author_columns(for_viewer)}"
        f" FROM comments comment{author_joins('comment.author_id', for_viewer)}"
        " WHERE comment.id = %(id)s",
        {"id": comment_id, "viewer_id": viewer_id},
    )
    return None if row is None else nest_author(row)


def insert_comment(slug: str, author_id: int, body: str) -> int | None:
    """Comment on the article with this slug; returns the comment's id, None for an unknown slug.

    One statement finds the article and inserts, so an article deleted meanwhile cannot make the
    foreign key fail.
    """
    result = db.execute(
        "INSERT INTO comments (article_id, author_id, body, created_at, updated_at)"
        " SELECT id, %s, %s, UTC_TIMESTAMP(3), UTC_TIMESTAMP(3) FROM articles WHERE slug = %s",
        (author_id, body, slug),
    )
    return result.lastrowid if result.rowcount == 1 else None


def fetch_comment_owner(slug: str, comment_id: int) -> dict | None:
    """For deletion: {article_id, comment_id, author_id} with comment_id None when the article
    has no such comment (also when the comment belongs to another article); None for an unknown slug."""
    return db.fetch_one(
        "SELECT article.id AS article_id, comment.id AS comment_id, comment.author_id"
        " FROM articles article LEFT JOIN comments comment"
        " ON comment.article_id = article.id AND comment.id = %s"
        " WHERE article.slug = %s",
        (comment_id, slug),
    )


def delete_comment(comment_id: int) -> bool:
    """Delete a comment; False when it was already gone (deleted concurrently)."""
    return db.execute("DELETE FROM comments WHERE id = %s", (comment_id,)).rowcount == 1
