"""Read replicas: where SQLHelper sends a read, and which replicas answer.

With DATABASE_REPLICA_URLS set, `db.fetch_one` / `db.fetch_all` outside a transaction go to a
replica, chosen round robin per application context (which then keeps it: one connection per
pool per context, as for the primary). Everything else goes to the primary: writes,
`transaction()` blocks, every read of a context that has written already, and reads inside
`reads_on_primary()` (refills of caches that every caller shares: a lagging replica would
fill them with the past, for everyone, until the next invalidation).

Read-your-writes across requests: a request that wrote leaves a mark for its caller (the
session's user id) in Redis that lives REPLICA_STICKY_SECONDS; while it lives, that caller's
reads go to the primary, from every instance. The mark is read at most once per request, and
only when replicas are configured, the caller is logged in and the request reads. Anonymous
callers have nothing of theirs to read back: their writes (registration, login) leave them
logged in, and so marked.

A replica that fails is skipped by this process for REPLICA_RETRY_SECONDS (a circuit breaker;
afterwards the next read tries it again). The read that failed is retried on the next
replica, and with none answering, on the primary: reads never fail because of a replica.
"""

import itertools
import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask, current_app, g, has_request_context, session
from redis.exceptions import RedisError

from api.db_context import DatabaseContext, database_context
from api.fast_paths import unproxied
from api.redis_store import redis_client, redis_key

logger = logging.getLogger("conduit.db_routing")


class Replica:
    """One replica: its pool (a ProcessPool, built per process like the primary's) and its breaker."""

    def __init__(self, name: str, pool, retry_seconds: int):
        self.name = name
        self.pool = pool
        self._retry_seconds = retry_seconds
        self._skip_until = 0.0

    def answering(self) -> bool:
        """False within the retry interval after a failure."""
        return time.monotonic() >= self._skip_until

    def failed(self) -> None:
        self._skip_until = time.monotonic() + self._retry_seconds


class ReplicaSet:
    """The app's replicas, handed out round robin among those answering."""

    def __init__(self, replicas: list[Replica]):
        self.replicas = replicas
        self._turns = itertools.count()  # next() on it is atomic: threads take distinct turns

    def __bool__(self) -> bool:
        return bool(self.replicas)

    def next_answering(self, skip=()) -> Replica | None:
        start = next(self._turns)
        for offset in range(len(self.replicas)):
            replica = self.replicas[(start + offset) % len(self.replicas)]
            if replica.answering() and replica not in skip:
                return replica
        return None


def init_replica_routing(app: Flask, replicas: ReplicaSet) -> None:
    app.extensions["sql_replicas"] = replicas
    if replicas and app.config["REPLICA_STICKY_SECONDS"] > 0:
        # Teardown rather than after_request: a request that wrote and then failed marks too.
        app.teardown_request(_mark_caller_after_writes)


def replica_for_read() -> Replica | None:
    """The replica the current context reads from; None: read on the primary."""
    replicas = current_app.extensions["sql_replicas"]
    if not replicas:
        return None
    context = database_context()
    if context.wrote or context.primary_reads or _caller_wrote_lately(context):
        return None
    if context.replica is None or not context.replica.answering():
        # A replica that failed in this context is not tried again in it, even with no retry interval.
        context.replica = replicas.next_answering(skip=context.failed_replicas)
    return context.replica


def replica_failed(replica: Replica, error: Exception) -> None:
    """Skip `replica` for the retry interval; the caller drops this context's connection to it."""
    replica.failed()
    context = database_context()
    context.replica = None
    context.failed_replicas.add(replica)
    seconds = current_app.config["REPLICA_RETRY_SECONDS"]
    logger.warning("replica %s failed, skipped for %ss: %r", replica.name, seconds, error)


@contextmanager
def reads_on_primary() -> Iterator[None]:
    """Send the block's reads to the primary (blocks nest)."""
    context = database_context()
    context.primary_reads += 1
    try:
        yield
    finally:
        context.primary_reads -= 1


def note_write() -> None:
    """The current context wrote (or opened a transaction): its reads stay on the primary."""
    database_context().wrote = True


def _caller_wrote_lately(context: DatabaseContext) -> bool:
    if context.caller_wrote_lately is None:
        user_id = _caller_user_id()
        context.caller_wrote_lately = user_id is not None and _has_write_mark(user_id)
    return context.caller_wrote_lately


def _caller_user_id() -> int | None:
    if not has_request_context() or current_app.config["REPLICA_STICKY_SECONDS"] <= 0:
        return None
    return session.get("user_id")


def _write_mark_key(user_id: int) -> str:
    return redis_key("wrote-lately", user_id)


def _has_write_mark(user_id: int) -> bool:
    try:
        return bool(redis_client().exists(_write_mark_key(user_id)))
    except RedisError as error:
        logger.warning("cannot tell whether user %s wrote lately, reading the primary: %s", user_id, error)
        return True  # the primary is never behind


def _mark_caller_after_writes(_exception=None) -> None:
    context = unproxied(g).get("database")
    if context is None or not context.wrote:
        return
    user_id = session.get("user_id")
    if user_id is None:
        return
    try:
        redis_client().set(_write_mark_key(user_id), 1, ex=current_app.config["REPLICA_STICKY_SECONDS"])
    except RedisError as error:
        # The write is done; failing now would hide that. Their next reads may lag behind it.
        logger.warning("could not keep user %s's reads on the primary: %s", user_id, error)
