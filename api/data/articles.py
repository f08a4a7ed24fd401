"""Articles: the article SELECT (the one home of its columns and joins), reads and writes.

An article is shown to a viewer: `favorited` and `author.following` depend on who asks. A
signed-in viewer's flags come from LEFT JOINs on primary keys (at most one row each), so
fetching them never multiplies rows; an anonymous caller's statements have neither the joins
nor the columns (both flags are false).
"""

from collections.abc import Callable
from typing import TypeVar

import pymysql

from api.data.profiles import author_columns, author_joins, nest_author
from api.data.tags import fetch_tag_lists, replace_article_tags
from api.db import db
from api.slugs import slug_for_title, with_random_suffix

Written = TypeVar("Written")

# Unlucky twice in a row with 32 random bits is already implausible; five is generous.
SLUG_ATTEMPTS = 5
# Columns an update may change; the keys are the only names ever put into SQL.
UPDATABLE_COLUMNS = {"title": "title", "description": "description", "body": "body"}


def select_articles(source: str, *, for_viewer: bool, with_body: bool, with_tags: bool = False) -> str:
    """SELECT articles from `source` (which must name `article`) with their author, and the
    viewer's flags when `for_viewer` (the viewer is `%(viewer_id)s`).

    List items carry no body, so pages do not even read it. `with_tags` adds the tags as rows,
    one row per (article, tag) (a NULL tag for an article without any), read back by
    `shape_article`: one round trip for a single article. A page reads its tag lists in one
    bulk query instead (`complete_articles`): 20 articles repeated on every tag's row cost more
    to decode (dates and all) than that second round trip (measured: 3.8 against 4.7 ms a page).
    """
    body = ", article.body" if with_body else ""
    tag_name, tag_joins = "", ""
    if with_tags:
        tag_name = ", tag.name AS tag_name"
        # The (article_id, tag_id) key, then the tags' PK: a few rows, never a scan.
        tag_joins = (" LEFT JOIN article_tags article_tag ON article_tag.article_id = article.id"
                     " LEFT JOIN tags tag ON tag.id = article_tag.tag_id")
    favorited, favorite_join = "", ""
    if for_viewer:
        favorited = ", viewer_favorite.user_id IS NOT NULL AS favorited"
        favorite_join = (" LEFT JOIN favorites viewer_favorite"
                         " ON viewer_favorite.user_id = %(viewer_id)s AND viewer_favorite.article_id = article.id")
    return (
        "SELECT article.id, article.slug, article.title, article.description, article.favorites_count,"
        f" article.created_at, article.updated_at{favorited}, {author_columns(for_viewer)}{body}{tag_name}"
        f" FROM {source}{author_joins('article.author_id', for_viewer)}{favorite_join}{tag_joins}"
    )


def complete_articles(rows: list[dict]) -> list[dict]:
    """Shape rows of `select_articles` as articles, their tags read in one query for them all."""
    tag_lists = fetch_tag_lists([row["id"] for row in rows])
    return [shape_article(row, tag_lists.get(row["id"], [])) for row in rows]


def shape_article(row: dict, tags: list[str]) -> dict:
    """An article from its row: nested author, boolean flag, its tags."""
    nest_author(row)
    row["favorited"] = bool(row.get("favorited", False))
    row["tags"] = tags
    return row


def fetch_article_by_slug(slug: str, viewer_id: int | None) -> dict | None:
    """One article with its body, as `viewer_id` sees it (one query), or None."""
    return _fetch_article("article.slug = %(slug)s", {"slug": slug, "viewer_id": viewer_id})


def fetch_article_by_id(article_id: int, viewer_id: int | None) -> dict | None:
    """One article with its body, as `viewer_id` sees it (one query), or None."""
    return _fetch_article("article.id = %(id)s", {"id": article_id, "viewer_id": viewer_id})


def _fetch_article(condition: str, args: dict) -> dict | None:
    for_viewer = args["viewer_id"] is not None
    rows = db.fetch_all(select_articles("articles article", for_viewer=for_viewer, with_body=True, with_tags=True)
                        + f" WHERE {condition} ORDER BY tag.name", args)
    if not rows:
        return None
    tags = [row.pop("tag_name") for row in rows]
    return shape_article(rows[0], [tag for tag in tags if tag is not None])


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
