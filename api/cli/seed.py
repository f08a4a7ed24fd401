"""`flask --app wsgi seed --users N --articles N`: demo data in bulk, with a progress bar."""

import click
from flask.cli import with_appcontext
from tqdm import tqdm

from api.seeding import DEMO_PASSWORD, SeedingError, seed_demo_data


@click.command("seed")
@click.option("--users", type=click.IntRange(min=0), default=10, show_default=True, help="Users to create.")
@click.option("--articles", type=click.IntRange(min=0), default=50, show_default=True,
              help="Articles to create (with tags, favorites and comments), by those users.")
@with_appcontext
def seed_command(users: int, articles: int) -> None:
    """Insert demo users who follow each other, and articles with tags, favorites and comments."""
    try:
        with tqdm(total=users + articles, unit="row", desc="seeding") as progress:
            report = seed_demo_data(users, articles, on_progress=progress.update)
    except SeedingError as error:
        raise click.UsageError(str(error)) from None
    click.echo(
        f"seeded {report.users} users, {report.follows} follows, {report.articles} articles,"
        f" {report.tags} tags, {report.favorites} favorites, {report.comments} comments"
    )
    if report.first_email:
        click.echo(f"log in as {report.first_email} with password {DEMO_PASSWORD}")
