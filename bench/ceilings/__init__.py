"""Two ceilings to measure the service against, served by gunicorn with the same settings.

- bare (bare.py): a Flask view answering a fixed 20-article page from memory: the framework,
  the server and json.dumps, no I/O.
- one_query (one_query.py): the read endpoints' responses built from exactly one SQL statement
  each through a DBUtils pool, serialized with the standard json module.
"""

import json

from flask import Response

from schemas.base import Timestamp

JSON_MIMETYPE = "application/json; charset=utf-8"
_timestamp = Timestamp()


def timestamp(value) -> str:
    """The service's timestamp format (schemas.base.Timestamp)."""
    return _timestamp._serialize(value, None, None)


def json_response(payload: dict, status: int = 200) -> Response:
    return Response(json.dumps(payload), status=status, mimetype=JSON_MIMETYPE)


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
