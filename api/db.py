"""SQLHelper: raw, parameterised SQL over the DBUtils pool.

As in Flask's tutorial app, one pooled connection is borrowed lazily per application context
(that is, per request or CLI command), kept on `g`, and always handed back to the pool by a
teardown function, whatever happened in between. Connections run with autocommit off.
Outside `transaction()` a write (`execute`, `execute_many`) commits at once, and a read does
not commit at all: whatever a request leaves open (its reads' snapshot) is rolled back by the
pool when the connection goes home, so a request pays one ROLLBACK, not a COMMIT per statement.
Inside `transaction()` statements share one connection and commit or roll back as a unit.

With read replicas configured, reads may go to a replica's pool instead (api/db_routing.py
decides which); a context then holds at most one connection per pool it used.

What a context holds (its connections, transaction depth, routing and statement counts) is one
DatabaseContext on `g` (api/db_context.py).
"""

import contextlib
import os
import random
import threading
import time
import weakref
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import wraps
from typing import Any, ClassVar, TypeVar

import pymysql
from dbutils.pooled_db import PooledDB
from flask import Flask, current_app, g

from api.compat import pool_counters
from api.db_context import DatabaseContext, database_context
from api.db_routing import (
    Replica,
    ReplicaSet,
    init_replica_routing,
    note_write,
    reads_on_primary,
    replica_failed,
    replica_for_read,
)
from api.errors import DEPENDENCY_ERRORS, is_write_conflict
from api.fast_paths import unproxied
from api.signals import announce, write_conflicted
from settings.pool import build_pool

Args = Sequence[Any] | dict[str, Any] | None
Result = TypeVar("Result")

# Runs in all of a write refused for a lock conflict, each after a short random pause.
WRITE_CONFLICT_ATTEMPTS = 3
WRITE_CONFLICT_PAUSE_SECONDS = (0.01, 0.05)


@dataclass(frozen=True)
class ExecuteResult:
    rowcount: int
    lastrowid: int | None

    @property
    def inserted_id(self) -> int:
        """The AUTO_INCREMENT id of the row an INSERT just wrote (never None after one)."""
        if self.lastrowid is None:
            raise RuntimeError("the statement inserted no row: it has no id to return")
        return self.lastrowid


def known(value: Result | None, reason: str) -> Result:
    """`value`, which the caller knows cannot be None (`reason` says why); RuntimeError if it is."""
    if value is None:
        raise RuntimeError(f"unexpected None: {reason}")
    return value


class ProcessPool:
    """The app's PooledDB, built on first use in each process: a forked child (a gunicorn
    worker) forgets its parent's pool and builds its own rather than sharing its sockets."""

    _instances: ClassVar["weakref.WeakSet[ProcessPool]"] = weakref.WeakSet()

    def __init__(self, config, url: str | None = None):
        self._config = config
        self._url = url  # a replica's; None: DATABASE_URL
        self._pool = None
        self._lock = threading.Lock()
        ProcessPool._instances.add(self)

    def get(self):
        pool = self._pool
        if pool is None:
            with self._lock:
                if self._pool is None:
                    self._pool = build_pool(self._config, self._url)
                pool = self._pool
        return pool

    def _forget_after_fork(self) -> None:
        if self._pool is not None:
            # Kept, never closed: closing would say goodbye to MySQL on the parent's sockets.
            _parents_pools.append(self._pool)
        self._pool = None
        self._lock = threading.Lock()

    def status(self) -> dict:
        """Connections lent out and idle in this process's pool (zeros before first use)."""
        status = {"inUse": 0, "idle": 0, "max": self._config["DB_POOL_MAX_CONNECTIONS"]}
        if self._pool is not None:
            counters = pool_counters(self._pool)
            status.update(inUse=counters.in_use, idle=counters.idle)
        return status

    def close(self) -> None:
        """Close every idle connection (tests, shutdown)."""
        with self._lock:
            if self._pool is not None:
                self._pool.close()
            self._pool = None


_parents_pools: list[PooledDB] = []


def _forget_pools_after_fork() -> None:
    # A fork hook rather than comparing os.getpid() on every statement (a system call each).
    for process_pool in list(ProcessPool._instances):
        process_pool._forget_after_fork()


