"""Articles: the article SELECT (the one home of its columns and joins), reads and writes.

An article is shown to a viewer: `favorited` and `author.following` depend on who asks. A
signed-in viewer's flags come from LEFT JOINs on primary keys (at most one row each), so
fetching them never multiplies rows; an anonymous caller's statements have neither the joins
nor the columns (both flags are false).
"""

from collections.abc import Callable
from typing import TypeVar

import orjson
import pymysql

from api.data.profiles import author_columns, author_joins, nest_author
from api.data.tags import replace_article_tags
from api.db import db
from api.slugs import slug_for_title, with_random_suffix

Written = TypeVar("Written")

# Unlucky twice in a row with 32 random bits is already implausible; five is generous.
SLUG_ATTEMPTS = 5
# Columns an update may change; the keys are the only names ever put into SQL.
UPDATABLE_COLUMNS = {"title": "title", "description": "description", "body": "body"}


# The article's tags, sorted by name (the tags' collation), as a JSON array in one column (NULL
# without tags): a correlated subquery on the (article_id, tag_id) key, so a page of 20 is 20
# rows, not one row per (article, tag) nor a second round trip. GROUP_CONCAT of JSON_QUOTEd
# names rather than JSON_ARRAYAGG(... ORDER BY ...), which MySQL 8 does not accept; each name is
# escaped, so any character is safe. Its length is bounded by group_concat_max_len, which
# settings/pool.py raises on every connection above MAX_TAGS of the longest tag.
TAG_NAMES = ("(SELECT CONCAT('[', GROUP_CONCAT(JSON_QUOTE(tag.name) ORDER BY tag.name SEPARATOR ','), ']')"
             " FROM article_tags article_tag JOIN tags tag ON tag.id = article_tag.tag_id"
             " WHERE article_tag.article_id = article.id) AS tag_names")


def select_articles(source: str, *, for_viewer: bool, with_body: bool) -> str:
    """SELECT articles from `source` (which must name `article`) with their author, their tags
    (TAG_NAMES) and the viewer's flags when `for_viewer` (the viewer is `%(viewer_id)s`): one
    row per article. List items carry no body, so pages do not even read it."""
    body = ", article.body" if with_body else ""
    favorited, favorite_join = "", ""
    if for_viewer:
        favorited = ", viewer_favorite.user_id IS NOT NULL AS favorited"
        favorite_join = (" LEFT JOIN favorites viewer_favorite"
                         " ON viewer_favorite.user_id = %(viewer_id)s AND viewer_favorite.article_id = article.id")
    return (
        "SELECT article.id, article.slug, article.title, article.description, article.favorites_count,"
        f" article.created_at, article.updated_at{favorited}, {author_columns(for_viewer)}{body}, {TAG_NAMES}"
        f" FROM {source}{author_joins('article.author_id', for_viewer)}{favorite_join}"
    )


def shape_article(row: dict) -> dict:
    """An article from its row of `select_articles`: nested author, boolean flag, tag list."""
    nest_author(row)
    row["favorited"] = bool(row.get("favorited", False))
    tag_names = row.pop("tag_names")
    row["tags"] = [] if tag_names is None else orjson.loads(tag_names)
    return row


def fetch_article_by_slug(slug: str, viewer_id: int | None) -> dict | None:
    """One article with its body, as `viewer_id` sees it (one query), or None."""
    return _fetch_article("article.slug = %(slug)s", {"slug": slug, "viewer_id": viewer_id})


def fetch_article_by_id(article_id: int, viewer_id: int | None) -> dict | None:
    """One article with its body, as `viewer_id` sees it (one query), or None."""
    return _fetch_article("article.id = %(id)s", {"id": article_id, "viewer_id": viewer_id})


def _fetch_article(condition: str, args: dict) -> dict | None:
    for_viewer = args["viewer_id"] is not None
    row = db.fetch_one(select_articles("articles article", for_viewer=for_viewer, with_body=True)
                       + f" WHERE {condition}", args)
    return None if row is None else shape_article(row)


def lock_article(slug: str) -> dict | None:
    """Lock the article's row until the caller's transaction ends: its id, author_id and title
    (enough to check permissions before changing it), or None."""
    # Every change to an article (update, delete, favorite) locks its row first, so concurrent
    # changes queue on it in one order instead of deadlocking, and an owner check holds until
    # the change it allows is committed.
    return db.fetch_one("SELECT id, author_id, title FROM articles WHERE slug = %s FOR UPDATE", (slug,))


def insert_article(author_id: int, fields: dict) -> int:
    """Create an article with its tags, inside the caller's transaction; returns its id."""
    article_id = _write_with_unique_slug(
        fields["title"],
        lambda slug: db.execute(
            "INSERT INTO articles (slug, title, description, body, author_id, created_at, updated_at)"
            " VALUES (%s, %s, %s, %s, %s, UTC_TIMESTAMP(3), UTC_TIMESTAMP(3))",
            (slug, fields["title"], fields["description"], fields["body"], author_id),
        ).inserted_id,
    )
    replace_article_tags(article_id, fields["tags"], had_tags=False)
    return article_id


def update_article(article: dict, changes: dict) -> None:
    """Apply `changes` (title, description, body, tags) to `article` (from lock_article), inside
    the caller's transaction.

    A new title gives a new slug; updated_at moves whatever changed.
    """
    columns = {UPDATABLE_COLUMNS[name]: value for name, value in changes.items() if name in UPDATABLE_COLUMNS}

    def write(new_slug: str | None = None) -> None:
        values = columns if new_slug is None else {**columns, "slug": new_slug}
        assignments = "".join(f"{column} = %s, " for column in values)
        db.execute(f"UPDATE articles SET {assignments}updated_at = UTC_TIMESTAMP(3) WHERE id = %s",
                   (*values.values(), article["id"]))

    if "title" in changes and changes["title"] != article["title"]:
        _write_with_unique_slug(changes["title"], write)
    else:
        write()
    if "tags" in changes:
        replace_article_tags(article["id"], changes["tags"])


def delete_article(article_id: int) -> None:
    """Delete an article; its tags links, favorites and comments go with it (ON DELETE CASCADE)."""
    db.execute("DELETE FROM articles WHERE id = %s", (article_id,))


def _write_with_unique_slug(title: str, write: Callable[[str], Written]) -> Written:
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
