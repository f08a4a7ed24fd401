"""Admin commands under `flask --app wsgi ...`: one module per group (see the README's "Admin commands").

Bad input ends a command with click's one-line `Error: ...` and a non-zero exit status.
"""

from flask import Flask

from api.cli.db import db_cli
from api.cli.seed import seed_command
from api.cli.sessions import sessions_cli
from api.cli.users import users_cli


def register_commands(app: Flask) -> None:
    for command in (db_cli, seed_command, users_cli, sessions_cli):
        app.cli.add_command(command)
