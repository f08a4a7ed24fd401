"""`flask --app wsgi sessions list|revoke|purge-expired`: users' server-side sessions in Redis."""

from datetime import UTC, datetime

import click
from flask.cli import AppGroup

from api.cli.accounts import existing_user
from api.data import sessions as stored_sessions
from api.services.sessions import revoke_sessions_by_admin

sessions_cli = AppGroup("sessions", help="List and revoke users' sessions; trim expired index entries.")


@sessions_cli.command("list")
@click.argument("username")
def list_sessions(username: str) -> None:
    """List a user's live sessions, newest first (ID is the public id, never the token)."""
    user = existing_user(username)
    sessions = stored_sessions.list_sessions(user["id"])
    if not sessions:
        click.echo(f"{username} has no live sessions")
        return
    click.echo(f"{'ID':32}  {'CREATED':20}  {'LAST SEEN':20}  {'EXPIRES':20}  {'IP':15}  USER AGENT")
    for session in sessions:
        click.echo(
            f"{session['public_id']:32}  {_utc(session.get('created_at')):20}  {_utc(session.get('last_seen_at')):20}"
            f"  {_utc(session.get('expires_at')):20}  {session.get('ip') or '-':15}  {session.get('user_agent') or '-'}"
        )


@sessions_cli.command("revoke")
@click.argument("username")
@click.argument("session_id", metavar="[ID]", required=False)
@click.option("--all", "revoke_all", is_flag=True, help="Revoke every session of the user.")
def revoke_sessions(username: str, session_id: str | None, revoke_all: bool) -> None:
    """Revoke one session of a user (its ID from `sessions list`), or --all of them."""
    if (session_id is None) == (not revoke_all):
        raise click.UsageError("give either a session ID (see `sessions list`) or --all, not both")
    user = existing_user(username)
    if revoke_all:
        click.echo(f"{revoke_sessions_by_admin(user)} session(s) of {username} revoked")
        return
    if not revoke_sessions_by_admin(user, session_id):
        raise click.ClickException(f"{username} has no live session {session_id!r}")
    click.echo(f"session {session_id} of {username} revoked")


@sessions_cli.command("purge-expired")
def purge_expired() -> None:
    """Trim expired session ids from every user's session index (only keys under REDIS_KEY_PREFIX)."""
    indexes, removed = stored_sessions.purge_expired_session_ids()
    click.echo(f"removed {removed} expired session id(s) from {indexes} index(es)")


def _utc(timestamp: float | None) -> str:
    if timestamp is None:
        return "-"
    return datetime.fromtimestamp(timestamp, tz=UTC).strftime("%Y-%m-%d %H:%M:%SZ")
