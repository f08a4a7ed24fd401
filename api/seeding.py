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
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from slugify import slugify

from api.cache import comments_cache, content_cache, tags_cache
from api.db import db
from api.passwords import hash_password
from api.seed_content import DEMO_SHAPE, SeedShape, plan_article, plan_follows

DEMO_PASSWORD = "conduit-demo-password"
BATCH_SIZE = 1000
FOLLOWS_PER_USER = DEMO_SHAPE.follows_per_user


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


def seed_demo_data(users: int, articles: int, *, shape: SeedShape = DEMO_SHAPE, rng: random.Random | None = None,
                   on_progress: Callable[[int], object] = lambda rows: None) -> SeedReport:
    """Insert `users` users (password DEMO_PASSWORD) who follow each other, and `articles` articles
    with tags, favorites and comments by them; `on_progress(n)` after each batch of users or articles."""
    if articles and not users:
        raise SeedingError("articles need authors: seed at least one user")
    rng = rng or random.Random()
    report = SeedReport(uuid.uuid4().hex[:8])
    with db.transaction():
        user_ids = _insert_users(users, report.run, on_progress)
        report.follows = _insert_follows(user_ids, shape, rng)
    report.users = len(user_ids)
    seed_articles(user_ids, articles, shape=shape, rng=rng, on_progress=on_progress, report=report)
    return report


def seed_articles(user_ids: list[int], articles: int, *, shape: SeedShape = DEMO_SHAPE,
                  rng: random.Random | None = None, on_progress: Callable[[int], object] = lambda rows: None,
                  report: SeedReport | None = None, first_number: int = 1) -> SeedReport:
    """Insert `articles` articles by `user_ids` (numbered from `first_number`, created one second
    apart up to now) with tags, favorites and comments; adds what it wrote to `report`."""
    rng = rng or random.Random()
    report = report or SeedReport(uuid.uuid4().hex[:8])
    if not articles:
        return report
    tag_ids = _ensure_tags(shape.tag_names())
    report.tags = len(tag_ids)
    started = _utc_now() - timedelta(seconds=articles)
    last = first_number + articles
    for first in range(first_number, last, BATCH_SIZE):
        plans = [plan_article(n, len(user_ids), shape, rng) for n in range(first, min(first + BATCH_SIZE, last))]
        with db.transaction():
            favorites, comments = _insert_article_batch(plans, report.run, started - timedelta(seconds=first_number),
                                                        user_ids, tag_ids)
        report.articles += len(plans)
        report.favorites += favorites
        report.comments += comments
        on_progress(len(plans))
    # No signals were sent for these rows: make cached counts, pages, tags and remembered ETags stale here.
    content_cache.bump()
    tags_cache.bump()
    comments_cache.bump()
    return report


def _utc_now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)  # DATETIME(3) columns hold naive UTC


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


def _insert_follows(user_ids: list[int], shape: SeedShape, rng: random.Random) -> int:
    now = _utc_now()
    rows = [(user_ids[follower], user_ids[followee], now) for follower, followee in
            plan_follows(len(user_ids), shape, rng)]
    db.execute_many("INSERT INTO follows (follower_id, followee_id, created_at) VALUES (%s, %s, %s)", rows)
    return len(rows)


def _ensure_tags(names: list[str]) -> dict[str, int]:
    """The ids of these tags by name, creating the missing ones."""
    db.execute_many("INSERT IGNORE INTO tags (name) VALUES (%s)", [(name,) for name in names])
    placeholders = ", ".join(["%s"] * len(names))
    return {row["name"]: row["id"] for row in
            db.fetch_all(f"SELECT id, name FROM tags WHERE name IN ({placeholders})", names)}


def _insert_article_batch(plans: list, run: str, started: datetime, user_ids: list[int],
                          tag_ids: dict[str, int]) -> tuple[int, int]:
    """One batch of articles with their tags, favorites and comments; returns (favorites, comments)."""
    articles = []
    for plan in plans:
        created = started + timedelta(seconds=plan.number)  # ids and timestamps rise together
        articles.append((f"{slugify(plan.title)}-{run}", plan.title, plan.description, plan.body,
                         user_ids[plan.author], len(plan.favoriters), created, created))
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
    article_tags: list[tuple] = []
    favorites: list[tuple] = []
    comments: list[tuple] = []
    for plan, slug in zip(plans, slugs):
        article_id = ids[slug]
        article_tags.extend((tag_ids[tag], article_id) for tag in plan.tags)
        favorites.extend((user_ids[user], article_id, now) for user in plan.favoriters)
        comments.extend((article_id, user_ids[user], text, now, now) for user, text in plan.comments)
    # One execute_many per table: PyMySQL cuts it into INSERTs of at most ~1 MB itself.
    db.execute_many("INSERT INTO article_tags (tag_id, article_id) VALUES (%s, %s)", article_tags)
    db.execute_many("INSERT INTO favorites (user_id, article_id, created_at) VALUES (%s, %s, %s)", favorites)
    db.execute_many(
        "INSERT INTO comments (article_id, author_id, body, created_at, updated_at) VALUES (%s, %s, %s, %s, %s)",
        comments,
    )
    return len(favorites), len(comments)
