"""One benchmark run: storage, servers, data set, then each scenario against the service and,
for reads, the two ceilings right after it (interleaved, so noise hits all three alike)."""

import json
import os
import platform
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from api import create_app
from bench import argon2_cost, report
from bench.dataset import Dataset, seed_over_api, top_up_in_bulk
from bench.deep_pages import alone_ms, articles_on_page, deep_page_scenarios, first_page_of
from bench.http_client import HttpJsonClient
from bench.load import allow_connections, merge_rounds, run_wrk, wait_until_idle
from bench.scenarios import (
    BY_NAME,
    GROWTH_SCENARIOS,
    OVERLOAD_ROUND_SECONDS,
    OVERLOAD_TIMEOUT_SECONDS,
    SCENARIOS,
    Scenario,
)
from bench.servers import Server, app_config, bench_settings, reset_storage
from settings import Config

HTTP_SEEDED_ARTICLES = 1000  # beyond these, articles are seeded in bulk


class Bench:
    def __init__(self, *, out: Path, seconds: int, warmup: int, connections: int, ceilings: bool, rounds: int = 6):
        self.out, self.seconds, self.warmup, self.connections = out, seconds, warmup, connections
        self.rounds = rounds
        allow_connections(max(connections, *(scenario.connections or 0 for scenario in SCENARIOS)))
        self.settings = bench_settings()
        self.requests_dir = out / "requests"
        out.mkdir(parents=True, exist_ok=True)
        self.service = Server("service", "wsgi:app", self.settings, out)
        self.ceilings = [Server("bare", "bench.ceilings.bare:create_app()", self.settings, out),
                         Server("one_query", "bench.ceilings.one_query:create_app()", self.settings, out)] \
            if ceilings else []
        self.dataset: Dataset | None = None

    def __enter__(self):
        reset_storage(self.settings)
        for server in (self.service, *self.ceilings):
            server.start()
        return self

    def __exit__(self, *exc):
        for server in (self.service, *self.ceilings):
            server.stop()

    @property
    def seeded(self) -> Dataset:
        """The data set seed() made; RuntimeError before it has run."""
        if self.dataset is None:
            raise RuntimeError("no data set yet: seed() first")
        return self.dataset

    def seed(self, articles: int) -> None:
        """The fixed data set over the API (at most 1,000 articles), the rest in bulk."""
        if self.dataset is None:
            self.dataset = seed_over_api(HttpJsonClient(self.service.url),
                                         articles=min(articles, HTTP_SEEDED_ARTICLES))
        if articles > len(self.dataset.slugs) + self.dataset.bulk_articles:
            top_up_in_bulk(create_app(overrides=app_config(self.settings)), self.dataset, articles)
        self.dataset.save(self.out / "dataset.json")

    def warm_up(self, scenarios: list[Scenario], seconds: int = 3) -> None:
        """One short unmeasured pass of each scenario on the service: every worker has imported,
        cached and pooled what the bench uses before its memory is first read."""
        for scenario in scenarios:
            service_file, _ = scenario.write_files(self.seeded, self.requests_dir, HttpJsonClient(self.service.url))
            run_wrk(self.service.url, service_file, seconds=seconds,
                    connections=scenario.connections or self.connections)
            wait_until_idle(self.service.url)

    def measure(self, scenario: Scenario) -> dict:
        """The scenario on the service and, for reads, on both ceilings, in `rounds` rounds of
        service, bare, one-query: a burst of load from elsewhere on the machine lands on all
        three instead of on whichever happened to run then. A revalidating scenario's rounds
        send its requests without If-None-Match too ("full": the 200s its 304s stand for)."""
        service_file, ceiling_file = scenario.write_files(self.seeded, self.requests_dir,
                                                          HttpJsonClient(self.service.url))
        connections = scenario.connections or self.connections
        runs = [("service", self.service, service_file)]
        if ceiling_file:
            runs += [(ceiling.name, ceiling, ceiling_file) for ceiling in self.ceilings]
        if scenario.revalidates:
            full_file, _ = replace(scenario, name=f"{scenario.name}.full", revalidates=False).write_files(
                self.seeded, self.requests_dir)
            runs.append(("full", self.service, full_file))

        def load(server: Server, requests_file: Path, seconds: int) -> dict:
            if not scenario.connections:
                return run_wrk(server.url, requests_file, seconds=seconds, connections=connections)
            figures = run_wrk(server.url, requests_file, seconds=seconds, connections=connections,
                              timeout=OVERLOAD_TIMEOUT_SECONDS)
            wait_until_idle(server.url)  # an overload run leaves a queue behind: the next run starts without it
            return figures

        if self.warmup:
            for _name, server, requests_file in runs:
                load(server, requests_file, self.warmup)
        slice_seconds = max(1, round(self.seconds / self.rounds))
        if scenario.connections:
            slice_seconds = max(slice_seconds, OVERLOAD_ROUND_SECONDS)
        rounds: dict[str, list[dict]] = {name: [] for name, _server, _file in runs}
        for _round in range(self.rounds):
            for name, server, requests_file in runs:
                rounds[name].append(load(server, requests_file, slice_seconds))
        figures = {name: {**merge_rounds(server_rounds), "connections": connections, "round_seconds": slice_seconds}
                   for name, server_rounds in rounds.items()}
        for _name, server, _file in runs:  # a page slower than a round (a deep offset) leaves a queue too
            wait_until_idle(server.url)
        for name, server_figures in figures.items():
            print(f"  {scenario.name:<19}{name:<10}{server_figures['rps']:>8.0f} rps"
                  f"  p99 {server_figures['p99_ms']:.1f} ms  rounds {server_figures['rounds_rps']}", flush=True)
        return figures


