"""The optional cache of anonymous article list pages (LIST_CACHE_ENABLED, off by default).

An anonymous page depends only on its query (filters, limit, offset) and on the content, so
its finished JSON body is kept in Redis under the query, stamped with the content generation
(api/receivers/content_generation.py). Every article, tag, favorite, follow or profile change
moves the generation, so a cached page is never served after a change it does not show. A hit
costs one Redis round trip and no SQL, no marshmallow and no JSON encoding.
"""

import hashlib
import json
from typing import Callable

from flask import Response, current_app

from api.receivers.content_generation import read_through
from api.redis_store import redis_key
from schemas.articles import MultipleArticlesResponseSchema

_page_schema = MultipleArticlesResponseSchema()


def list_cache_enabled() -> bool:
    return current_app.config["LIST_CACHE_ENABLED"]


def cached_page_response(query: dict, fetch_page: Callable[[], dict]) -> Response:
    """The response of an anonymous list request: cached, or built by `fetch_page()` and cached."""
    digest = hashlib.sha256(json.dumps(query, sort_keys=True).encode()).hexdigest()[:32]

    def render() -> bytes:
        return current_app.json.dumps(_page_schema.dump(fetch_page())).encode()

    body = read_through(redis_key("list-page", digest), render)
    return current_app.response_class(body, mimetype=current_app.json.mimetype)
