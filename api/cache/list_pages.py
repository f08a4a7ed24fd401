"""The optional cache of anonymous article list pages (LIST_CACHE_ENABLED, off by default).

An anonymous page depends only on its query (filters, limit, offset) and on the content, so
its finished JSON body is kept in the content cache (api/cache) under the query. Every article,
tag, favorite, follow or profile change bumps that cache's generation, so a cached page is never
served after a change it does not show. A hit
costs one Redis round trip and no SQL, no marshmallow and no JSON encoding.
"""

import hashlib
import json
from collections.abc import Callable
from typing import cast

from flask import Response, current_app
from flask.json.provider import DefaultJSONProvider

from api.cache import content_cache
from schemas.articles import MultipleArticlesResponseSchema

_page_schema = MultipleArticlesResponseSchema()


def list_cache_enabled() -> bool:
    return current_app.config["LIST_CACHE_ENABLED"]


def cached_page_response(query: dict, fetch_page: Callable[[], dict]) -> Response:
    """The response of an anonymous list request: cached, or built by `fetch_page()` and cached."""
    digest = hashlib.sha256(json.dumps(query, sort_keys=True).encode()).hexdigest()[:32]

    def render() -> bytes:
        return current_app.json.dumps(_page_schema.dump(fetch_page())).encode()

    body = content_cache.read_through(f"list-page:{digest}", render)
    # Flask types app.json as the base JSONProvider; create_app installs an OrjsonProvider, a DefaultJSONProvider.
    return current_app.response_class(body, mimetype=cast(DefaultJSONProvider, current_app.json).mimetype)
