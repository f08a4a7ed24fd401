"""Favorites, with the exact favorites_count kept beside each article.

Each change runs inside a transaction that first locked the article's row
(api.data.articles.lock_article). Without that lock, concurrent favoriters deadlock: the
favorites insert takes a shared lock on the article through its foreign key, and each then
waits for the others to update the count. The count moves only when a favorite row really
appeared or disappeared, which is what makes repeats idempotent and the count exact under
concurrency.
"""

from api.db import db


def add_favorite(user_id: int, article_id: int) -> bool:
    """Favorite the (locked) article; False when the user already had (idempotent)."""
    added = db.execute(
        "INSERT IGNORE INTO favorites (user_id, article_id, created_at) VALUES (%s, %s, UTC_TIMESTAMP(3))",
        (user_id, article_id),
    ).rowcount == 1
    if added:
        _count_favorites(article_id, +1)
    return added


def remove_favorite(user_id: int, article_id: int) -> bool:
    """Unfavorite the (locked) article; False when the user had not favorited it (idempotent)."""
    removed = db.execute(
        "DELETE FROM favorites WHERE user_id = %s AND article_id = %s", (user_id, article_id)
    ).rowcount == 1
    if removed:
        _count_favorites(article_id, -1)
    return removed


def _count_favorites(article_id: int, change: int) -> None:
    db.execute("UPDATE articles SET favorites_count = favorites_count + %s WHERE id = %s", (change, article_id))
