"""`python -m bench.soak` (make soak): a mixed read/write load against gunicorn for a few minutes,
then the figures that say whether anything degrades or leaks under it.

gunicorn runs with the project's gunicorn.conf.py on a throwaway database and Redis prefix of
its own (conduit_soak_<run>, conduit-soak-<run>:), both dropped at the end; everything goes over
loopback. Client threads, each a virtual user (bench/soak_traffic.py), load it through a warm-up
and then the measured duration. After the load drains the run reads:
- errors: any unexpected status, 5xx or connection error, warm-up included; must be 0;
- p50/p99 latency of the measured requests, as the clients saw them;
- the workers' resident memory after the warm-up and at the end; growth must stay below
  MAX_RSS_GROWTH;
- the database pools' connections in use (from /metrics, summed over the workers), which must be
  0 once nothing is in flight, and MariaDB's own count of connections to the soak's database
  (information_schema.PROCESSLIST), which must not exceed what the pools may hold.
The last line printed states every figure; the exit status is 1 when a check fails.
"""

import argparse
import sys
import threading
import time
import urllib.request
import uuid
from dataclasses import dataclass
from pathlib import Path

import pymysql
from prometheus_client.parser import text_string_to_metric_families

from bench.dataset import seed_over_api
from bench.http_client import HttpJsonClient
from bench.servers import Server, app_config, bench_settings, drop_storage, reset_storage
from bench.soak_traffic import Phase, Tally, VirtualUser
from settings import Config
from settings.pool import DatabaseAddress

RESULTS = Path(__file__).resolve().parent / "results"  # gunicorn's log goes here (not committed)
# Growth of the workers' summed RSS from the end of the warm-up to the end of the run that fails
# the soak. By the end of the warm-up every worker has imported the app, run every route and
# filled its pool, so what may still grow is allocator slack (arenas kept at their high-water
# mark after a large response, fragmentation) and the metrics files: a few MiB, not tens. A leak of
# 1 KiB per request over a 3-minute run of ~30,000 requests is ~30 MiB, a quarter of the two
# workers' ~120 MiB; 50% leaves room for the slack of a busy machine and still fails on leaks
# of that order. Short runs (the test) leak too little to judge, so only the command applies it.
MAX_RSS_GROWTH = 0.50
# Requests sent one at a time after the drain so that every worker sets its pool gauge from
# a quiet pool: the gauge is set when a request's context ends, and with several threads in a
# worker the last value written can be from a moment another request still held a connection.
SETTLING_REQUESTS_PER_WORKER = 10


@dataclass
class SoakResult:
    run_id: str
    seconds: float
    warm_up: Tally
    measured: Tally
    rss_start_mib: list[float]
    rss_end_mib: list[float]
    workers_restarted: bool
    pool_in_use: int
    pool_idle: int
    pool_max: int
    mysql_connections_start: int
    mysql_connections_end: int

    @property
    def errors(self) -> int:
        return self.warm_up.errors + self.measured.errors

    @property
    def rss_growth(self) -> float:
        return sum(self.rss_end_mib) / sum(self.rss_start_mib) - 1

    def failures(self, max_rss_growth: float | None = MAX_RSS_GROWTH) -> list[str]:
        """What went wrong, in words; empty when the soak passed."""
        found = []
        if self.errors:
            found.append(f"{self.errors} requests failed")
        if self.pool_in_use:
            found.append(f"{self.pool_in_use} pooled connections still in use after the drain")
        if self.mysql_connections_end > self.pool_max:
            found.append(f"MariaDB holds {self.mysql_connections_end} connections, more than the pools' "
                         f"{self.pool_max}")
        if self.workers_restarted:
            found.append("a gunicorn worker was replaced during the run")
        if max_rss_growth is not None and self.rss_growth > max_rss_growth:
            found.append(f"worker RSS grew {self.rss_growth:+.1%}, above {max_rss_growth:.0%}")
        return found

    def summary_line(self) -> str:
        measured, rss_start, rss_end = self.measured, sum(self.rss_start_mib), sum(self.rss_end_mib)
        return (f"soak: {self.seconds:.0f} s, {measured.requests:,} requests, {self.errors} errors, "
                f"p50 {measured.percentile_ms(0.50):.0f} ms, p99 {measured.percentile_ms(0.99):.0f} ms, "
                f"RSS {rss_start:.1f} -> {rss_end:.1f} MiB ({self.rss_growth:+.1%}), "
                f"pool in use after {self.pool_in_use}/{self.pool_max}, "
                f"mysql connections after {self.mysql_connections_end}")

    def report(self) -> str:
        measured = self.measured
        latencies = ", ".join(f"p{round(q * 100)} {measured.percentile_ms(q):.1f}" for q in (0.5, 0.9, 0.99))
        operations = ", ".join(f"{name} {count:,}" for name, count in measured.by_operation.most_common())
        replaced = ", workers replaced" if self.workers_restarted else ""
        lines = [
            f"warm-up: {self.warm_up.requests:,} requests, {self.warm_up.errors} errors",
            (f"measured: {self.seconds:.0f} s, {measured.requests:,} requests"
             f" ({measured.requests / self.seconds:.0f}/s), {measured.errors} errors"),
            f"latency ms: {latencies}, max {max(measured.latencies_ms, default=0):.1f}",
            f"requests by operation: {operations}",
            (f"worker RSS MiB: {self.rss_start_mib} after the warm-up, {self.rss_end_mib} at the end"
             f" ({self.rss_growth:+.1%}{replaced})"),
            (f"database pools after the drain: {self.pool_in_use} in use, {self.pool_idle} idle,"
             f" at most {self.pool_max}"),
            (f"MariaDB connections to the soak database: {self.mysql_connections_start} after the warm-up,"
             f" {self.mysql_connections_end} after the drain"),
        ]
        samples = self.warm_up.error_samples + self.measured.error_samples
        lines += [f"  error: {sample}" for sample in samples]
        return "\n".join(lines)