os.register_at_fork(after_in_child=_forget_pools_after_fork)


class SQLHelper:
    """Stateless facade: the pool lives in the app (`app.extensions["sql_pool"]`)."""

    def init_app(self, app: Flask) -> None:
        app.extensions["sql_pool"] = ProcessPool(app.config)
        replicas = [
            Replica(f"replica{number}", ProcessPool(app.config, url), app.config["REPLICA_RETRY_SECONDS"])
            for number, url in enumerate(app.config["DATABASE_REPLICA_URLS"], start=1)
        ]
        init_replica_routing(app, ReplicaSet(replicas))
        app.teardown_appcontext(self._release_connection)

    @property
    def pool(self):
        """The current app's PooledDB."""
        return unproxied(current_app).extensions["sql_pool"].get()

    def pool_status(self) -> dict:
        return current_app.extensions["sql_pool"].status()

    @staticmethod
    def context() -> DatabaseContext:
        """What the current application context holds of the database (and the statements it ran)."""
        return database_context()

    # --- the connections of the current application context: the primary's, and a replica's

    def _connection(self, replica: Replica | None = None):
        context = database_context()
        if replica is None:
            if context.connection is None:
                context.connection = self.pool.connection()
            return context.connection
        if context.replica_connection is None:
            context.replica_connection = replica.pool.get().connection()
        return context.replica_connection

    @staticmethod
    def _release_connection(_exception=None) -> None:
        # The figures stay readable after the request (tests, probes); the connections go home.
        context = unproxied(g).get("database")
        if context is not None:
            _return_to_pool(context.connection)
            _return_to_pool(context.replica_connection)
            context.connection = context.replica_connection = None
            context.transaction_depth = 0

    @staticmethod
    def _in_transaction() -> bool:
        return database_context().in_transaction

    @contextmanager
    def _cursor(self, replica: Replica | None = None) -> Iterator[Any]:
        cursor = self._connection(replica).cursor()
        try:
            yield cursor
        finally:
            cursor.close()

    @contextmanager
    def _write(self) -> Iterator[Any]:
        """A cursor on the primary whose statement commits at once outside transaction(), or
        rolls back on failure (no BEGIN needed: autocommit is off, the statement opens one)."""
        note_write()
        connection, own_commit = self._connection(), not self._in_transaction()
        with self._cursor() as cursor:
            try:
                yield cursor
                if own_commit:
                    connection.commit()
            except BaseException:
                if own_commit:
                    _rollback_quietly(connection)
                raise

    @staticmethod
    def _count_statement(pool_name: str = "primary") -> None:
        database_context().count_statement(pool_name)

    def _read(self, sql: str, args: Args, fetch):
        """Run a query on a replica where routing allows (the next one if it fails), else on the primary."""
        replica = None if self._in_transaction() else replica_for_read()
        while replica is not None:
            try:
                return self._run(sql, args, fetch, replica)
            except DEPENDENCY_ERRORS as error:
                context = database_context()
                _return_to_pool(context.replica_connection)
                context.replica_connection = None
                replica_failed(replica, error)
                replica = replica_for_read()
        return self._run(sql, args, fetch)

    def _run(self, sql: str, args: Args, fetch, replica: Replica | None = None):
        """One statement on the primary (or `replica`); `fetch` takes its result off the cursor."""
        with self._cursor(replica) as cursor:
            self._count_statement(replica.name if replica else "primary")
            cursor.execute(sql, args)
            return fetch(cursor)

    # --- the interface

    def fetch_one(self, sql: str, args: Args = None) -> dict | None:
        """The first row of a query, or None."""
        return self._read(sql, args, lambda cursor: cursor.fetchone())

    def fetch_present(self, sql: str, args: Args = None) -> dict:
        """The first row of a query that always returns one (COUNT(*), a row this transaction
        just wrote); RuntimeError if it returns none."""
        return known(self.fetch_one(sql, args), f"the query returned no row: {sql}")

    def fetch_all(self, sql: str, args: Args = None) -> list[dict]:
        """Every row of a query."""
        return self._read(sql, args, lambda cursor: list(cursor.fetchall()))

    def execute(self, sql: str, args: Args = None) -> ExecuteResult:
        """Run one write statement; commits at once unless inside transaction()."""
        with self._write() as cursor:
            self._count_statement()
            cursor.execute(sql, args)
            return ExecuteResult(cursor.rowcount, cursor.lastrowid)

    def execute_many(self, sql: str, rows: Sequence[Args]) -> ExecuteResult:
        """Run one write statement for many rows (PyMySQL batches INSERT ... VALUES into one)."""
        if not rows:  # PyMySQL runs nothing and leaves the cursor without lastrowid
            return ExecuteResult(0, None)
        # PyMySQL may cut the rows into several INSERTs: all of them or none (one transaction).
        with self._write() as cursor:
            self._count_statement()
            cursor.executemany(sql, rows)
            return ExecuteResult(cursor.rowcount, cursor.lastrowid)

    @contextmanager
    def reads_on_primary(self) -> Iterator[None]:
        """Send the reads of the `with` block to the primary even when replicas are configured,
        from a fresh snapshot: for refilling a cache that every caller shares, which must not be
        filled from a lagging replica, nor from a snapshot this context opened before it read
        the cache's version (reads do not commit, so the snapshot would otherwise live on)."""
        context = database_context()
        if context.connection is not None and not context.in_transaction:
            context.connection.rollback()  # outside transaction() every write is committed: this only ends the snapshot
        with reads_on_primary():
            yield

    def run_in_transaction(self, unit_of_work: Callable[..., Result], *args, **kwargs) -> Result:
        """`unit_of_work(*args, **kwargs)` inside transaction(), run again from the start when
        MySQL refuses it for a lock conflict (see retry_on_conflict)."""

        def transaction_block():
            with self.transaction():
                return unit_of_work(*args, **kwargs)

        return retry_on_conflict(transaction_block)()

    @contextmanager
    def transaction(self) -> Iterator["SQLHelper"]:
        """Run the statements of the block on one connection, committed or rolled back as a unit.

        Nested blocks join the outer transaction.
        """
        context = database_context()
        depth = context.transaction_depth
        note_write()
        connection = self._connection()
        if depth == 0:
            connection.begin()
        context.transaction_depth = depth + 1
        try:
            yield self
        except BaseException:
            context.transaction_depth = depth
            if depth == 0:
                _rollback_quietly(connection)
            raise
        context.transaction_depth = depth
        if depth == 0:
            try:
                connection.commit()
            except BaseException:
                _rollback_quietly(connection)
                raise


