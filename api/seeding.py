"""Demo data in bulk, written straight through SQLHelper: `flask seed` and the benchmark share it.

Rows go in as multi-row INSERTs (execute_many), a batch at a time, so 100,000 articles cost
a few hundred statements rather than hundreds of thousands. The users and their follows are
one transaction; so is each batch of articles with its tags, favorites and comments (its
favorites_count exact), so an interrupted run leaves whole batches only. Every name carries
a token of its own run, so seeding twice never collides with earlier rows (or real ones).
Call inside an app context.
"""

import random
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Callable

from slugify import slugify

from api.db import db
from api.passwords import hash_password

DEMO_PASSWORD = "conduit-demo-password"
BATCH_SIZE = 1000
FOLLOWS_PER_USER = 5
MAX_FAVORITES_PER_ARTICLE = 5
MAX_COMMENTS_PER_ARTICLE = 3
MAX_TAGS_PER_ARTICLE = 3
TAG_NAMES = ("python", "flask", "mysql", "redis", "sessions", "testing", "devops", "api", "security",
             "performance", "design", "databases", "caching", "observability", "howto", "news")
WORDS = ("agile", "bright", "calm", "deep", "eager", "fast", "gentle", "honest", "keen", "lively", "modern",
         "neat", "open", "plain", "quick", "robust", "simple", "steady", "tidy", "vivid", "api", "cache",
         "cluster", "commit", "deploy", "feature", "index", "latency", "module", "pattern", "pipeline",
         "query", "release", "schema", "server", "session", "signal", "table", "thread", "worker")


class SeedingError(ValueError):
    """The numbers asked for cannot be seeded (e.g. articles without users)."""


def demo_username(run: str, number: int | str) -> str:
    """The name of seeded user `number` (from 1) of a run; their email is `<name>@example.com`."""
    return f"demo-{run}-{number}"


@dataclass
class SeedReport:
    run: str
    users: int = 0
    articles: int = 0
    tags: int = 0
    follows: int = 0
    favorites: int = 0
    comments: int = 0

    @property
    def first_email(self) -> str | None:
        return f"{demo_username(self.run, 1)}@example.com" if self.users else None


def seed_demo_data(users: int, articles: int, *, rng: random.Random | None = None,
                   on_progress: Callable[[int], object] = lambda rows: None) -> SeedReport:
    """Insert `users` users (password DEMO_PASSWORD) who follow each other, and `articles` articles
    with tags, favorites and comments by them; `on_progress(n)` after each batch of users or articles."""
    if articles and not users:
        raise SeedingError("articles need authors: seed at least one user")
    rng = rng or random.Random()
    run = uuid.uuid4().hex[:8]
    report = SeedReport(run)
    with db.transaction():
        user_ids = _insert_users(users, run, on_progress)
        report.follows = _insert_follows(user_ids, rng)
    report.users = len(user_ids)
    tag_ids = _ensure_tags() if articles else []
    report.tags = len(tag_ids)
    started = _utc_now() - timedelta(seconds=articles)
    for first in range(0, articles, BATCH_SIZE):
        numbers = range(first + 1, min(first + BATCH_SIZE, articles) + 1)
        with db.transaction():
            favorites, comments = _insert_article_batch(numbers, run, started, user_ids, tag_ids, rng)
        report.articles += len(numbers)
        report.favorites += favorites
        report.comments += comments
        on_progress(len(numbers))
    return report


def _utc_now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)  # DATETIME(3) columns hold naive UTC


def _insert_users(count: int, run: str, on_progress) -> list[int]:
    password_hash = hash_password(DEMO_PASSWORD)  # argon2 is slow on purpose: hash once, share it
    now = _utc_now()
    for first in range(0, count, BATCH_SIZE):
        names = [demo_username(run, n) for n in range(first + 1, min(first + BATCH_SIZE, count) + 1)]
        rows = [(f"{name}@example.com", name, password_hash, "A demo user.", now, now) for name in names]
        db.execute_many(
            "INSERT INTO users (email, username, password_hash, bio, created_at, updated_at)"
            " VALUES (%s, %s, %s, %s, %s, %s)",
            rows,
        )
        on_progress(len(rows))
    if not count:
        return []
    # The unique username index serves the prefix match.
    found = db.fetch_all("SELECT id FROM users WHERE username LIKE %s ORDER BY id", (demo_username(run, "%"),))
    return [row["id"] for row in found]


