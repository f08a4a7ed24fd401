"""The cache of GET /api/tags in Redis, and the receivers that keep it current.

The cached list carries the cache's version; every change to an article's tags bumps the
version (INCR), after its transaction committed. A reader fills the cache with the version it
saw *before* reading MySQL, so a list read just before a change is never served after it: its
version is already old. The refill reads the primary even with read replicas configured: a
lagging replica would cache the list from before the change under the new version. If Redis
is down, readers fall back to MySQL and writers skip the bump; the TTL then bounds how long a
list cached before the outage can be out of date.

The list and its version are read together with one MGET, which a Redis Cluster allows only
within one hash slot: both keys carry the hash tag `{tags}`, so they always share a slot.
"""

import json
import logging

from flask import Flask
from redis.exceptions import RedisError

from api.data.tags import fetch_tags_in_use
from api.db import db
from api.redis_store import redis_client, redis_key
from api.signals import article_created, article_deleted, article_updated

logger = logging.getLogger("conduit.tags_cache")

CACHE_TTL_SECONDS = 300
HASH_TAG = "{tags}"  # the cached list and its version share a cluster slot


def tags_in_use() -> list[str]:
    """Every tag in use: from the cache when it is current, else from MySQL (then cached)."""
    cache_key, version_key = redis_key(HASH_TAG), redis_key(HASH_TAG, "version")
    try:
        cached, version = redis_client().mget(cache_key, version_key)
    except RedisError as error:
        logger.warning("tags cache unavailable, reading MySQL: %s", error)
        return fetch_tags_in_use()
    version = int(version or 0)
    if cached is not None:
        entry = json.loads(cached)
        if entry["version"] == version:
            return entry["tags"]
    with db.reads_on_primary():
        tags = fetch_tags_in_use()
    try:
        redis_client().set(cache_key, json.dumps({"version": version, "tags": tags}), ex=CACHE_TTL_SECONDS)
    except RedisError as error:
        logger.warning("could not fill the tags cache: %s", error)
    return tags


def invalidate_tags() -> None:
    """Make every cached tag list stale."""
    try:
        redis_client().incr(redis_key(HASH_TAG, "version"))
    except RedisError as error:
        # The article is saved; failing its request now would only hide that. The TTL catches up.
        logger.warning("could not invalidate the tags cache: %s", error)


def on_article_created(sender: Flask, *, tags: list[str], **extra) -> None:
    if tags:
        invalidate_tags()


def on_article_updated(sender: Flask, *, tags_changed: bool, **extra) -> None:
    if tags_changed:
        invalidate_tags()


def on_article_deleted(sender: Flask, **extra) -> None:
    invalidate_tags()


RECEIVERS = [
    (article_created, on_article_created),
    (article_updated, on_article_updated),
    (article_deleted, on_article_deleted),
]
