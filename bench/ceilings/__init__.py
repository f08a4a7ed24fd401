"""Two ceilings to measure the service against, served by gunicorn.

- bare (bare.py): a Flask view answering a fixed 20-article page from memory: the framework,
  the server and orjson (the service's serializer), no I/O.
- one_query (one_query.py): the read endpoints' responses built from exactly one SQL statement
  each through a DBUtils pool, as fast as we can write them.

Both run under gunicorn.conf.py as the service does (gthread): on this machine sync workers
served them fewer requests per second in most read scenarios, though each cost a little less
CPU (docs/performance.md, "The one-query ceiling"). `GUNICORN_WORKER_CLASS=sync make bench`
runs all three under sync workers.
"""

import orjson
from flask import Response

JSON_MIMETYPE = "application/json; charset=utf-8"


def timestamp(value) -> str:
    """The service's timestamp format (schemas.base.Timestamp) for a naive UTC DATETIME(3)."""
    return value.isoformat(timespec="milliseconds") + "Z"


def json_response(payload: dict, status: int = 200) -> Response:
    return Response(orjson.dumps(payload), status=status, mimetype=JSON_MIMETYPE)


def profile(username: str, bio: str | None, image: str | None) -> dict:
    """A Profile as an anonymous caller sees it."""
    return {"username": username, "bio": bio, "image": image, "following": False}


def list_item(row: dict, tags: list[str]) -> dict:
    """An ArticleListItem (anonymous) from a row with article and author_* columns."""
    return {
        "slug": row["slug"], "title": row["title"], "description": row["description"], "tagList": tags,
        "createdAt": timestamp(row["created_at"]), "updatedAt": timestamp(row["updated_at"]),
        "favorited": False, "favoritesCount": row["favorites_count"],
        "author": profile(row["author_username"], row["author_bio"], row["author_image"]),
    }
