"""Favorites, with the exact favorites_count kept beside each article.

Each change is one transaction that first locks the article row (SELECT ... FOR UPDATE).
Without that lock, concurrent favoriters deadlock: the favorites insert takes a shared lock on
the article through its foreign key, and each then waits for the others to update the count.
The count moves only when a favorite row really appeared or disappeared, which is what makes
repeats idempotent and the count exact under concurrency.
"""

from api.db import db, retry_on_conflict


def add_favorite(user_id: int, slug: str) -> tuple[int | None, bool]:
    """Favorite the article: (its id or None when unknown, whether anything changed)."""
    return _change_favorite(
        user_id, slug, +1,
        "INSERT IGNORE INTO favorites (user_id, article_id, created_at) VALUES (%s, %s, UTC_TIMESTAMP(3))",
    )


def remove_favorite(user_id: int, slug: str) -> tuple[int | None, bool]:
    """Unfavorite the article: (its id or None when unknown, whether anything changed)."""
    return _change_favorite(user_id, slug, -1, "DELETE FROM favorites WHERE user_id = %s AND article_id = %s")


@retry_on_conflict
def _change_favorite(user_id: int, slug: str, count_change: int, statement: str) -> tuple[int | None, bool]:
    with db.transaction():
        article = db.fetch_one("SELECT id FROM articles WHERE slug = %s FOR UPDATE", (slug,))
        if article is None:
            return None, False
        changed = db.execute(statement, (user_id, article["id"])).rowcount == 1
        if changed:
            db.execute("UPDATE articles SET favorites_count = favorites_count + %s WHERE id = %s",
                       (count_change, article["id"]))
    return article["id"], changed
