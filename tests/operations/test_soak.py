"""A short soak through the code of `make soak`: gunicorn with gunicorn.conf.py on its own
database, the mixed load over loopback for a few seconds, then its checks. The memory limit is
left to the long run (a few seconds cannot tell a leak from warm-up slack)."""

import dataclasses
import re

import pymysql
import pytest

from bench.soak import SoakResult, run_soak
from bench.soak_traffic import Tally
from settings import Config
from settings.pool import DatabaseAddress

pytestmark = pytest.mark.slow

SUMMARY = re.compile(
    r"^soak: \d+ s, [\d,]+ requests, (?P<errors>\d+) errors, p50 \d+ ms, p99 \d+ ms, "
    r"RSS [\d.]+ -> [\d.]+ MiB \([+-]\d+\.\d%\), pool in use after (?P<in_use>\d+)/(?P<max>\d+), "
    r"mysql connections after (?P<mysql>\d+)$")


@pytest.fixture(scope="module")
def soak(tmp_path_factory):
    return run_soak(seconds=8, warmup=3, concurrency=4, users=6, articles=20,
                    log_dir=tmp_path_factory.mktemp("soak"), say=lambda line: None)


def test_the_load_meets_no_error(soak):
    assert soak.errors == 0, soak.report()
    assert soak.measured.requests > 100
    # Every operation of the mix ran, writes included.
    assert {"list", "feed", "create_article", "delete_article", "favorite", "follow", "add_comment",
            "delete_comment"} <= set(soak.measured.by_operation)


def test_nothing_is_left_holding_a_connection(soak):
    assert soak.pool_in_use == 0, soak.report()
    assert 0 < soak.pool_idle <= soak.pool_max
    assert soak.mysql_connections_end <= soak.pool_max
    assert soak.failures(max_rss_growth=None) == []


def test_the_last_line_states_the_figures(soak):
    match = SUMMARY.match(soak.summary_line())
    assert match, soak.summary_line()
    assert (int(match["errors"]), int(match["in_use"]), int(match["max"]), int(match["mysql"])) == (
        0, 0, soak.pool_max, soak.mysql_connections_end)


def test_its_database_and_redis_keys_are_dropped(soak, redis_client):
    config = {name: getattr(Config, name) for name in dir(Config) if name.isupper()}
    address = DatabaseAddress.from_url(config["DATABASE_URL"])
    connection = pymysql.connect(**address.connect_kwargs(config, with_database=False))
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) AS n FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = %s",
                           (f"conduit_soak_{soak.run_id}",))
            assert cursor.fetchone()["n"] == 0
    finally:
        connection.close()
    assert list(redis_client.scan_iter(match=f"conduit-soak-{soak.run_id}:*")) == []


def test_each_broken_check_fails_the_soak():
    """The verdict without a server: every check, alone, names what it found."""
    slow_tail = Tally(latencies_ms=[5.0] * 99 + [90.0])
    passing = SoakResult(run_id="x", seconds=10, warm_up=Tally(), measured=slow_tail,
                         rss_start_mib=[100.0, 100.0], rss_end_mib=[101.0, 101.0], workers_restarted=False,
                         pool_in_use=0, pool_idle=3, pool_max=16,
                         mysql_connections_start=3, mysql_connections_end=3)

    def result(**changes):
        return dataclasses.replace(passing, **changes)

    assert result().failures() == []
    assert result().measured.percentile_ms(0.99) == 5.0 and result().measured.percentile_ms(1.0) == 90.0
    assert result(warm_up=Tally(latencies_ms=[1.0], errors=1)).failures() == ["1 requests failed"]
    assert result(pool_in_use=1).failures() == ["1 pooled connections still in use after the drain"]
    assert result(mysql_connections_end=17).failures() == [
        "MariaDB holds 17 connections, more than the pools' 16"]
    assert result(workers_restarted=True).failures() == ["a gunicorn worker was replaced during the run"]
    grown = result(rss_end_mib=[160.0, 160.0])
    assert grown.failures() == ["worker RSS grew +60.0%, above 50%"]
    assert grown.failures(max_rss_growth=None) == []
