"""What the user and session commands share: the named user, and ending sessions on the record."""

import click
from flask import current_app

from api import session_registry
from api.data.users import fetch_user_by_username
from api.signals import session_revoked


def existing_user(username: str) -> dict:
    """The user row named `username`, or the command stops with a one-line error."""
    user = fetch_user_by_username(username)
    if user is None:
        raise click.ClickException(f"no user named {username!r}")
    return user


def announce_revoked(user: dict, public_ids: list[str]) -> None:
    """Send session_revoked for the ended sessions, as the HTTP API does (activity log, metrics)."""
    # Sent outside any request: receivers get no ip or user agent from a command.
    if public_ids:
        session_revoked.send(current_app._get_current_object(), user=user, session_ids=public_ids, reason="admin")


def revoke_all_sessions(user: dict) -> int:
    """End every session of the user at once; returns how many there were."""
    public_ids = session_registry.revoke_sessions_except(user["id"], None)
    announce_revoked(user, public_ids)
    return len(public_ids)
