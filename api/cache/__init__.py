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

Conditional GETs (api/conditional_gets.py) keep entries of their own, stamped with the
generations of several caches (`read_stamped`): the ETag last worked out for a request, so that
a revalidation can be answered while nothing it shows has changed, under the same ordering rules.
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

    def read_stamped(self, entry: str, *other_caches: "GenerationCache") -> tuple[bytes, bytes | None]:
        """The stamp now (the generations of this cache and of `other_caches`, e.g. b"12" or b"12.3")
        and the value stored as `entry` under that very stamp, else None: one round trip.

        Raises RedisError when Redis is down. The entry lives under this cache's hash tag.
        """
        key = self._key(entry)
        if other_caches:
            # A pipeline rather than an MGET: each cache has its own hash tag, and a Redis Cluster
            # refuses an MGET across hash slots (a cluster pipeline sends each GET to its node).
            pipeline = redis_client().pipeline(transaction=False)
            for cache in (self, *other_caches):
                pipeline.get(cache._generation_key())
            pipeline.get(key)
            *generations, stored = cast(list[bytes | None], pipeline.execute())
        else:
            # redis-py types values as bytes | str; our clients never set decode_responses, so bytes.
            *generations, stored = cast(list[bytes | None], redis_client().mget(self._generation_key(), key))
        stamp = b".".join(generation or b"0" for generation in generations)
        if stored is not None:
            stored_stamp, _, value = stored.partition(b":")
            if stored_stamp == stamp:
                return stamp, value
        return stamp, None

    def store_stamped(self, entry: str, stamp: bytes, value: bytes) -> None:
        """Store `value` as `entry` under `stamp`, read by `read_stamped` before `value` was worked
        out, for CACHE_TTL_SECONDS; only a warning when Redis cannot take it."""
        try:
            redis_client().set(self._key(entry), stamp + b":" + value, ex=current_app.config["CACHE_TTL_SECONDS"])
        except RedisError as error:
            logger.warning("could not store %s in the %s cache: %s", entry, self.name, error)

    def read_through(self, entry: str, compute: Callable[[], bytes]) -> bytes:
        """The value cached as `entry` at the current generation, else `compute()` (then cached).

        One round trip on a hit; MySQL alone when Redis is down.
        """
        try:
            stamp, value = self.read_stamped(entry)
        except RedisError as error:
            logger.warning("%s cache unavailable, computing %s: %s", self.name, entry, error)
            return compute()
        if value is None:
            with db.reads_on_primary():  # not a replica's past, nor a snapshot older than `stamp`
                value = compute()
            self.store_stamped(entry, stamp, value)
        return value

    def bump(self) -> None:
        """Make every entry of this cache stale (after the change that outdates them committed)."""
        try:
            redis_client().incr(self._generation_key())
        except RedisError as error:
            # The change is saved; failing its request now would only hide that. The TTL catches up.
            logger.warning("could not bump the %s cache's generation: %s", self.name, error)


# Article counts and anonymous list pages: every article, tag, favorite, follow or profile change.
content_cache = GenerationCache("content")
# GET /api/tags: every change to the tags of an article.
tags_cache = GenerationCache("tags")
# No entries, only its generation: every comment added or deleted (it stamps the ETags that
# conditional GETs remember for comment pages).
comments_cache = GenerationCache("comments")
