"""Schemathesis against the live service, through its CLI (`st run`), in two modes.

- anonymous: no credentials (schemathesis still makes up Authorization headers and cookies of
  its own, which must get the documented 401);
- authenticated: `Authorization: Token <token>` of a registered user (tests/support/fuzz_hooks.py).

Each run reads the OpenAPI document the service itself serves, sends a bounded number of
generated requests per operation (valid and invalid ones) and checks every answer: no 5xx, a
status code the document lists for the operation, the documented content type, headers and
body schema (tests/support/schemathesis.toml). Before it, a few users, articles and comments are
seeded, so that path parameters can name real resources.

The suite runs both modes with a few examples (tests/contract/test_fuzz.py); `make fuzz` runs
`python -m tests.support.fuzzing` with more (FUZZ_EXAMPLES, default 100) against gunicorn on a
database and Redis prefix of its own, and prints a summary.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import redis

from api import create_app
from api.migrations import drop_database, upgrade
from api.redis_store import delete_keys_under
from settings import Config, isolated_storage
from tests.support.factories import DEFAULT_PASSWORD, add_comment, create_article, favorite, follow, register, unique
from tests.support.servers import live_gunicorn

SUPPORT_DIR = Path(__file__).resolve().parent
PROJECT_ROOT = SUPPORT_DIR.parents[1]
CONFIG_FILE = SUPPORT_DIR / "schemathesis.toml"
MODES = ("anonymous", "authenticated")
OPENAPI_PATH = "/api/openapi.json"
DEFAULT_SEED = 20261129
DEFAULT_EXAMPLES = 100  # per operation, in `make fuzz` (FUZZ_EXAMPLES)
# One schemathesis worker: with two, hypothesis parses lambdas' source in both threads at once,
# which CPython 3.11 can fail with "SystemError: AST constructor recursion depth mismatch".
WORKERS = 1


def seed_fixtures(client) -> dict:
    """Users, articles, comments, a follow and a favorite, made through the API with `client`
    (a Flask test client of an app on the fuzzed service's database and Redis): the values the
    hooks put into path parameters, and the token of the authenticated mode."""
    author = register(client, username=unique("fuzz-author-"))
    fuzzer = register(client, username=unique("fuzz-user-"))
    their_articles = [create_article(client, author["token"], tagList=["fuzz", "dragons"]) for _ in range(2)]
    our_articles = [create_article(client, fuzzer["token"], tagList=["fuzz"]) for _ in range(2)]
    comments = [
        add_comment(client, author["token"], their_articles[0]["slug"]),
        add_comment(client, fuzzer["token"], their_articles[0]["slug"]),
        add_comment(client, fuzzer["token"], our_articles[0]["slug"]),
    ]
    follow(client, fuzzer["token"], author["username"])
    favorite(client, fuzzer["token"], their_articles[1]["slug"])
    return {
        "token": fuzzer["token"],
        "password": DEFAULT_PASSWORD,
        "slugs": [article["slug"] for article in their_articles + our_articles],
        "usernames": [author["username"], fuzzer["username"]],
        "comment_ids": [comment["id"] for comment in comments],
    }


@dataclass
class FuzzResult:
    """One `st run`: what it tested and what it found."""

    mode: str
    exit_code: int
    seconds: float
    output: str
    operations: int = 0
    cases: int = 0
    failures: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return self.exit_code == 0 and not self.failures and not self.errors

    def summary(self) -> str:
        return (f"{self.mode:<13} {self.operations:>10} {self.cases:>12} {len(self.failures):>10} "
                f"{len(self.errors):>10} {self.seconds:>8.1f} s")


def run_schemathesis(base_url: str, mode: str, fixtures: dict, *, max_examples: int,
                     seed: int = DEFAULT_SEED) -> FuzzResult:
    """`st run` against the service at `base_url` in `mode`; its result."""
    with tempfile.TemporaryDirectory(prefix="conduit-fuzz-") as directory:
        fixtures_path = Path(directory) / "fixtures.json"
        report_path = Path(directory) / "report.json"
        fixtures_path.write_text(json.dumps({**fixtures, "mode": mode, "base_url": base_url}))
        environment = {
            **os.environ,
            "SCHEMATHESIS_HOOKS": "tests.support.fuzz_hooks",
            "CONDUIT_FUZZ_FIXTURES": str(fixtures_path),
            "PYTHONPATH": os.pathsep.join(filter(None, [str(PROJECT_ROOT), os.environ.get("PYTHONPATH")])),
        }
        command = [
            _st_binary(), "--config-file", str(CONFIG_FILE), "--no-color", "run", base_url + OPENAPI_PATH,
            "--max-examples", str(max_examples), "--seed", str(seed), "--workers", str(WORKERS),
            "--report", "json", "--report-json-path", str(report_path),
        ]
        started = time.monotonic()
        completed = subprocess.run(command, cwd=PROJECT_ROOT, env=environment, capture_output=True, text=True)
        seconds = time.monotonic() - started
        result = FuzzResult(mode, completed.returncode, seconds, completed.stdout + completed.stderr)
        if report_path.exists():
            _read_report(json.loads(report_path.read_text()), result)
        return result


def _st_binary() -> str:
    beside_python = Path(sys.executable).with_name("st")
    return str(beside_python) if beside_python.exists() else shutil.which("st") or "st"


def _read_report(report: dict, result: FuzzResult) -> None:
    """Fill `result` from schemathesis' JSON run report."""
    result.operations = (report.get("operations") or {}).get("tested", 0)
    result.cases = report["test_cases"]["generated"]
    result.failures = [f"{failure['title']} ({failure['count']}x): {', '.join(failure['operations'])}"
                       for failure in report["failures"]]
    result.errors = [f"{error['title']} ({error['count']}x)" for error in report["errors"]]


def fuzz_settings() -> dict[str, str]:
    """The `make fuzz` server's environment: a database and Redis prefix of its own, and rate
    limits on (a 429 is documented wherever one can occur), registrations, failed logins per
    address and writes raised so that the runs' own requests (hundreds, from one address and a
    few users) keep reaching the views."""
    suffix = uuid.uuid4().hex[:10]
    return {
        **isolated_storage(f"conduit_fuzz_{suffix}", f"conduit-fuzz-{suffix}:"),
        "RATELIMIT_ENABLED": "true",
        "RATELIMIT_REGISTER": "100000 per hour",
        "RATELIMIT_LOGIN_IP": "100000 per 15 minutes",
        "RATELIMIT_WRITES": "100000 per minute",
        "LOG_LEVEL": "WARNING",
    }


def fuzz_live_service(examples: int, seed: int) -> list[FuzzResult]:
    """Both modes against gunicorn on a throwaway database, dropped afterwards with its keys."""
    settings = fuzz_settings()
    config = {name: getattr(Config, name) for name in dir(Config) if name.isupper()}
    config.update(settings)
    upgrade(config)
    try:
        # Seeded in-process on the same database and Redis, so the server's sessions include these.
        seeding_app = create_app(Config, {**settings, "RATELIMIT_ENABLED": False})
        fixtures = seed_fixtures(seeding_app.test_client(use_cookies=False))
        seeding_app.extensions["sql_pool"].close()
        with live_gunicorn(settings) as server:
            base_url = f"http://127.0.0.1:{server.port}"
            return [run_schemathesis(base_url, mode, fixtures, max_examples=examples, seed=seed) for mode in MODES]
    finally:
        drop_database(config)
        delete_keys_under(redis.Redis.from_url(config["REDIS_URL"]), settings["REDIS_KEY_PREFIX"])


def main() -> int:
    examples = int(os.environ.get("FUZZ_EXAMPLES") or DEFAULT_EXAMPLES)
    seed = int(os.environ.get("FUZZ_SEED") or DEFAULT_SEED)
    print(f"schemathesis: both modes, {examples} examples per operation, seed {seed}", flush=True)
    results = fuzz_live_service(examples, seed)
    for result in results:
        if not result.clean:
            print(result.output)
    print("\nmode          operations        cases   failures     errors   duration")
    for result in results:
        print(result.summary())
    total_cases = sum(result.cases for result in results)
    total_failures = sum(len(result.failures) + len(result.errors) for result in results)
    print(f"total: {total_cases} cases, {total_failures} failures and errors, "
          f"{sum(result.seconds for result in results):.1f} s")
    for result in results:
        for problem in result.failures + result.errors:
            print(f"  {result.mode}: {problem}")
    return 0 if all(result.clean for result in results) else 1


if __name__ == "__main__":
    sys.exit(main())
