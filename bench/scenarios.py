"""The scenarios: which requests each one sends, what it is compared with, and its target.

A scenario's requests are listed in a file that bench/wrk/requests.lua cycles through; the
same requests, sent once each, are what the fast test checks (tests/operations/test_bench.py). Read
scenarios also name the anonymous requests that give the same responses from the ceilings.

A revalidating scenario sends the requests of a read scenario with the If-None-Match the service
answered them just before the run: each gets a bodiless 304, whose cost the same run measures
beside the full 200 of the read scenario (docs/performance.md).
"""

import json
import random
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from api.seed_content import BENCH_SHAPE, plan_article
from bench.dataset import PASSWORD, Dataset
from bench.http_client import JsonClient

LIST_OFFSETS = range(0, 200, 20)  # the first ten pages of 20
FILTERED_OFFSETS = (0, 20, 40)
# Least service rps, as a share of the one-query ceiling's in the same run.
LIST_TARGET = 0.80
ONE_RESOURCE_TARGET = 0.75
SIGNED_IN_TARGET = 0.70  # list_auth, feed, profile_auth: a session read in Redis on top
OVERLOAD_CONNECTIONS = 512
# An overload round must outlast the queue it builds (512 requests at a few hundred a second
# wait seconds each), or it counts only the requests that found the queue still short.
OVERLOAD_ROUND_SECONDS = 8
# wrk's usual 5 s would count a long wait in the queue as a failure of the client's making; a
# request still unanswered after this long has failed by anyone's measure.
OVERLOAD_TIMEOUT_SECONDS = 30


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    token: str = ""
    body: str = ""  # JSON; "{n}" in it becomes a number unique to the run
    header: str = ""  # one more header, "Name: value"

    def line(self) -> str:
        line = f"{self.method}\t{self.path}\t{self.token}\t{self.body}"
        return f"{line}\t{self.header}" if self.header else line

    @classmethod
    def from_line(cls, line: str) -> "Request":
        """The request a `line()` wrote."""
        return cls(*line.split("\t"))

    def headers(self) -> dict[str, str]:
        """Its headers besides Content-Type, as the load sends them."""
        headers = {"Authorization": f"Token {self.token}"} if self.token else {}
        if self.header:
            name, _, value = self.header.partition(": ")
            headers[name] = value
        return headers


Builder = Callable[[Dataset], list[Request]]


@dataclass(frozen=True)
class Scenario:
    name: str
    requests: Builder
    ceiling_requests: Builder | None = None  # the same responses, asked anonymously of the ceilings
    target: float | None = None  # least service / one-query ceiling rps
    revalidates: bool = False  # its requests carry the ETags `service` answers them (see above)
    # Its own number of wrk connections (the run's --connections otherwise). An overload
    # scenario is reported, not targeted: only errors count against it.
    connections: int | None = None

    def write_files(self, dataset: Dataset, directory: Path,
                    service: JsonClient | None = None) -> tuple[Path, Path | None]:
        """The request files of the service and (for reads) of the ceilings; a revalidating
        scenario asks `service` for the ETags, so write it right before the run."""
        directory.mkdir(parents=True, exist_ok=True)
        requests = self.requests(dataset)
        if self.revalidates:
            if service is None:
                raise ValueError(f"{self.name} revalidates: it needs the service to ask for ETags")
            requests = [replace(request, header=f"If-None-Match: {service.etag(request.path, request.token)}")
                        for request in requests]
        service_file = _write(directory / f"{self.name}.txt", requests)
        ceiling = None
        if self.ceiling_requests:
            ceiling = _write(directory / f"{self.name}.ceiling.txt", self.ceiling_requests(dataset))
        return service_file, ceiling


def _write(path: Path, requests: list[Request]) -> Path:
    path.write_text("".join(request.line() + "\n" for request in requests))
    return path


def list_anon(dataset: Dataset) -> list[Request]:
    return [Request("GET", f"/api/articles?limit=20&offset={offset}") for offset in LIST_OFFSETS]


def list_auth(dataset: Dataset) -> list[Request]:
    return [Request("GET", f"/api/articles?limit=20&offset={offset}", user["token"])
            for user in dataset.users for offset in LIST_OFFSETS]


