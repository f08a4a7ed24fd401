"""`flask seed` and the bulk seeding module it shares with the benchmark."""

import math
import re

import pytest

from api import seeding
from api.db import db
from tests.support.factories import login


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def _seeded_run(output: str) -> str:
    """The run token in `log in as demo-<run>-1@example.com ...`."""
    found = re.search(r"log in as demo-([0-9a-f]+)-1@example\.com with password (\S+)", output)
    assert found is not None, output
    return found.group(1)


def test_seed_writes_consistent_demo_data_in_batches(runner, app, client, monkeypatch):
    monkeypatch.setattr(seeding, "BATCH_SIZE", 7)  # several batches of users and articles
    result = runner.invoke(args=["seed", "--users", "9", "--articles", "30"])
    assert result.exit_code == 0, result.output
    run = _seeded_run(result.output)
    assert login(client, f"demo-{run}-1@example.com", seeding.DEMO_PASSWORD).status_code == 200
    with app.app_context():
        authors = f"demo-{run}-%"
        articles = db.fetch_all(
            "SELECT a.id, a.slug, a.favorites_count,"
            " (SELECT COUNT(*) FROM favorites f WHERE f.article_id = a.id) AS favorites"
            " FROM articles a JOIN users u ON u.id = a.author_id WHERE u.username LIKE %s", (authors,))
        follows = db.fetch_one(
            "SELECT COUNT(*) AS n FROM follows f JOIN users u ON u.id = f.follower_id"
            " WHERE u.username LIKE %s AND f.follower_id <> f.followee_id", (authors,))["n"]
        tagged = db.fetch_one(
            "SELECT COUNT(*) AS n FROM article_tags t JOIN articles a ON a.id = t.article_id"
            " JOIN users u ON u.id = a.author_id WHERE u.username LIKE %s", (authors,))["n"]
    assert len(articles) == 30 and len({article["slug"] for article in articles}) == 30
    assert all(article["favorites_count"] == article["favorites"] for article in articles)
    assert sum(article["favorites"] for article in articles) > 0
    assert follows == 9 * seeding.FOLLOWS_PER_USER
    assert tagged > 0
    assert f"seeded 9 users, {follows} follows, 30 articles" in result.output


@pytest.mark.parametrize("articles", [20, 40])
def test_seeding_statements_grow_with_batches_not_rows(app, monkeypatch, articles):
    monkeypatch.setattr(seeding, "BATCH_SIZE", 10)
    with app.app_context():
        db.context().query_count = 0
        seeding.seed_demo_data(3, articles)
        # users, their lookup, follows, tags and their lookup; then at most five per batch
        assert db.context().query_count <= 5 + 5 * math.ceil(articles / 10)


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--users", "-1"], "Error: Invalid value for '--users'"),
        (["--articles", "many"], "Error: Invalid value for '--articles'"),
        (["--users", "0", "--articles", "3"], "Error: articles need authors"),
    ],
)
def test_seed_refuses_bad_numbers(runner, arguments, message):
    result = runner.invoke(args=["seed", *arguments])
    assert result.exit_code == 2
    assert message in result.output
