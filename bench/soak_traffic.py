"""The soak's traffic: virtual users, one per client thread, each sending a weighted mix of
reads and writes as its own registered user, and the record of every request they send.

Every request names the one status it must get; anything else (another status, a connection
error, a timeout) is an error. A virtual user only deletes or edits what it created itself
and toggles its own follows and favorites, so no two threads race for the same row and the
expected status is always known.
"""

import http.client
import itertools
import math
import random
import threading
import time
from collections import Counter
from dataclasses import dataclass, field

from bench.dataset import PASSWORD, Dataset

ERROR_SAMPLES = 10  # errors kept verbatim for the report


@dataclass
class Tally:
    """What one phase (warm-up or measured) saw, from one thread or merged."""

    latencies_ms: list[float] = field(default_factory=list)
    by_operation: Counter = field(default_factory=Counter)
    errors: int = 0
    error_samples: list[str] = field(default_factory=list)

    def add(self, other: "Tally") -> None:
        self.latencies_ms += other.latencies_ms
        self.by_operation += other.by_operation
        self.errors += other.errors
        self.error_samples += other.error_samples[:ERROR_SAMPLES - len(self.error_samples)]

    @property
    def requests(self) -> int:
        return len(self.latencies_ms)

    def percentile_ms(self, fraction: float) -> float:
        """Nearest-rank percentile of the latencies (0 when nothing was sent)."""
        if not self.latencies_ms:
            return 0.0
        ordered = sorted(self.latencies_ms)
        return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


class Phase:
    """Which tally the threads write to now: the runner switches it from warm-up to measured."""

    WARM_UP, MEASURED = "warm-up", "measured"

    def __init__(self):
        self.current = self.WARM_UP