def machine() -> dict:
    return {"cores": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform(),
            "workers": os.environ.get("GUNICORN_WORKERS", str(os.cpu_count())),
            "threads": os.environ.get("GUNICORN_THREADS", "4"),
            "db_pool_max_connections": Config.DB_POOL_MAX_CONNECTIONS}


def run_bench(names: list[str], *, articles: int, out: Path, chart: Path | None, **options) -> dict:
    """`make bench`: every scenario, with the ceilings, at `articles` articles."""
    started = datetime.now(UTC)
    with Bench(out=out, **options) as bench:
        bench.seed(articles)
        bench.warm_up([BY_NAME[name] for name in names])
        rss_seeded = bench.service.worker_rss_mib()  # after seeding and one warm-up pass
        results = {name: bench.measure(BY_NAME[name]) for name in names}
        rss_after = bench.service.worker_rss_mib()
    argon2 = argon2_cost.measure((Config.ARGON2_MEMORY_COST, Config.ARGON2_TIME_COST))
    summary = {
        "date": started.isoformat(timespec="seconds"), "machine": machine(), "articles": articles,
        "seconds_per_run": options["seconds"], "rounds": options["rounds"], "connections": options["connections"],
        "dataset": bench.dataset.counts(),
        "worker_rss_mib": {"after_seeding": rss_seeded, "after_bench": rss_after,
                           "growth": round(sum(rss_after) / sum(rss_seeded), 3)},
        "argon2id": argon2, "results": results,
    }
    print("\n" + report.table(results))
    print(f"\nworker RSS MiB after seeding {rss_seeded}, after the bench {rss_after}"
          f" ({summary['worker_rss_mib']['growth']:.0%})")
    for row in argon2:
        print(f"argon2id m={row['memory_kib']} t={row['time_cost']} p=1: {row['verify_ms']} ms per verify,"
              f" at most {row['max_logins_per_second']} logins/s{'  (current)' if row['current'] else ''}")
    _write(out, "bench", started, summary, chart, f"Conduit API vs ceilings, {articles} articles, {started:%Y-%m-%d}")
    return summary


def run_growth(*, articles: int, out: Path, chart: Path | None, **options) -> dict:
    """`make bench-growth`: list_anon, list_tag and feed at 1,000 articles, then at `articles`,
    where the deep pages (bench/deep_pages.py) are measured too."""
    started = datetime.now(UTC)
    sizes = {}
    with Bench(out=out, ceilings=False, **options) as bench:
        for size in (HTTP_SEEDED_ARTICLES, articles):
            bench.seed(size)
            print(f"\n{size} articles", flush=True)
            sizes[size] = {name: bench.measure(BY_NAME[name]) for name in GROWTH_SCENARIOS}
        client = HttpJsonClient(bench.service.url)
        deep = deep_page_scenarios(client, bench.seeded, (0, 10_000, articles - 20))
        print(f"\ndeep pages at {articles} articles", flush=True)
        deep_pages = {scenario.name: {**bench.measure(scenario),
                                      "articles_on_page": articles_on_page(client, scenario, bench.seeded),
                                      "alone_ms": alone_ms(client, scenario, bench.seeded)}
                      for scenario in deep}
    small, large = sizes[HTTP_SEEDED_ARTICLES], sizes[articles]
    kept = {name: round(large[name]["service"]["rps"] / small[name]["service"]["rps"], 3) for name in GROWTH_SCENARIOS}
    print()
    for name in GROWTH_SCENARIOS:
        print(f"{name:<12}{small[name]['service']['rps']:>8.0f} rps at {HTTP_SEEDED_ARTICLES}"
              f"{large[name]['service']['rps']:>8.0f} rps at {articles}   kept {kept[name]:.0%}"
              f"{'' if kept[name] >= 0.8 else '   (target 80%)'}")
    for name, figures in deep_pages.items():
        first_page = deep_pages[first_page_of(name)]
        figures["share_of_first_page"] = round(figures["service"]["rps"] / first_page["service"]["rps"], 3)
        figures["share_alone"] = round(first_page["alone_ms"] / figures["alone_ms"], 3)
    print("\n" + report.deep_page_table(deep_pages))
    summary = {"date": started.isoformat(timespec="seconds"), "machine": machine(),
               "seconds_per_run": options["seconds"], "sizes": {str(size): figures for size, figures in sizes.items()},
               "kept": kept, "deep_pages": deep_pages}
    _write(out, "growth", started, summary, chart, f"Growth: {HTTP_SEEDED_ARTICLES} vs {articles} articles")
    return summary


def _write(out: Path, kind: str, started: datetime, summary: dict, chart: Path | None, title: str) -> None:
    stamp = started.strftime("%Y%m%dT%H%M%SZ")
    json_path = out / f"{kind}-{stamp}.json"
    if kind == "bench":
        report.write_json(json_path, summary)
        results = summary["results"]
    else:
        json_path.write_text(json.dumps(summary, indent=2))
        results = {f"{name}@{size}": figures for size, by_name in summary["sizes"].items()
                   for name, figures in by_name.items()}
        results.update({f"deep {name}": figures for name, figures in summary["deep_pages"].items()})
    png_path = out / f"{kind}-{stamp}.png"
    report.draw_chart(png_path, results, title)
    if chart:
        chart.write_bytes(png_path.read_bytes())
    print(f"\nwrote {json_path} and {png_path}" + (f" (copied to {chart})" if chart else ""))
