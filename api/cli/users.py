"""`flask --app wsgi users create|disable`: accounts an admin creates or shuts."""

import click
from flask.cli import AppGroup
from marshmallow import ValidationError

from api.cli.accounts import existing_user
from api.data.users import DuplicateUserError
from api.services.accounts import create_account_by_admin, disable_account
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
        raise click.ClickException(_one_line(error.messages_dict)) from None
    try:
        user = create_account_by_admin(fields["email"], fields["username"], fields["password"])
    except DuplicateUserError as error:
        raise click.ClickException(f"{error.field} has already been taken") from None
    click.echo(f"created user {fields['username']} (id {user['id']})")


@users_cli.command("disable")
@click.argument("username")
def disable_user_command(username: str) -> None:
    """Disable a user: login is refused from now on, and every session of theirs ends at once."""
    newly_disabled, revoked = disable_account(existing_user(username))
    state = "disabled" if newly_disabled else "was already disabled"
    click.echo(f"{username} {state}; {revoked} session(s) revoked")


def _one_line(messages: dict) -> str:
    return "; ".join(f"{field}: {' '.join(map(str, problems))}" for field, problems in messages.items())
