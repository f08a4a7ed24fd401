"""The content generation: one Redis counter bumped after every change a list page can show,
and the read-through cache of values computed at a generation.

Article counts (api/data/article_pages.py) and anonymous list pages (api/list_cache.py) are
cached with the generation they were computed at; an entry of an older generation is never
served. The receivers run after the change committed, and a reader reads
the generation *before* it reads MySQL (on the primary, from a snapshot opened after that:
`db.reads_on_primary()`), so whatever it caches is marked with a generation at least as old as
the data it saw: a page read just before a change is stale right after it.
Bulk seeding bumps it too (api/seeding.py). If Redis cannot be told, the TTL of the cached
entries (CACHE_TTL_SECONDS) bounds how long they may lag.
"""

import logging
from typing import Callable

from flask import Flask
from redis.exceptions import RedisError

from api.db import db
from api.redis_store import redis_client, redis_key
from api.signals import (
    article_created,
    article_deleted,
    article_favorited,
    article_unfavorited,
    article_updated,
    profile_followed,
    profile_unfollowed,
    user_updated,
)

logger = logging.getLogger("conduit.content_generation")

CACHE_TTL_SECONDS = 300


def generation_key() -> str:
    return redis_key("content-generation")


def bump_generation() -> None:
    """Make every cached count and list page stale."""
    try:
        redis_client().incr(generation_key())
    except RedisError as error:
        # The change is saved; failing its request now would only hide that. The TTL catches up.
        logger.warning("could not bump the content generation: %s", error)


def read_through(key: str, compute: Callable[[], bytes]) -> bytes:
    """The value cached under `key` at the current generation, else `compute()` (then cached).

    One round trip on a hit (MGET of the generation and the entry); MySQL alone when Redis is down.
    """
    try:
        generation, cached = redis_client().mget(generation_key(), key)
    except RedisError as error:
        logger.warning("content cache unavailable, computing %s: %s", key, error)
        return compute()
    generation = generation or b"0"
    if cached is not None:
        stamp, _, value = cached.partition(b":")
        if stamp == generation:
            return value
    with db.reads_on_primary():  # not a replica's past, nor a snapshot older than `generation`
        value = compute()
    try:
        redis_client().set(key, generation + b":" + value, ex=CACHE_TTL_SECONDS)
    except RedisError as error:
        logger.warning("could not cache %s: %s", key, error)
    return value


def on_content_changed(sender: Flask, **extra) -> None:
    bump_generation()


RECEIVERS = [(signal, on_content_changed) for signal in (
    article_created, article_updated, article_deleted, article_favorited, article_unfavorited,
    profile_followed, profile_unfollowed, user_updated,
)]
