"""Articles: the article SELECT (the one home of its columns and joins), reads and writes.

An article is shown to a viewer: `favorited` and `author.following` depend on who asks. The
viewer's flags come from LEFT JOINs on primary keys (at most one row each), so fetching them
never multiplies rows; `%(viewer_id)s` is NULL for anonymous callers.
"""

from typing import Callable

import pymysql

from api.data.profiles import author_columns, author_joins, nest_author
from api.data.tags import fetch_tag_lists, replace_article_tags
from api.db import db
from api.slugs import slug_for_title, with_random_suffix

# Unlucky twice in a row with 32 random bits is already implausible; five is generous.
SLUG_ATTEMPTS = 5
# Columns an update may change; the keys are the only names ever put into SQL.
UPDATABLE_COLUMNS = {"title": "title", "description": "description", "body": "body"}


def select_articles(source: str, *, with_body: bool) -> str:
    """SELECT articles from `source` (which must name `article`) with author and viewer flags.

    List items carry no body, so pages do not even read it.
    """
    body = ", article.body" if with_body else ""
    return (
        "SELECT article.id, article.slug, article.title, article.description, article.favorites_count,"
        " article.created_at, article.updated_at,"
        f" viewer_favorite.user_id IS NOT NULL AS favorited, {author_columns()}{body}"
        f" FROM {source}{author_joins('article.author_id')}"
        " LEFT JOIN favorites viewer_favorite"
        " ON viewer_favorite.user_id = %(viewer_id)s AND viewer_favorite.article_id = article.id"
    )


def complete_articles(rows: list[dict]) -> list[dict]:
    """Shape rows of `select_articles` as articles: nested author, flags, tags (one query)."""
    tag_lists = fetch_tag_lists([row["id"] for row in rows])
    for row in rows:
        nest_author(row)
        row["favorited"] = bool(row["favorited"])
        row["tags"] = tag_lists.get(row["id"], [])
    return rows


def fetch_article_by_slug(slug: str, viewer_id: int | None) -> dict | None:
    """One article with its body, as `viewer_id` sees it (two queries), or None."""
    return _fetch_article("article.slug = %(slug)s", {"slug": slug, "viewer_id": viewer_id})


def fetch_article_by_id(article_id: int, viewer_id: int | None) -> dict | None:
    """One article with its body, as `viewer_id` sees it (two queries), or None."""
    return _fetch_article("article.id = %(id)s", {"id": article_id, "viewer_id": viewer_id})


def _fetch_article(condition: str, args: dict) -> dict | None:
    row = db.fetch_one(select_articles("articles article", with_body=True) + f" WHERE {condition}", args)
    return None if row is None else complete_articles([row])[0]


def find_article(slug: str) -> dict | None:
    """An article's id, author_id and title (enough to check permissions or reach its comments), or None."""
    return db.fetch_one("SELECT id, author_id, title FROM articles WHERE slug = %s", (slug,))


def insert_article(author_id: int, fields: dict) -> int:
    """Create an article with its tags in one transaction; returns its id."""
    with db.transaction():
        article_id = _write_with_unique_slug(
            fields["title"],
            lambda slug: db.execute(
                "INSERT INTO articles (slug, title, description, body, author_id, created_at, updated_at)"
                " VALUES (%s, %s, %s, %s, %s, UTC_TIMESTAMP(3), UTC_TIMESTAMP(3))",
                (slug, fields["title"], fields["description"], fields["body"], author_id),
            ).lastrowid,
        )
        replace_article_tags(article_id, fields["tags"], had_tags=False)
    return article_id


def update_article(article: dict, changes: dict) -> None:
    """Apply `changes` (title, description, body, tags) to `article` (from find_article).

    A new title gives a new slug; updated_at moves whatever changed.
    """
    columns = {UPDATABLE_COLUMNS[name]: value for name, value in changes.items() if name in UPDATABLE_COLUMNS}

    def write(new_slug: str | None = None) -> None:
        values = columns if new_slug is None else {**columns, "slug": new_slug}
        assignments = "".join(f"{column} = %s, " for column in values)
        db.execute(f"UPDATE articles SET {assignments}updated_at = UTC_TIMESTAMP(3) WHERE id = %s",
                   (*values.values(), article["id"]))

    with db.transaction():
        if "title" in changes and changes["title"] != article["title"]:
            _write_with_unique_slug(changes["title"], write)
        else:
            write()
        if "tags" in changes:
            replace_article_tags(article["id"], changes["tags"])


def delete_article(article_id: int) -> None:
    """Delete an article; its tags links, favorites and comments go with it (ON DELETE CASCADE)."""
    db.execute("DELETE FROM articles WHERE id = %s", (article_id,))


def _write_with_unique_slug(title: str, write: Callable[[str], int | None]) -> int | None:
    """Run `write(slug)` with the title's slug, retrying with a random suffix while it is taken.

    The UNIQUE key decides (never SELECT-then-INSERT), so concurrent writers cannot both win.
    Inside a transaction a duplicate-key error undoes only the failed statement.
    """
    base = slug_for_title(title)
    slug = base
    for _attempt in range(SLUG_ATTEMPTS - 1):
        try:
            return write(slug)
        except pymysql.err.IntegrityError as error:
            if not _is_duplicate_slug(error):
                raise
        slug = with_random_suffix(base)
    return write(slug)


def _is_duplicate_slug(error: pymysql.err.IntegrityError) -> bool:
    message = str(error.args[1]) if len(error.args) > 1 else ""
    return error.args[0] == 1062 and "articles_slug_unique" in message  # 1062: ER_DUP_ENTRY
