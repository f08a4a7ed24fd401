"""The one-query ceiling: the read endpoints' anonymous responses from ONE SQL statement each,
written as fast as we can write them on the service's stack (Flask, PyMySQL through a DBUtils
pool, orjson).

`gunicorn --config gunicorn.conf.py 'bench.ceilings.one_query:create_app()'`

Each statement returns what its response needs and no more, as tuples (no dict per row):

- A list page is one row per article. The page's ids come first (LIMIT on an index, like the
  service); each of those rows then gets its tags from a correlated JSON_ARRAYAGG subquery,
  sorted by MariaDB in the tags' collation (the service's order), and that JSON goes into the
  response as it is (orjson.Fragment): no tag row to decode, no list to build. The total
  follows the page as one more row (UNION ALL).
- An article is one row, its tags the same subquery.
- Comments are one row per comment, the article's comment count beside each.

docs/performance.md ("The one-query ceiling") has the shapes measured against this one
(GROUP_CONCAT, GROUP BY the page, a derived table of tag lists, the whole page as JSON from
MariaDB, one row per article and tag) and the worker classes.
"""

import orjson
import pymysql
from flask import Flask, Response, request

from api.db import ProcessPool
from bench.ceilings import json_response, profile, timestamp
from settings import Config

TAG_FILTER = (" JOIN article_tags tag_link ON tag_link.article_id = article.id"
              " JOIN tags tag_filter ON tag_filter.id = tag_link.tag_id AND tag_filter.name = %(tag)s")
# One article's tags, sorted as the service sorts them (ORDER BY tag.name: the tags' collation);
# NULL when it has none. Evaluated only for the rows returned: a page's ids are chosen first.
TAG_LIST = ("(SELECT JSON_ARRAYAGG(tag.name ORDER BY tag.name) FROM article_tags link"
            " JOIN tags tag ON tag.id = link.tag_id WHERE link.article_id = article.id)")
ARTICLE_COLUMNS = ("article.slug, article.title, article.description, article.favorites_count,"
                   f" article.created_at, article.updated_at, author.username, author.bio, author.image, {TAG_LIST}")


def page_sql(tagged: bool) -> str:
    """The page, newest first, as (NULL, ARTICLE_COLUMNS...) rows, then one row: (total, NULLs...)."""
    # With a tag, newest first on the link's article_id, read off the article_tags PK as the service does.
    newest_first = "tag_link.article_id" if tagged else "article.id"
    counted = ("FROM article_tags tag_link JOIN tags tag_filter"
               " ON tag_filter.id = tag_link.tag_id AND tag_filter.name = %(tag)s") if tagged else "FROM articles"
    # The total rides on a row of its own after the page, so an empty page still carries it. On
    # every row instead, beside the page, it costs a temporary table (~0.8 ms a page); as a
    # scalar subquery on each row it is lost with an empty page. An UNSIGNED column UNIONed
    # with a bare NULL comes back DECIMAL, hence the typed NULL.
    return (
        f"(SELECT NULL, {ARTICLE_COLUMNS}"
        f"  FROM (SELECT article.id FROM articles article{TAG_FILTER if tagged else ''}"
        f"   ORDER BY {newest_first} DESC LIMIT %(limit)s OFFSET %(offset)s) page"
        "  JOIN articles article ON article.id = page.id JOIN users author ON author.id = article.author_id"
        "  ORDER BY article.id DESC LIMIT %(limit)s)"
        " UNION ALL (SELECT COUNT(*), NULL, NULL, NULL, CAST(NULL AS UNSIGNED), NULL, NULL, NULL, NULL, NULL, NULL"
        f"  {counted})"
    )


PAGE_SQL = {tagged: page_sql(tagged) for tagged in (False, True)}
ARTICLE_SQL = (f"SELECT {ARTICLE_COLUMNS}, article.body FROM articles article"
               " JOIN users author ON author.id = article.author_id WHERE article.slug = %(slug)s")
