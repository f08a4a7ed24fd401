"""Tags: every tag in use, served from the tags cache (which every change to an article's tags
makes stale: api/services/articles.py)."""

import json

from api.cache import tags_cache
from api.data.tags import fetch_tags_in_use


def tags_in_use() -> list[str]:
    """Every tag on at least one article, the most used first (ties by name); from MySQL when Redis is down."""
    return json.loads(tags_cache.read_through("in-use", lambda: json.dumps(fetch_tags_in_use()).encode()))
