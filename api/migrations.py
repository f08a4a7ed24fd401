"""Schema migrations: the SQL files in migrations/, applied by yoyo-migrations."""

import re
from pathlib import Path
from urllib.parse import quote

import pymysql
from yoyo import get_backend, read_migrations

from settings.pool import DatabaseAddress

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"
SAFE_DATABASE_NAME = re.compile(r"^[A-Za-z0-9_]{1,64}$")


def create_database_if_missing(config) -> None:
    """CREATE DATABASE IF NOT EXISTS for DATABASE_URL's database, utf8mb4."""
    address = DatabaseAddress.from_url(config["DATABASE_URL"])
    if not SAFE_DATABASE_NAME.match(address.database):  # identifiers cannot be parameters
        raise ValueError(f"unsupported database name {address.database!r}")
    connection = pymysql.connect(**address.connect_kwargs(config, with_database=False))
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                f"CREATE DATABASE IF NOT EXISTS `{address.database}`"
                " CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"
            )
    finally:
        connection.close()


def drop_database(config) -> None:
    """DROP DATABASE IF EXISTS (used by the test suite for its throwaway database)."""
    address = DatabaseAddress.from_url(config["DATABASE_URL"])
    if not SAFE_DATABASE_NAME.match(address.database):
        raise ValueError(f"unsupported database name {address.database!r}")
    connection = pymysql.connect(**address.connect_kwargs(config, with_database=False))
    try:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS `{address.database}`")
    finally:
        connection.close()


def _backend(config):
    address = DatabaseAddress.from_url(config["DATABASE_URL"])
    return get_backend(
        f"mysql://{quote(address.user, safe='')}:{quote(address.password, safe='')}"
        f"@{address.host}:{address.port}/{address.database}"
    )


def migration_status(config) -> tuple[list[str], list[str]]:
    """(applied, pending) migration ids."""
    backend = _backend(config)
    migrations = read_migrations(str(MIGRATIONS_DIR))
    pending = {migration.id for migration in backend.to_apply(migrations)}
    ids = [migration.id for migration in migrations]
    return [i for i in ids if i not in pending], [i for i in ids if i in pending]


def upgrade(config) -> list[str]:
    """Create the database if needed and apply pending migrations; returns the ids applied."""
    create_database_if_missing(config)
    backend = _backend(config)
    migrations = read_migrations(str(MIGRATIONS_DIR))
    with backend.lock():
        pending = backend.to_apply(migrations)
        backend.apply_migrations(pending)
    return [migration.id for migration in pending]