# The service's default page (the newest 100) and the article's total; one row of NULLs and the
# total for an article without comments, no row for an unknown slug.
COMMENTS_SQL = ("SELECT (SELECT COUNT(*) FROM comments counted WHERE counted.article_id = article.id),"
                " comment.id, comment.created_at, comment.updated_at, comment.body,"
                " author.username, author.bio, author.image"
                " FROM articles article"
                " LEFT JOIN comments comment ON comment.article_id = article.id"
                " LEFT JOIN users author ON author.id = comment.author_id"
                " WHERE article.slug = %(slug)s ORDER BY comment.id DESC LIMIT 100")
PROFILE_SQL = "SELECT username, bio, image FROM users WHERE username = %(username)s"
# Counted in the order of the article_tags PK (tag_id first), without a temporary table, then
# named: 2-3x faster than the service's GROUP BY over the join (docs/performance.md).
TAGS_SQL = ("SELECT tag.name FROM (SELECT tag_id, COUNT(*) AS uses FROM article_tags GROUP BY tag_id) used"
            " STRAIGHT_JOIN tags tag ON tag.id = used.tag_id ORDER BY used.uses DESC, tag.name")


def article(row: tuple) -> dict:
    """An ArticleListItem (anonymous) from the ARTICLE_COLUMNS of a row."""
    slug, title, description, favorites_count, created_at, updated_at, username, bio, image, tags = row
    return {
        "slug": slug, "title": title, "description": description,
        # MariaDB's JSON array, passed through; an article without tags has NULL there.
        "tagList": orjson.Fragment(tags) if tags is not None else [],
        "createdAt": timestamp(created_at), "updatedAt": timestamp(updated_at),
        "favorited": False, "favoritesCount": favorites_count, "author": profile(username, bio, image),
    }


def _not_found(field: str, message: str) -> Response:
    return json_response({"errors": {field: [message], "body": [message]}}, 404)


def create_app(config: dict | None = None) -> Flask:
    app = Flask(__name__)
    config = config or {name: getattr(Config, name) for name in dir(Config) if name.isupper()}
    pool = ProcessPool(config)  # one PooledDB per worker process, the service's settings

    def query(sql: str, args: dict) -> tuple[tuple, ...]:
        connection = pool.get().connection()
        try:
            # Tuples, not the pool's dicts: no dict to build per row.
            with connection.cursor(pymysql.cursors.Cursor) as cursor:
                cursor.execute(sql, args)
                return cursor.fetchall()
        finally:
            connection.close()

    @app.get("/api/articles")
    def articles():
        tag = request.args.get("tag") or None
        rows = query(PAGE_SQL[tag is not None], {"tag": tag, "limit": request.args.get("limit", 20, type=int),
                                                 "offset": request.args.get("offset", 0, type=int)})
        *page, (total, *_) = rows  # the last row is the total's
        return json_response({"articles": [article(row[1:]) for row in page], "articlesCount": total})

    @app.get("/api/articles/<slug>")
    def one_article(slug):
        rows = query(ARTICLE_SQL, {"slug": slug})
        if not rows:
            return _not_found("slug", f"No article has the slug {slug!r}.")
        return json_response({"article": {**article(rows[0][:-1]), "body": rows[0][-1]}})

    @app.get("/api/articles/<slug>/comments")
    def comments(slug):
        rows = query(COMMENTS_SQL, {"slug": slug})
        if not rows:
            return _not_found("slug", f"No article has the slug {slug!r}.")
        return json_response({"comments": [
            {"id": comment_id, "createdAt": timestamp(created_at), "updatedAt": timestamp(updated_at),
             "body": body, "author": profile(username, bio, image)}
            for _, comment_id, created_at, updated_at, body, username, bio, image in rows if comment_id is not None],
            "commentsCount": rows[0][0]})

    @app.get("/api/profiles/<username>")
    def get_profile(username):
        rows = query(PROFILE_SQL, {"username": username})
        if not rows:
            return _not_found("username", f"No user is called {username!r}.")
        return json_response({"profile": profile(*rows[0])})

    @app.get("/api/tags")
    def tags():
        return json_response({"tags": [name for name, in query(TAGS_SQL, {})]})

    return app
