"""`flask --app wsgi users create|disable`: accounts an admin creates or shuts."""

import click
from flask import current_app
from flask.cli import AppGroup
from marshmallow import ValidationError

from api.cli.accounts import existing_user, revoke_all_sessions
from api.data.users import DuplicateUserError, disable_user, fetch_user_by_id, insert_user
from api.passwords import hash_password
from api.signals import user_registered
from schemas.users import NewUserSchema

users_cli = AppGroup("users", help="Create and disable user accounts.")


@users_cli.command("create")
@click.argument("username")
@click.argument("email")
@click.password_option(help="The new user's password (prompted for, hidden, when not given).")
def create_user(username: str, email: str, password: str) -> None:
    """Create a user who can log in at once (same rules as registration)."""
    try:
        fields = NewUserSchema().load({"username": username, "email": email, "password": password})
    except ValidationError as error:
        raise click.ClickException(_one_line(error.messages)) from None
    try:
        user_id = insert_user(fields["email"], fields["username"], hash_password(fields["password"]))
    except DuplicateUserError as error:
        raise click.ClickException(f"{error.field} has already been taken") from None
    user_registered.send(current_app._get_current_object(), user=fetch_user_by_id(user_id))
    click.echo(f"created user {fields['username']} (id {user_id})")


@users_cli.command("disable")
@click.argument("username")
def disable_user_command(username: str) -> None:
    """Disable a user: login is refused from now on, and every session of theirs ends at once."""
    user = existing_user(username)
    # Disabled first, so that no login can slip in between the revocation and the flag.
    newly_disabled = disable_user(user["id"])
    revoked = revoke_all_sessions(user)
    state = "disabled" if newly_disabled else "was already disabled"
    click.echo(f"{username} {state}; {revoked} session(s) revoked")


def _one_line(messages: dict) -> str:
    return "; ".join(f"{field}: {' '.join(map(str, problems))}" for field, problems in messages.items())
