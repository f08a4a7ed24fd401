"""SQLHelper: raw, parameterised SQL over the DBUtils pool.

As in Flask's tutorial app, one pooled connection is borrowed lazily per application context
(that is, per request or CLI command), kept on `g`, and always handed back to the pool by a
teardown function, whatever happened in between. Statements outside `transaction()` commit
at once (the connections are in autocommit mode, so that costs no extra round trip); inside it
they share one connection and commit or roll back as a unit.
"""

import os
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Iterator, Sequence

from flask import Flask, current_app, g

from settings.pool import build_pool

Args = Sequence[Any] | dict[str, Any] | None


@dataclass(frozen=True)
class ExecuteResult:
    rowcount: int
    lastrowid: int | None


class ProcessPool:
    """The app's PooledDB, built on first use in each process (gunicorn workers build their own
    after the fork rather than sharing the master's sockets)."""

    def __init__(self, config):
        self._config = config
        self._pool = None
        self._pid = None
        self._lock = threading.Lock()

    def get(self):
        if self._pool is None or self._pid != os.getpid():
            with self._lock:
                if self._pool is None or self._pid != os.getpid():
                    self._pool = build_pool(self._config)
                    self._pid = os.getpid()
        return self._pool

    def status(self) -> dict:
        """Connections lent out and idle in this process's pool (zeros before first use)."""
        status = {"inUse": 0, "idle": 0, "max": self._config["DB_POOL_MAX_CONNECTIONS"]}
        if self._pool is not None and self._pid == os.getpid():
            # DBUtils exposes no public counters; these two attributes are its own bookkeeping.
            status.update(inUse=self._pool._connections, idle=len(self._pool._idle_cache))
        return status

    def close(self) -> None:
        """Close every idle connection (tests, shutdown)."""
        with self._lock:
            if self._pool is not None:
                self._pool.close()
            self._pool = None


class SQLHelper:
    """Stateless facade: the pool lives in the app (`app.extensions["sql_pool"]`)."""

    def init_app(self, app: Flask) -> None:
        app.extensions["sql_pool"] = ProcessPool(app.config)
        app.teardown_appcontext(self._release_connection)

    @property
    def pool(self):
        """The current app's PooledDB."""
        return current_app.extensions["sql_pool"].get()

    def pool_status(self) -> dict:
        return current_app.extensions["sql_pool"].status()

    # --- the connection of the current application context

    def _connection(self):
        connection = g.get("_db_connection")
        if connection is None:
            connection = self.pool.connection()
            g._db_connection = connection
        return connection

    @staticmethod
    def _release_connection(_exception=None) -> None:
        connection = g.pop("_db_connection", None)
        g.pop("_db_transaction_depth", None)
        if connection is not None:
            try:
                connection.close()  # back to the pool, which rolls back anything left open
            except Exception:  # a connection that died mid-request is simply dropped
                current_app.logger.warning("could not return a database connection", exc_info=True)

    @contextmanager
    def _cursor(self) -> Iterator[Any]:
        cursor = self._connection().cursor()
        try:
            yield cursor
        finally:
            cursor.close()

    @staticmethod
    def _count_statement() -> None:
        g.query_count = g.get("query_count", 0) + 1

    # --- the interface

    def fetch_one(self, sql: str, args: Args = None) -> dict | None:
        """The first row of a query, or None."""
        with self._cursor() as cursor:
            self._count_statement()
            cursor.execute(sql, args)
            return cursor.fetchone()

    def fetch_all(self, sql: str, args: Args = None) -> list[dict]:
        """Every row of a query."""
        with self._cursor() as cursor:
            self._count_statement()
            cursor.execute(sql, args)
            return list(cursor.fetchall())

    def execute(self, sql: str, args: Args = None) -> ExecuteResult:
        """Run one write statement; commits at once unless inside transaction()."""
        with self._cursor() as cursor:
            self._count_statement()
            cursor.execute(sql, args)
            return ExecuteResult(cursor.rowcount, cursor.lastrowid)

    def execute_many(self, sql: str, rows: Sequence[Args]) -> ExecuteResult:
        """Run one write statement for many rows (PyMySQL batches INSERT ... VALUES into one)."""
        if not rows:  # PyMySQL runs nothing and leaves the cursor without lastrowid
            return ExecuteResult(0, None)
        # PyMySQL may cut the rows into several INSERTs: all of them or none.
        with self.transaction(), self._cursor() as cursor:
            self._count_statement()
            cursor.executemany(sql, rows)
            return ExecuteResult(cursor.rowcount, cursor.lastrowid)

    @contextmanager
    def transaction(self) -> Iterator["SQLHelper"]:
        """Run the statements of the block on one connection, committed or rolled back as a unit.

        Nested blocks join the outer transaction.
        """
        depth = g.get("_db_transaction_depth", 0)
        connection = self._connection()
        if depth == 0:
            connection.begin()
        g._db_transaction_depth = depth + 1
        try:
            yield self
        except BaseException:
            g._db_transaction_depth = depth
            if depth == 0:
                _rollback_quietly(connection)
            raise
        g._db_transaction_depth = depth
        if depth == 0:
            try:
                connection.commit()
            except BaseException:
                _rollback_quietly(connection)
                raise


def _rollback_quietly(connection) -> None:
    try:
        connection.rollback()
    except Exception:  # the connection is broken; the pool will replace it
        pass


db = SQLHelper()
