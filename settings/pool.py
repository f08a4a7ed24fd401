"""The one place that builds the DBUtils PooledDB of PyMySQL connections."""

from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

import pymysql
import pymysql.cursors
from dbutils.pooled_db import PooledDB

# What our statements need of every session, run after DB_POOL_SETSESSION so no setting undoes
# it: an article's tags come as one GROUP_CONCAT (api/data/articles.py), which MySQL (1,024
# bytes by default) and MariaDB cut at group_concat_max_len, leaving invalid JSON. 65,536 bytes
# hold 20 tags of 64 characters even if JSON escapes each character as 6 bytes.
REQUIRED_SESSION_SETTINGS = ["SET SESSION group_concat_max_len = 65536"]


@dataclass(frozen=True)
class DatabaseAddress:
    host: str
    port: int
    user: str
    password: str
    database: str

    @classmethod
    def from_url(cls, url: str) -> "DatabaseAddress":
        """Parse `mysql://user:password@host:port/database`."""
        parts = urlsplit(url)
        if parts.scheme not in ("mysql", "mariadb", "mysql+pymysql"):
            raise ValueError(f"DATABASE_URL must start with mysql://, got {parts.scheme!r}")
        database = parts.path.lstrip("/")
        if not database:
            raise ValueError("DATABASE_URL must name a database, e.g. mysql://root@127.0.0.1/conduit")
        return cls(
            host=parts.hostname or "127.0.0.1",
            port=parts.port or 3306,
            user=unquote(parts.username or "root"),
            password=unquote(parts.password or ""),
            database=database,
        )

    def connect_kwargs(self, config, *, with_database: bool = True) -> dict:
        """PyMySQL connect() arguments: utf8mb4, autocommit off, dict rows.

        Autocommit off: nothing is committed that SQLHelper did not commit on purpose (a write
        outside `db.transaction()`, or the transaction as a whole); reads do not commit."""
        kwargs = {
            "host": self.host,
            "port": self.port,
            "user": self.user,
            "password": self.password,
            "charset": "utf8mb4",
            "autocommit": False,
            "cursorclass": pymysql.cursors.DictCursor,
            "connect_timeout": config["DB_CONNECT_TIMEOUT"],
            "read_timeout": config["DB_READ_TIMEOUT"],
            "write_timeout": config["DB_READ_TIMEOUT"],
        }
        if with_database:
            kwargs["database"] = self.database
        return kwargs


def build_pool(config, url: str | None = None) -> PooledDB:
    """A PooledDB configured entirely from settings (see the DB_POOL_* settings), connected to
    DATABASE_URL or to `url` (a read replica's, from DATABASE_REPLICA_URLS)."""
    address = DatabaseAddress.from_url(url or config["DATABASE_URL"])
    max_connections = config["DB_POOL_MAX_CONNECTIONS"]
    min_cached, max_cached = config["DB_POOL_MIN_CACHED"], config["DB_POOL_MAX_CACHED"]
    if max_connections:
        # PooledDB silently raises maxconnections to maxcached (and maxcached to mincached): a
        # pool of 1 with the default cache of 8 would lend 8 connections. The configured limit
        # wins; the caches fit inside it.
        max_cached = min(max_cached, max_connections)
        min_cached = min(min_cached, max_cached or max_connections)
    return PooledDB(
        creator=pymysql,
        maxconnections=max_connections,
        mincached=min_cached,
        maxcached=max_cached,
        maxshared=config["DB_POOL_MAX_SHARED"],
        blocking=config["DB_POOL_BLOCKING"],
        maxusage=config["DB_POOL_MAX_USAGE"] or None,
        setsession=[*config["DB_POOL_SETSESSION"], *REQUIRED_SESSION_SETTINGS],
        ping=config["DB_POOL_PING"],
        # Always roll back on return: a connection never carries an open snapshot (or anything
        # else a request left open) to its next user. With reads not committing, this is the
        # one ROLLBACK a request pays.
        reset=True,
        **address.connect_kwargs(config),
    )