def retry_on_conflict(write: Callable[..., Result]) -> Callable[..., Result]:
    """Decorate a write use case that opens its own transaction (or runs one statement that
    commits alone): when MySQL refuses it for a deadlock or a lock wait timeout, it was rolled
    back whole, so it is run again from the start, up to WRITE_CONFLICT_ATTEMPTS in all, after
    a short random pause. The last refusal propagates (503, "retry it": api.errors).

    Called inside a transaction() it runs once: only the code that opened the outermost
    transaction can run it again, and InnoDB has rolled all of it back. `write` must have no
    effect outside MySQL before its last statement, or it would happen twice.
    """

    @wraps(write)
    def retrying(*args, **kwargs):
        if db._in_transaction():
            return write(*args, **kwargs)
        for attempt in range(1, WRITE_CONFLICT_ATTEMPTS):
            try:
                return write(*args, **kwargs)
            except pymysql.err.OperationalError as error:
                if not is_write_conflict(error):
                    raise
                announce(write_conflicted, outcome="retried", error=error)
            time.sleep(random.uniform(*WRITE_CONFLICT_PAUSE_SECONDS) * attempt)
        return write(*args, **kwargs)  # the last attempt: a conflict now is the answer

    return retrying


def _return_to_pool(connection) -> None:
    if connection is None:
        return
    try:
        connection.close()  # back to the pool, which rolls back anything left open (reset=True)
    except Exception:  # a connection that died mid-request is simply dropped
        current_app.logger.warning("could not return a database connection", exc_info=True)


def _rollback_quietly(connection) -> None:
    with contextlib.suppress(Exception):  # the connection is broken; the pool will replace it
        connection.rollback()


db = SQLHelper()
