"""The one-query ceiling: the read endpoints' anonymous responses from ONE SQL statement each.

`gunicorn --config gunicorn.conf.py 'bench.ceilings.one_query:create_app()'`

The list statement derives the page's ids first (LIMIT on an index, like the service), then
joins the authors and the tags of those 20 rows only: one row per (article, tag) pair, folded
into articles here. The total comes from a COUNT beside it: no window COUNT over the whole
table, no per-row subquery before the LIMIT. An empty page still returns the count row (the
page is LEFT JOINed to it). No GROUP_CONCAT: the shared MariaDB 10.11 crashed (signal 11 in
Item_func_group_concat::setup) on statements that used it, this ceiling's among them.
"""

from flask import Flask, request

from api.db import ProcessPool
from bench.ceilings import json_response, list_item, profile, timestamp
from settings import Config

TAG_FILTER = (" JOIN article_tags tag_link ON tag_link.article_id = article.id"
              " JOIN tags tag_filter ON tag_filter.id = tag_link.tag_id AND tag_filter.name = %(tag)s")
ARTICLE_COLUMNS = ("article.id, article.slug, article.title, article.description, article.favorites_count,"
                   " article.created_at, article.updated_at, author.username AS author_username,"
                   " author.bio AS author_bio, author.image AS author_image, tag.name AS tag_name")
TAG_JOINS = " LEFT JOIN article_tags link ON link.article_id = article.id LEFT JOIN tags tag ON tag.id = link.tag_id"


def page_sql(tagged: bool) -> str:
    tag_filter = TAG_FILTER if tagged else ""
    count = ("SELECT COUNT(*) AS count FROM article_tags tag_link JOIN tags tag_filter"
             " ON tag_filter.id = tag_link.tag_id AND tag_filter.name = %(tag)s") if tagged \
        else "SELECT COUNT(*) AS count FROM articles"
    return (
        f"SELECT total.count AS articles_count, {ARTICLE_COLUMNS}"
        f" FROM ({count}) total"
        f" LEFT JOIN (SELECT article.id FROM articles article{tag_filter}"
        "  ORDER BY article.id DESC LIMIT %(limit)s OFFSET %(offset)s) page ON TRUE"
        " LEFT JOIN articles article ON article.id = page.id"
        " LEFT JOIN users author ON author.id = article.author_id"
        f"{TAG_JOINS}"
        " ORDER BY article.id DESC, tag.name"
    )


ARTICLE_SQL = (f"SELECT article.body, {ARTICLE_COLUMNS} FROM articles article"
               f" JOIN users author ON author.id = article.author_id{TAG_JOINS}"
               " WHERE article.slug = %(slug)s ORDER BY tag.name")
# The service's default page (the newest 100) and the article's total.
COMMENTS_SQL = ("SELECT comment.id, comment.body, comment.created_at, comment.updated_at, author.username,"
                " author.bio, author.image,"
                " (SELECT COUNT(*) FROM comments counted WHERE counted.article_id = article.id) AS comments_count"
                " FROM articles article"
                " LEFT JOIN comments comment ON comment.article_id = article.id"
                " LEFT JOIN users author ON author.id = comment.author_id"
                " WHERE article.slug = %(slug)s ORDER BY comment.id DESC LIMIT 100")
PROFILE_SQL = "SELECT username, bio, image FROM users WHERE username = %(username)s"
TAGS_SQL = ("SELECT tag.name FROM article_tags link JOIN tags tag ON tag.id = link.tag_id"
            " GROUP BY link.tag_id, tag.name ORDER BY COUNT(*) DESC, tag.name")


def _fold(rows: list[dict]) -> list[tuple[dict, list[str]]]:
    """(first row, tag names) per article, in the rows' order: one row per (article, tag) pair."""
    articles: dict[int, tuple[dict, list[str]]] = {}
    for row in rows:
        if row["id"] is None:  # the count row of an empty page
            continue
        _, tags = articles.setdefault(row["id"], (row, []))
        if row["tag_name"] is not None:
            tags.append(row["tag_name"])
    return list(articles.values())


def _not_found(field: str, message: str):
    return json_response({"errors": {field: [message], "body": [message]}}, 404)


def create_app(config: dict | None = None) -> Flask:
    app = Flask(__name__)
    config = config or {name: getattr(Config, name) for name in dir(Config) if name.isupper()}
    pool = ProcessPool(config)  # one PooledDB per worker process, the service's settings

    def query(sql: str, args: dict) -> list[dict]:
        connection = pool.get().connection()
        try:
            with connection.cursor() as cursor:
                cursor.execute(sql, args)
                return list(cursor.fetchall())
        finally:
            connection.close()

    @app.get("/api/articles")
    def articles():
        tag = request.args.get("tag") or None
        args = {"tag": tag, "limit": request.args.get("limit", 20, type=int),
                "offset": request.args.get("offset", 0, type=int)}
        rows = query(page_sql(tag is not None), args)
        return json_response({"articles": [list_item(row, tags) for row, tags in _fold(rows)],
                              "articlesCount": rows[0]["articles_count"]})

    @app.get("/api/articles/<slug>")
    def article(slug):
        rows = query(ARTICLE_SQL, {"slug": slug})
        if not rows:
            return _not_found("slug", f"No article has the slug {slug!r}.")
        (row, tags), = _fold(rows)
        return json_response({"article": {**list_item(row, tags), "body": row["body"]}})

    @app.get("/api/articles/<slug>/comments")
    def comments(slug):
        rows = query(COMMENTS_SQL, {"slug": slug})
        if not rows:
            return _not_found("slug", f"No article has the slug {slug!r}.")
        return json_response({"comments": [
            {"id": row["id"], "createdAt": timestamp(row["created_at"]), "updatedAt": timestamp(row["updated_at"]),
             "body": row["body"], "author": profile(row["username"], row["bio"], row["image"])}
            for row in rows if row["id"] is not None], "commentsCount": rows[0]["comments_count"]})

    @app.get("/api/profiles/<username>")
    def get_profile(username):
        rows = query(PROFILE_SQL, {"username": username})
        if not rows:
            return _not_found("username", f"No user is called {username!r}.")
        return json_response({"profile": profile(rows[0]["username"], rows[0]["bio"], rows[0]["image"])})

    @app.get("/api/tags")
    def tags():
        return json_response({"tags": [row["name"] for row in query(TAGS_SQL, {})]})

    return app

