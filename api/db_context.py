"""What one application context (a request, a command) holds of the database, in one object on
`g`: its connections, its transaction depth, how it routes its reads, and the statements it ran.

api/db.py (SQLHelper) and api/db_routing.py (read replicas) share it; everything else asks
`db.context()` for the figures (the access log, metrics and tests read `query_count`).
"""

from dataclasses import dataclass, field
from typing import Any

from flask import g

from api.fast_paths import unproxied


@dataclass
class DatabaseContext:
    connection: Any = None  # the primary's pooled connection, borrowed on first use
    replica_connection: Any = None  # the connection to `replica`, borrowed on first use
    replica: Any = None  # the replica this context reads from (kept for the context)
    failed_replicas: set = field(default_factory=set)  # not asked again in this context
    transaction_depth: int = 0  # nested transaction() blocks
    wrote: bool = False  # wrote or opened a transaction: its reads stay on the primary
    primary_reads: int = 0  # nested reads_on_primary() blocks
    caller_wrote_lately: bool | None = None  # the caller's read-your-writes mark, read once
    query_count: int = 0  # statements run, on every pool
    queries_by_pool: dict[str, int] = field(default_factory=dict)  # {"primary": 2, "replica1": 1}

    @property
    def in_transaction(self) -> bool:
        return self.transaction_depth > 0

    def count_statement(self, pool_name: str) -> None:
        self.query_count += 1
        self.queries_by_pool[pool_name] = self.queries_by_pool.get(pool_name, 0) + 1


def database_context() -> DatabaseContext:
    """The current application context's DatabaseContext (made on first use)."""
    request_globals = unproxied(g)
    context = request_globals.get("database")
    if context is None:
        context = request_globals.database = DatabaseContext()
    return context