def _insert_follows(user_ids: list[int], rng: random.Random) -> int:
    follows_each = min(FOLLOWS_PER_USER, len(user_ids) - 1)
    now = _utc_now()
    rows = []
    for follower in user_ids:
        picks = rng.sample(user_ids, follows_each + 1)  # one spare, in case it holds the follower
        followees = [pick for pick in picks if pick != follower][:follows_each]
        rows.extend((follower, followee, now) for followee in followees)
    db.execute_many("INSERT INTO follows (follower_id, followee_id, created_at) VALUES (%s, %s, %s)", rows)
    return len(rows)


def _ensure_tags() -> list[int]:
    db.execute_many("INSERT IGNORE INTO tags (name) VALUES (%s)", [(name,) for name in TAG_NAMES])
    placeholders = ", ".join(["%s"] * len(TAG_NAMES))
    return [row["id"] for row in db.fetch_all(f"SELECT id FROM tags WHERE name IN ({placeholders})", TAG_NAMES)]


def _insert_article_batch(numbers: range, run: str, started: datetime, user_ids: list[int],
                          tag_ids: list[int], rng: random.Random) -> tuple[int, int]:
    """One batch of articles with their tags, favorites and comments; returns (favorites, comments)."""
    articles, favoriters = [], {}
    for n in numbers:
        title = " ".join(rng.choices(WORDS, k=rng.randint(3, 6))).capitalize()
        slug = f"{slugify(title)}-{run}-{n}"  # the run and number make it unique
        created = started + timedelta(seconds=n)  # ids and timestamps rise together
        favoriters[slug] = rng.sample(user_ids, rng.randint(0, min(MAX_FAVORITES_PER_ARTICLE, len(user_ids))))
        articles.append((slug, title, _sentence(rng, 12), _paragraphs(rng), rng.choice(user_ids),
                         len(favoriters[slug]), created, created))
    db.execute_many(
        "INSERT INTO articles (slug, title, description, body, author_id, favorites_count, created_at, updated_at)"
        " VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
        articles,
    )
    placeholders = ", ".join(["%s"] * len(articles))
    slugs = [article[0] for article in articles]
    ids = {row["slug"]: row["id"] for row in
           db.fetch_all(f"SELECT id, slug FROM articles WHERE slug IN ({placeholders})", slugs)}
    now = _utc_now()
    article_tags, favorites, comments = [], [], []
    for slug, article_id in ids.items():
        picked = rng.sample(tag_ids, rng.randint(0, min(MAX_TAGS_PER_ARTICLE, len(tag_ids))))
        article_tags.extend((tag_id, article_id) for tag_id in picked)
        favorites.extend((user_id, article_id, now) for user_id in favoriters[slug])
        comments.extend((article_id, rng.choice(user_ids), _sentence(rng, 15), now, now)
                        for _ in range(rng.randint(0, MAX_COMMENTS_PER_ARTICLE)))
    # One execute_many per table: PyMySQL cuts it into INSERTs of at most ~1 MB itself.
    db.execute_many("INSERT INTO article_tags (tag_id, article_id) VALUES (%s, %s)", article_tags)
    db.execute_many("INSERT INTO favorites (user_id, article_id, created_at) VALUES (%s, %s, %s)", favorites)
    db.execute_many(
        "INSERT INTO comments (article_id, author_id, body, created_at, updated_at) VALUES (%s, %s, %s, %s, %s)",
        comments,
    )
    return len(favorites), len(comments)


def _sentence(rng: random.Random, words: int) -> str:
    return " ".join(rng.choices(WORDS, k=words)).capitalize() + "."


def _paragraphs(rng: random.Random) -> str:
    return "\n\n".join(" ".join(_sentence(rng, 10) for _ in range(4)) for _ in range(rng.randint(1, 3)))