def run_soak(*, seconds: float, warmup: float = 20, concurrency: int = 8, users: int = 20,
             articles: int = 200, log_dir: Path = RESULTS, say=print) -> SoakResult:
    """Start gunicorn on fresh storage, seed, load it, measure; storage is dropped in the end."""
    run_id = uuid.uuid4().hex[:8]
    settings = {**bench_settings(f"conduit_soak_{run_id}", f"conduit-soak-{run_id}:"),
                "METRICS_ENABLED": "true"}  # the pool gauges are read from /metrics
    log_dir.mkdir(parents=True, exist_ok=True)
    server = Server(f"soak-{run_id}", "wsgi:app", settings, log_dir)
    reset_storage(settings)
    try:
        server.start()
        say(f"soak {run_id}: gunicorn on {server.url} with {len(server.worker_pids())} workers,"
            f" its log in {log_dir / server.name}.log")
        client = HttpJsonClient(server.url)
        dataset = seed_over_api(client, users=users, articles=articles, workers=concurrency,
                                progress=sys.stderr.isatty())
        say(f"seeded {dataset.counts()}")
        phase, stop = Phase(), threading.Event()
        virtual_users = [VirtualUser(number, run_id, client, dataset, phase, seed=number)
                         for number in range(concurrency)]
        threads = [threading.Thread(target=user.run, args=(stop,), daemon=True) for user in virtual_users]
        for thread in threads:
            thread.start()
        say(f"warm-up {warmup:.0f} s, then {seconds:.0f} s measured, {concurrency} client threads")
        time.sleep(warmup)
        workers_at_start = sorted(server.worker_pids())
        rss_start = server.worker_rss_mib()
        mysql_start = mysql_connections(settings)
        phase.current = Phase.MEASURED
        measured_from = time.monotonic()
        time.sleep(seconds)
        stop.set()
        for thread in threads:  # each finishes the request it is sending: the drain
            thread.join(timeout=60)
        measured_seconds = time.monotonic() - measured_from
        settle(server.url, SETTLING_REQUESTS_PER_WORKER * len(workers_at_start))
        in_use, idle = pool_connections(server.url)
        result = SoakResult(
            run_id=run_id, seconds=measured_seconds,
            warm_up=merged(user.tallies[Phase.WARM_UP] for user in virtual_users),
            measured=merged(user.tallies[Phase.MEASURED] for user in virtual_users),
            rss_start_mib=rss_start, rss_end_mib=server.worker_rss_mib(),
            workers_restarted=sorted(server.worker_pids()) != workers_at_start,
            pool_in_use=in_use, pool_idle=idle,
            pool_max=len(workers_at_start) * Config.DB_POOL_MAX_CONNECTIONS,
            mysql_connections_start=mysql_start, mysql_connections_end=mysql_connections(settings))
    finally:
        server.stop()
        drop_storage(settings)
    return result


def merged(tallies) -> Tally:
    total = Tally()
    for tally in tallies:
        total.add(tally)
    return total


def settle(base_url: str, requests: int) -> None:
    for _ in range(requests):  # a new connection each: gunicorn hands them to the workers in turn
        with urllib.request.urlopen(base_url + "/api/tags", timeout=10) as response:
            response.read()


def pool_connections(base_url: str) -> tuple[int, int]:
    """Connections in use and idle in the workers' pools, summed (the /metrics gauge)."""
    with urllib.request.urlopen(base_url + "/metrics", timeout=10) as response:
        text = response.read().decode()
    states = {sample.labels["state"]: int(sample.value)
              for family in text_string_to_metric_families(text)
              if family.name == "conduit_db_pool_connections" for sample in family.samples}
    return states.get("in_use", 0), states.get("idle", 0)


def mysql_connections(settings: dict) -> int:
    """Connections MariaDB has open to the soak's database, as the server counts them."""
    config = app_config(settings)
    address = DatabaseAddress.from_url(config["DATABASE_URL"])
    connection = pymysql.connect(**address.connect_kwargs(config, with_database=False))
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE DB = %s",
                           (address.database,))
            return cursor.fetchone()["n"]
    finally:
        connection.close()


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.soak", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=float, default=180, help="measured seconds (default 180)")
    parser.add_argument("--warmup", type=float, default=20, help="unmeasured seconds first (default 20)")
    parser.add_argument("--concurrency", type=int, default=8, help="client threads (default 8)")
    parser.add_argument("--users", type=int, default=20, help="users seeded before the load")
    parser.add_argument("--articles", type=int, default=200, help="articles seeded before the load")
    parser.add_argument("--max-rss-growth", type=float, default=MAX_RSS_GROWTH,
                        help=f"fail above this fraction (default {MAX_RSS_GROWTH})")
    args = parser.parse_args()
    result = run_soak(seconds=args.duration, warmup=args.warmup, concurrency=args.concurrency,
                      users=args.users, articles=args.articles)
    print(result.report())
    failures = result.failures(args.max_rss_growth)
    for failure in failures:
        print(f"FAILED: {failure}")
    print(result.summary_line(), flush=True)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
