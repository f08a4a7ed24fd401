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

    def read_through(self, entry: str, compute: Callable[[], bytes]) -> bytes:
        """The value cached as `entry` at the current generation, else `compute()` (then cached).

        One round trip on a hit; MySQL alone when Redis is down.
        """
        key = self._key(entry)
        try:
            # redis-py types values as bytes | str; our clients never set decode_responses, so bytes.
            generation, cached = cast(list[bytes | None], redis_client().mget(self._key("generation"), key))
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
            redis_client().incr(self._key("generation"))
        except RedisError as error:
            # The change is saved; failing its request now would only hide that. The TTL catches up.
            logger.warning("could not bump the %s cache's generation: %s", self.name, error)


# Article counts and anonymous list pages: every article, tag, favorite, follow or profile change.
content_cache = GenerationCache("content")
# GET /api/tags: every change to the tags of an article.
tags_cache = GenerationCache("tags")
