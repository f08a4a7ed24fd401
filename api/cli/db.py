"""`flask --app wsgi db upgrade|status`: the schema, through yoyo migrations."""

import click
from flask import current_app
from flask.cli import AppGroup

from api import migrations

db_cli = AppGroup("db", help="Database schema: create the database and apply migrations.")


@db_cli.command("upgrade")
def db_upgrade() -> None:
    """Create the database if missing and apply pending migrations (safe to run again)."""
    applied = migrations.upgrade(current_app.config)
    click.echo(f"applied {len(applied)} migration(s)" + (f": {', '.join(applied)}" if applied else ""))


@db_cli.command("status")
def db_status() -> None:
    """List applied and pending migrations."""
    applied, pending = migrations.migration_status(current_app.config)
    for migration_id in applied:
        click.echo(f"applied  {migration_id}")
    for migration_id in pending:
        click.echo(f"pending  {migration_id}")
