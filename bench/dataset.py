"""The benchmark's fixed data set, seeded through the public API; more articles in bulk.

The content comes from api/seed_content.py with a fixed random seed, in the order the bulk
seeder draws it too (follows, then articles by number), so a run is reproducible and
`--articles 100000` continues the same sequence through SQLHelper (api/seeding.py).
"""

import json
import random
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from tqdm import tqdm

from api.seed_content import BENCH_SHAPE, SeedShape, plan_article, plan_follows

RANDOM_SEED = 20261128
USERS = 50
ARTICLES = 1000
PASSWORD = "bench-password-1"


@dataclass
class Dataset:
    """What the scenarios need to know about the seeded data."""

    users: list[dict]  # username, email, token
    slugs: list[str]  # by article number, oldest first
    tags: list[str]
    follows: int = 0
    favorites: int = 0
    comments: int = 0
    bulk_articles: int = 0
    rng_state: tuple[Any, ...] | None = field(default=None, repr=False)  # where the bulk top-up continues

    def counts(self) -> dict:
        return {"users": len(self.users), "articles": len(self.slugs) + self.bulk_articles, "tags": len(self.tags),
                "follows": self.follows, "favorites": self.favorites, "comments": self.comments}

    def save(self, path: Path) -> None:
        path.write_text(json.dumps({k: v for k, v in asdict(self).items() if k != "rng_state"}))

    @classmethod
    def load(cls, path: Path) -> "Dataset":
        return cls(**json.loads(path.read_text()))


def username(number: int) -> str:
    return f"bench-{number}"


def seed_over_api(client, *, users: int = USERS, articles: int = ARTICLES, shape: SeedShape = BENCH_SHAPE,
                  seed: int = RANDOM_SEED, workers: int = 8, progress: bool = True) -> Dataset:
    """Register users, follow, write articles, favorite and comment through `client.send`."""
    rng = random.Random(seed)
    follows = plan_follows(users, shape, rng)
    plans = [plan_article(number, users, shape, rng) for number in range(1, articles + 1)]
    favorites = [(user, plan.number) for plan in plans for user in plan.favoriters]
    comments = [(user, plan.number, text) for plan in plans for user, text in plan.comments]
    dataset = Dataset(users=[], slugs=[], tags=shape.tag_names(), follows=len(follows),
                      favorites=len(favorites), comments=len(comments), rng_state=rng.getstate())
    total = users + len(follows) + articles + len(favorites) + len(comments)
    with tqdm(total=total, unit="req", desc="seeding over the API", disable=not progress,
                                 mininterval=1) as bar, \
            ThreadPoolExecutor(workers) as pool:

        def call(method, path, body=None, token=None, expect=200):
            status, answer = client.send(method, path, body, token)
            if status != expect:
                raise RuntimeError(f"seeding: {method} {path} answered {status}: {answer}")
            bar.update()
            return answer

        def register(number):
            name = username(number)
            user = {"username": name, "email": f"{name}@example.com", "password": PASSWORD}
            return call("POST", "/api/users", {"user": user}, expect=201)["user"]

        registered = list(pool.map(register, range(1, users + 1)))
        dataset.users = [{key: user[key] for key in ("username", "email", "token")} for user in registered]
        token = [user["token"] for user in registered]
        list(pool.map(lambda pair: call("POST", f"/api/profiles/{username(pair[1] + 1)}/follow",
                                        token=token[pair[0]]), follows))
        for plan in plans:  # one at a time: article ids follow the plan's numbers
            article = {"title": plan.title, "description": plan.description, "body": plan.body,
                       "tagList": plan.tags}
            created = call("POST", "/api/articles", {"article": article}, token[plan.author], expect=201)
            dataset.slugs.append(created["article"]["slug"])
        list(pool.map(lambda pair: call("POST", f"/api/articles/{dataset.slugs[pair[1] - 1]}/favorite",
                                        token=token[pair[0]]), favorites))
        list(pool.map(lambda item: call("POST", f"/api/articles/{dataset.slugs[item[1] - 1]}/comments",
                                        {"comment": {"body": item[2]}}, token[item[0]]), comments))
    return dataset


def top_up_in_bulk(app, dataset: Dataset, articles: int, *, shape: SeedShape = BENCH_SHAPE,
                   progress: bool = True) -> None:
    """Add articles until there are `articles`, straight through SQLHelper, by the same users."""
    from api.db import db
    from api.seeding import seed_articles

    extra = articles - len(dataset.slugs) - dataset.bulk_articles
    if extra <= 0:
        return
    if dataset.rng_state is None:
        raise ValueError("the data set has no random state to continue from (a saved one keeps none)")
    rng = random.Random()
    rng.setstate(dataset.rng_state)
    with app.app_context(), tqdm(total=extra, unit="article", desc="seeding in bulk", disable=not progress,
                                      mininterval=1) as bar:
        names = [user["username"] for user in dataset.users]
        found = db.fetch_all("SELECT id, username FROM users WHERE username IN %s", (tuple(names),))
        ids = {row["username"]: row["id"] for row in found}
        report = seed_articles([ids[name] for name in names], extra, shape=shape, rng=rng,
                               on_progress=bar.update, first_number=len(dataset.slugs) + dataset.bulk_articles + 1)
        db.fetch_all("ANALYZE TABLE articles, article_tags, favorites, comments, follows")
    dataset.bulk_articles += report.articles
    dataset.favorites += report.favorites
    dataset.comments += report.comments
    dataset.rng_state = rng.getstate()
