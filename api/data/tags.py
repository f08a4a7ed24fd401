"""Tags: an article's tags, and every tag in use (an article's list is read with it: api/data/articles.py)."""

from api.db import db


def replace_article_tags(article_id: int, tags: list[str], *, had_tags: bool = True) -> None:
    """Give the article exactly `tags`; run it inside the article's transaction.

    Every writer locks tags first, in one sorted order, then article_tags: concurrent writers
    sharing new tags then wait for each other instead of deadlocking.
    """
    if tags:
        # INSERT IGNORE keeps tags that exist, whoever created them concurrently.
        db.execute_many("INSERT IGNORE INTO tags (name) VALUES (%s)", [(tag,) for tag in sorted(tags)])
    if had_tags:
        db.execute("DELETE FROM article_tags WHERE article_id = %s", (article_id,))
    if tags:
        # Linked by name in one statement; a locking read, so it sees the latest committed tags.
        db.execute(
            "INSERT INTO article_tags (article_id, tag_id) SELECT %s, id FROM tags WHERE name IN %s",
            (article_id, tuple(tags)),
        )


def fetch_tags_in_use() -> list[str]:
    """Every tag on at least one article, the most used first, ties by name."""
    rows = db.fetch_all(
        "SELECT tag.name FROM article_tags link JOIN tags tag ON tag.id = link.tag_id"
        " GROUP BY link.tag_id, tag.name ORDER BY COUNT(*) DESC, tag.name"
    )
    return [row["name"] for row in rows]

