"""Tags: the tag lists of articles, and every tag in use."""

from collections import defaultdict

from api.db import db


def fetch_tag_lists(article_ids: list[int]) -> dict[int, list[str]]:
    """The tags of each article, sorted by name, in one query for the whole page."""
    if not article_ids:
        return {}
    rows = db.fetch_all(
        "SELECT link.article_id, tag.name FROM article_tags link JOIN tags tag ON tag.id = link.tag_id"
        " WHERE link.article_id IN %s ORDER BY tag.name",
        (tuple(article_ids),),
    )
    tag_lists = defaultdict(list)
    for row in rows:
        tag_lists[row["article_id"]].append(row["name"])
    return tag_lists


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

