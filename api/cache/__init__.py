"""The one cache mechanism: generation-stamped read-through caches in Redis.

A `GenerationCache` owns a counter, its generation. Every entry is stored as
`b"<generation>:<value>"` and served only while the counter still reads that generation, so one
INCR (`bump`) makes every entry of the cache stale at once, on every instance. A reader reads the
generation *before* it reads MySQL (on the primary, from a snapshot opened after that:
`db.reads_on_primary()`), so whatever it stores is stamped with a generation at least as old as
the data it saw: a value read just before a change is stale right after it.

Writers bump after their change committed. If Redis cannot be told, readers fall back to MySQL
and CACHE_TTL_SECONDS bounds how long an entry cached before the outage may lag.

All keys of one cache share a hash tag (`{content}`, `{tags}`), so the generation and an entry
are read with one MGET even in a Redis Cluster (which allows it within one hash slot only).

The generations also label responses: conditional GETs (api/conditional_gets.py) take their
ETag from `current_generations`, read before any SQL, under the same ordering rules.
"""

import logging
from collections.abc import Callable
from typing import cast

from flask import current_app
from redis.exceptions import RedisError

from api.db import db
from api.redis_store import redis_client, redis_key

logger = logging.getLogger("conduit.cache")


class GenerationCache:
    """A read-through cache of byte values whose entries all go stale with one `bump()`."""

    def __init__(self, name: str):
        self.name = name

    def _key(self, *parts: object) -> str:
        return redis_key("{" + self.name + "}", *parts)

    def _generation_key(self) -> str:
        return self._key("generation")

    def current_generation(self) -> bytes:
        """The generation now (b"0" before the first bump): one GET. Raises RedisError when Redis is down."""
        return cast(bytes | None, redis_client().get(self._generation_key())) or b"0"

    def read_through(self, entry: str, compute: Callable[[], bytes]) -> bytes:
        """The value cached as `entry` at the current generation, else `compute()` (then cached).

        One round trip on a hit; MySQL alone when Redis is down.
        """
        key = self._key(entry)
        try:
            # redis-py types values as bytes | str; our clients never set decode_responses, so bytes.
            generation, cached = cast(list[bytes | None], redis_client().mget(self._generation_key(), key))
        except RedisError as error:
            logger.warning("%s cache unavailable, computing %s: %s", self.name, entry, error)
            return compute()
        generation = generation or b"0"
        if cached is not None:
            stamp, _, value = cached.partition(b":")
            if stamp == generation:
                return value
        with db.reads_on_primary():  # not a replica's past, nor a snapshot older than `generation`
            value = compute()
        try:
            redis_client().set(key, generation + b":" + value, ex=current_app.config["CACHE_TTL_SECONDS"])
        except RedisError as error:
            logger.warning("could not cache %s in the %s cache: %s", entry, self.name, error)
        return value

    def bump(self) -> None:
        """Make every entry of this cache stale (after the change that outdates them committed)."""
        try:
            redis_client().incr(self._generation_key())
        except RedisError as error:
            # The change is saved; failing its request now would only hide that. The TTL catches up.
            logger.warning("could not bump the %s cache's generation: %s", self.name, error)


def current_generations(*caches: GenerationCache) -> list[bytes]:
    """The generations of `caches` now, in one round trip. Raises RedisError when Redis is down."""
    if len(caches) == 1:
        return [caches[0].current_generation()]
    # A pipeline rather than an MGET: each cache has its own hash tag, and a Redis Cluster refuses
    # an MGET across hash slots (a cluster pipeline sends each GET to its node).
    pipeline = redis_client().pipeline(transaction=False)
    for cache in caches:
        pipeline.get(cache._generation_key())
    return [generation or b"0" for generation in cast(list[bytes | None], pipeline.execute())]


# Article counts and anonymous list pages: every article, tag, favorite, follow or profile change.
content_cache = GenerationCache("content")
# GET /api/tags: every change to the tags of an article.
tags_cache = GenerationCache("tags")
# No entries, only its generation: every comment added or deleted (conditional GETs of comments).
comments_cache = GenerationCache("comments")