def list_tag(dataset: Dataset) -> list[Request]:
    return [Request("GET", f"/api/articles?tag={tag}&limit=20&offset={offset}")
            for tag in dataset.tags for offset in FILTERED_OFFSETS]


def feed(dataset: Dataset) -> list[Request]:
    return [Request("GET", f"/api/articles/feed?limit=20&offset={offset}", user["token"])
            for user in dataset.users for offset in FILTERED_OFFSETS]


def _some_slugs(dataset: Dataset) -> list[str]:
    return dataset.slugs[::5]


def article(dataset: Dataset) -> list[Request]:
    return [Request("GET", f"/api/articles/{slug}") for slug in _some_slugs(dataset)]


def comments(dataset: Dataset) -> list[Request]:
    return [Request("GET", f"/api/articles/{slug}/comments") for slug in _some_slugs(dataset)]


def profile(dataset: Dataset) -> list[Request]:
    return [Request("GET", f"/api/profiles/{user['username']}") for user in dataset.users]


def profile_auth(dataset: Dataset) -> list[Request]:
    users = dataset.users
    return [Request("GET", f"/api/profiles/{users[(index + step) % len(users)]['username']}", viewer["token"])
            for index, viewer in enumerate(users) for step in range(1, 11)]


def tags(dataset: Dataset) -> list[Request]:
    return [Request("GET", "/api/tags")]


def create_article(dataset: Dataset) -> list[Request]:
    rng = random.Random(len(dataset.slugs))
    requests = []
    for index, user in enumerate(dataset.users):
        plan = plan_article(index, len(dataset.users), BENCH_SHAPE, rng)
        article = {"title": "Bench load {n}", "description": plan.description, "body": plan.body,
                   "tagList": plan.tags}
        requests.append(Request("POST", "/api/articles", user["token"], json.dumps({"article": article})))
    return requests


def favorite(dataset: Dataset) -> list[Request]:
    """Favorite then unfavorite, pair after pair: every request changes something."""
    requests = []
    for index, user in enumerate(dataset.users * 4):
        path = f"/api/articles/{dataset.slugs[(index * 37) % len(dataset.slugs)]}/favorite"
        requests += [Request("POST", path, user["token"]), Request("DELETE", path, user["token"])]
    return requests


def login(dataset: Dataset) -> list[Request]:
    return [Request("POST", "/api/users/login", body=json.dumps({"user": {"email": user["email"],
                                                                          "password": PASSWORD}}))
            for user in dataset.users]


SCENARIOS = [
    Scenario("list_anon", list_anon, list_anon, LIST_TARGET),
    Scenario("list_auth", list_auth, list_anon, SIGNED_IN_TARGET),
    Scenario("list_tag", list_tag, list_tag, LIST_TARGET),
    Scenario("feed", feed, list_anon, SIGNED_IN_TARGET),
    Scenario("article", article, article, ONE_RESOURCE_TARGET),
    # The two above, revalidated: 304s. No ceilings: they answer no conditional request.
    Scenario("list_revalidate", list_anon, revalidates=True),
    Scenario("article_revalidate", article, revalidates=True),
    Scenario("comments", comments, comments, ONE_RESOURCE_TARGET),
    Scenario("profile", profile, profile, ONE_RESOURCE_TARGET),
    Scenario("profile_auth", profile_auth, profile, SIGNED_IN_TARGET),
    Scenario("tags", tags, tags, ONE_RESOURCE_TARGET),
    Scenario("create_article", create_article),
    Scenario("favorite", favorite),
    Scenario("login", login),
    # Overload: many more connections than the 2 x 4 threads that serve them; the queue shows in
    # p99, and every request must still succeed.
    Scenario("list_anon_512", list_anon, connections=OVERLOAD_CONNECTIONS),
    Scenario("article_512", article, connections=OVERLOAD_CONNECTIONS),
]
BY_NAME = {scenario.name: scenario for scenario in SCENARIOS}
GROWTH_SCENARIOS = ("list_anon", "list_tag", "feed")