class VirtualUser:
    """One client thread's user and what it owns (articles, comments, follows, favorites)."""

    def __init__(self, number: int, run_id: str, client, dataset: Dataset, phase: Phase, seed: int):
        self.number, self.run_id, self.client = number, run_id, client
        self.dataset, self.phase = dataset, phase
        self.rng = random.Random(seed)
        self.tallies = {Phase.WARM_UP: Tally(), Phase.MEASURED: Tally()}
        self.name = f"soak-{run_id}-{number}"
        self.email = f"{self.name}@example.com"
        self.token: str | None = None
        self.serial = itertools.count(1)
        self.articles: list[str] = []  # slugs of this user's own articles
        self.comments: list[tuple[str, int]] = []  # (slug, id) of this user's own comments
        self.following: set[str] = set()
        self.favorited: set[str] = set()

    # -- the run ---------------------------------------------------------------------------

    def run(self, stop: threading.Event) -> None:
        answer = self.call("register", "POST", "/api/users",
                           {"user": {"username": self.name, "email": self.email, "password": PASSWORD}},
                           expect=201, auth=False)
        if answer is None:  # without a user this thread can only read; count the error and stop
            return
        self.token = answer["user"]["token"]
        operations, weights = zip(*MIX)
        while not stop.is_set():
            operation = self.rng.choices(operations, weights)[0]
            operation(self)

    def call(self, operation: str, method: str, path: str, body: dict | None = None, *,
             expect: int = 200, auth: bool = True) -> dict | None:
        """Send one request, record it; the answer when its status was the expected one."""
        tally = self.tallies[self.phase.current]
        started = time.perf_counter()
        try:
            status, answer = self.client.send(method, path, body, self.token if auth else None)
            failure = None if status == expect else f"{method} {path}: {status} (expected {expect}) {answer}"
        except (OSError, http.client.HTTPException, ValueError) as error:  # refused, reset, timeout, bad JSON
            failure, answer = f"{method} {path}: {type(error).__name__}: {error}", None
        tally.latencies_ms.append((time.perf_counter() - started) * 1000)
        tally.by_operation[operation] += 1
        if failure:
            tally.errors += 1
            if len(tally.error_samples) < ERROR_SAMPLES:
                tally.error_samples.append(failure[:300])
            return None
        return answer if answer is not None else {}

    # -- helpers ---------------------------------------------------------------------------

    def _seeded_slug(self) -> str:
        return self.rng.choice(self.dataset.slugs)

    def _own_or_seeded_slug(self, own_share: float) -> str:
        """One of this user's articles `own_share` of the time (when it has any), else a seeded one."""
        if self.articles and self.rng.random() < own_share:
            return self.rng.choice(self.articles)
        return self._seeded_slug()

    def _seeded_user(self) -> str:
        return self.rng.choice(self.dataset.users)["username"]

    def _offset(self) -> int:
        return self.rng.choice((0, 0, 0, 20, 40, 100))

    # -- reads -----------------------------------------------------------------------------

    def list_anonymous(self):
        self.call("list", "GET", f"/api/articles?limit=20&offset={self._offset()}", auth=False)

    def list_signed_in(self):
        self.call("list_auth", "GET", f"/api/articles?limit=20&offset={self._offset()}")

    def list_by_tag(self):
        self.call("list_tag", "GET", f"/api/articles?tag={self.rng.choice(self.dataset.tags)}&limit=20",
                  auth=self.rng.random() < 0.5)

    def list_by_author(self):
        self.call("list_author", "GET", f"/api/articles?author={self._seeded_user()}&limit=20",
                  auth=self.rng.random() < 0.5)

    def feed(self):
        self.call("feed", "GET", f"/api/articles/feed?limit=20&offset={self._offset() // 2}")

    def get_article(self):
        self.call("article", "GET", f"/api/articles/{self._seeded_slug()}", auth=self.rng.random() < 0.5)

    def list_comments(self):
        self.call("comments", "GET", f"/api/articles/{self._seeded_slug()}/comments")

    def tags(self):
        self.call("tags", "GET", "/api/tags", auth=False)

    def profile(self):
        self.call("profile", "GET", f"/api/profiles/{self._seeded_user()}", auth=self.rng.random() < 0.5)

    def current_user(self):
        self.call("current_user", "GET", "/api/user")

    # -- writes ----------------------------------------------------------------------------

    def create_article(self):
        tags = self.rng.sample(self.dataset.tags, k=self.rng.randint(0, 3))
        article = {"title": f"Soak {self.run_id} {self.number} {next(self.serial)}",
                   "description": "written by the soak", "body": "Soak body. " * self.rng.randint(1, 40),
                   "tagList": tags}
        answer = self.call("create_article", "POST", "/api/articles", {"article": article}, expect=201)
        if answer:
            self.articles.append(answer["article"]["slug"])

    def update_article(self):
        if not self.articles:
            return self.create_article()
        # The body only: a new title would give a new slug (CONTRACT.md).
        self.call("update_article", "PUT", f"/api/articles/{self.rng.choice(self.articles)}",
                  {"article": {"body": f"Edited {next(self.serial)}. " * self.rng.randint(1, 40)}})
        return None

    def delete_article(self):
        if not self.articles:
            return self.create_article()
        slug = self.articles.pop(self.rng.randrange(len(self.articles)))
        self.comments = [(on, number) for on, number in self.comments if on != slug]
        self.favorited.discard(slug)
        self.call("delete_article", "DELETE", f"/api/articles/{slug}", expect=204)
        return None

    def toggle_favorite(self):
        # Own articles too: favorites of an article that is then deleted must go with it.
        slug = self._own_or_seeded_slug(0.2)
        method = "DELETE" if slug in self.favorited else "POST"
        if self.call("favorite", method, f"/api/articles/{slug}/favorite"):
            (self.favorited.discard if method == "DELETE" else self.favorited.add)(slug)

    def toggle_follow(self):
        username = self._seeded_user()
        method = "DELETE" if username in self.following else "POST"
        if self.call("follow", method, f"/api/profiles/{username}/follow"):
            (self.following.discard if method == "DELETE" else self.following.add)(username)

    def add_comment(self):
        slug = self._own_or_seeded_slug(0.3)
        answer = self.call("add_comment", "POST", f"/api/articles/{slug}/comments",
                           {"comment": {"body": f"Soak comment {next(self.serial)}"}})
        if answer:
            self.comments.append((slug, answer["comment"]["id"]))

    def delete_comment(self):
        if not self.comments:
            return self.add_comment()
        slug, number = self.comments.pop(self.rng.randrange(len(self.comments)))
        self.call("delete_comment", "DELETE", f"/api/articles/{slug}/comments/{number}", expect=204)
        return None

    def register_another(self):
        # Registration hashes a password too; the new user is only checked, not used further.
        name = f"{self.name}-r{next(self.serial)}"
        self.call("register", "POST", "/api/users",
                  {"user": {"username": name, "email": f"{name}@example.com", "password": PASSWORD}},
                  expect=201, auth=False)

    def login(self):
        # argon2 makes a login cost tens of milliseconds of CPU: a rare operation, as in real use.
        answer = self.call("login", "POST", "/api/users/login",
                           {"user": {"email": self.email, "password": PASSWORD}}, auth=False)
        if answer:
            self.token = answer["user"]["token"]


# The mix: about three reads to one write, as a busy blog might see (weights, not percentages).
MIX = [
    (VirtualUser.list_anonymous, 12), (VirtualUser.list_signed_in, 8), (VirtualUser.list_by_tag, 8),
    (VirtualUser.list_by_author, 6), (VirtualUser.feed, 8), (VirtualUser.get_article, 12),
    (VirtualUser.list_comments, 5), (VirtualUser.tags, 5), (VirtualUser.profile, 6),
    (VirtualUser.current_user, 3),
    (VirtualUser.create_article, 5), (VirtualUser.update_article, 4), (VirtualUser.delete_article, 3),
    (VirtualUser.toggle_favorite, 6), (VirtualUser.toggle_follow, 4), (VirtualUser.add_comment, 5),
    (VirtualUser.delete_comment, 3), (VirtualUser.login, 1), (VirtualUser.register_another, 0.5),
]
