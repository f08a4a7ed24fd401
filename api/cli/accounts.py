"""What the user and session commands share: the named user."""

import click

from api.data.users import fetch_user_by_username


def existing_user(username: str) -> dict:
    """The user row named `username`, or the command stops with a one-line error."""
    user = fetch_user_by_username(username)
    if user is None:
        raise click.ClickException(f"no user named {username!r}")
    return user
