"""MySQL read replicas: reads on replicas, writes on the primary, read-your-writes, fallback.

A throwaway MariaDB primary (binary log on) and a replica that follows it run on ports of their
own; the machine's shared MariaDB is not involved. Which pool ran each statement is read from
the request's database context (`db.context().queries_by_pool`), and `@@server_id` says which server really answered.
"""

import time

import pytest

from api import create_app
from api.db import db
from api.migrations import upgrade
from settings import TestConfig
from tests.support.cluster_servers import MariaDBServer, install_all, replicate, running, wait_caught_up, wait_until
from tests.support.etags import body_hash
from tests.support.factories import DEFAULT_PASSWORD, auth_header, create_article, login, register, unique
from tests.support.probes import count_queries_by_pool

pytestmark = pytest.mark.slow

STICKY_SECONDS = 1
RETRY_SECONDS = 2


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    """(primary, replica), the replica following the primary, the schema migrated on the primary."""
    directory = tmp_path_factory.mktemp("mariadb")
    primary = MariaDBServer("primary", directory / "primary", 1, "--log-bin=binlog", "--binlog-format=ROW")
    replica = MariaDBServer("replica", directory / "replica", 2, "--read-only", "--relay-log=relay")
    install_all(primary, replica)
    with running(primary, replica):
        replicate(primary, replica)
        config = {name: getattr(TestConfig, name) for name in dir(TestConfig) if name.isupper()}
        upgrade({**config, "DATABASE_URL": primary.url("conduit_scale")})
        wait_caught_up(primary, replica)
        yield primary, replica


@pytest.fixture
def make_replica_app(servers, test_settings):
    """An app whose primary and replicas are the throwaway servers (replica URLs given by index:
    0 is the replica; the same URL twice gives two pools on it)."""
    primary, replica = servers
    built = []

    def factory(replica_count: int = 1):
        app = create_app(TestConfig, {
            **test_settings,
            "DATABASE_URL": primary.url("conduit_scale"),
            "DATABASE_REPLICA_URLS": [replica.url("conduit_scale")] * replica_count,
            "REPLICA_STICKY_SECONDS": STICKY_SECONDS, "REPLICA_RETRY_SECONDS": RETRY_SECONDS,
        })
        built.append(app)
        return app

    yield factory
    for app in built:
        app.extensions["sql_pool"].close()
        for replica_pool in app.extensions["sql_replicas"].replicas:
            replica_pool.pool.close()


def server_id() -> int:
    return db.fetch_present("SELECT @@server_id AS id")["id"]


def test_reads_go_to_the_replica_writes_and_transactions_to_the_primary(servers, make_replica_app):
    primary, replica = servers
    app = make_replica_app()
    api = app.test_client(use_cookies=False)
    author = register(api)
    tag = unique("replicated")
    create_article(api, author["token"], tagList=[tag])
    wait_caught_up(primary, replica)

    response, by_pool = count_queries_by_pool(api, "GET", f"/api/articles?tag={tag}")
    assert [article["tagList"] for article in response.get_json()["articles"]] == [[tag]]  # replicated
    # The page (tags in its rows) on the replica; the count fills a cache every caller shares,
    # so it is counted on the primary (a lagging replica would cache the past).
    assert by_pool == {"replica1": 1, "primary": 1} and response.get_json()["articlesCount"] == 1
    response, by_pool = count_queries_by_pool(api, "GET", f"/api/articles?tag={tag}")
    assert by_pool == {"replica1": 1}  # the count came from the cache
    response, by_pool = count_queries_by_pool(api, "GET", "/api/health")  # it asks about the primary
    assert response.status_code == 200 and by_pool == {"primary": 1}

    with app.app_context():
        assert server_id() == 2
    with app.app_context(), db.transaction():
        assert server_id() == 1  # a transaction reads what it is about to write
    with app.app_context():
        db.execute("DO 1")
        assert server_id() == 1  # after a write, the context's reads stay on the primary
        assert db.context().queries_by_pool == {"primary": 2}


def test_reads_take_turns_among_replicas(make_replica_app):
    app = make_replica_app(replica_count=2)
    api = app.test_client(use_cookies=False)
    username = register(api)["username"]
    turns = [count_queries_by_pool(api, "GET", f"/api/profiles/{username}")[1] for _ in range(4)]
    assert turns == [{"replica1": 1}, {"replica2": 1}, {"replica1": 1}, {"replica2": 1}]


def test_a_writer_reads_its_writes_while_the_replica_lags(servers, make_replica_app):
    primary, replica = servers
    app = make_replica_app()
    api = app.test_client(use_cookies=False)
    user = register(api)
    me = auth_header(user["token"])
    # Just registered (a write): the user's reads are on the primary, the replica may not have them yet.
    response, by_pool = count_queries_by_pool(api, "GET", "/api/user", headers=me)
    assert response.status_code == 200 and set(by_pool) == {"primary"}

    wait_caught_up(primary, replica)
    replica.query("STOP SLAVE SQL_THREAD")  # from now on the replica lags behind
    try:
        assert api.put("/api/user", json={"user": {"bio": "fresh"}}, headers=me).status_code == 200
        response, by_pool = count_queries_by_pool(api, "GET", f"/api/profiles/{user['username']}", headers=me)
        assert response.get_json()["profile"]["bio"] == "fresh" and set(by_pool) == {"primary"}
        # Anyone else reads the replica, which has not seen the change.
        response, by_pool = count_queries_by_pool(api, "GET", f"/api/profiles/{user['username']}")
        assert response.get_json()["profile"]["bio"] is None and set(by_pool) == {"replica1"}

        time.sleep(STICKY_SECONDS + 0.2)  # the writer's mark has expired: back to the replica
        _, by_pool = count_queries_by_pool(api, "GET", f"/api/profiles/{user['username']}", headers=me)
        assert "replica1" in by_pool
    finally:
        replica.query("START SLAVE SQL_THREAD")
    wait_caught_up(primary, replica)
    response, by_pool = count_queries_by_pool(api, "GET", f"/api/profiles/{user['username']}")
    assert response.get_json()["profile"]["bio"] == "fresh" and set(by_pool) == {"replica1"}


def test_the_tags_cache_is_refilled_from_the_primary_not_a_lagging_replica(servers, make_replica_app):
    _primary, replica = servers
    app = make_replica_app()
    api = app.test_client(use_cookies=False)
    author = register(api)
    api.get("/api/tags")  # the cache is filled
    replica.query("STOP SLAVE SQL_THREAD")
    try:
        tag = unique("lagging")
        create_article(api, author["token"], tagList=[tag])
        response, by_pool = count_queries_by_pool(api, "GET", "/api/tags")
        assert tag in response.get_json()["tags"] and set(by_pool) == {"primary"}
        # The replica does not know the tag yet: filled from it, the cache would miss it.
        assert not replica.query("SELECT 1 FROM conduit_scale.tags WHERE name = %s", (tag,))
    finally:
        replica.query("START SLAVE SQL_THREAD")


def test_a_stopped_replica_is_skipped_and_reads_fall_back_to_the_primary(servers, make_replica_app):
    primary, replica = servers
    app = make_replica_app()
    api = app.test_client(use_cookies=False)
    username = register(api)["username"]
    wait_caught_up(primary, replica)
    profile = f"/api/profiles/{username}"
    assert count_queries_by_pool(api, "GET", profile)[1] == {"replica1": 1}

    replica.stop()
    try:
        response, by_pool = count_queries_by_pool(api, "GET", profile)
        assert response.status_code == 200 and by_pool["primary"] == 1  # the failed attempt moved on
        response, by_pool = count_queries_by_pool(api, "GET", profile)
        assert response.status_code == 200 and by_pool == {"primary": 1}  # not even tried meanwhile
    finally:
        replica.start().wait_ready()
    # Once the retry interval is over, the next read tries the replica again, and it answers.
    wait_until(lambda: count_queries_by_pool(api, "GET", profile)[1] == {"replica1": 1},
               "reads back on the replica", seconds=RETRY_SECONDS + 10)


def test_authentication_decisions_read_the_primary_while_the_replica_lags(servers, make_replica_app):
    primary, replica = servers
    app = make_replica_app()
    api = app.test_client(use_cookies=False)
    changing, disabled = register(api), register(api)
    wait_caught_up(primary, replica)
    replica.query("STOP SLAVE SQL_THREAD")  # from now on the replica lags behind
    try:
        newcomer = register(api)  # not on the replica
        changed = api.put("/api/user", json={"user": {"password": "the-new-password-1"}},
                          headers=auth_header(changing["token"]))
        assert changed.status_code == 200
        assert app.test_cli_runner().invoke(args=["users", "disable", disabled["username"]]).exit_code == 0
        time.sleep(STICKY_SECONDS + 0.2)  # the writers' reads are no longer kept on the primary

        assert api.get("/api/user", headers=auth_header(newcomer["token"])).status_code == 200
        assert login(api, changing["email"], DEFAULT_PASSWORD).status_code == 401
        assert login(api, changing["email"], "the-new-password-1").status_code == 200
        assert login(api, disabled["email"], DEFAULT_PASSWORD).status_code == 401
    finally:
        replica.query("START SLAVE SQL_THREAD")
    wait_caught_up(primary, replica)


def test_a_body_read_on_a_replica_gets_its_etag_and_a_revalidation_reads_the_primary(servers, make_replica_app):
    """The ETag is the hash of the body, whichever server it came from (a lagging replica's body
    hashes to an older ETag). A revalidation reads the primary, from a snapshot no older than the
    generations it remembers its ETag under, and then needs no SQL while they stand."""
    primary, replica = servers
    app = make_replica_app()
    api = app.test_client(use_cookies=False)
    author = register(api)
    article = create_article(api, author["token"])
    wait_caught_up(primary, replica)
    url = f"/api/articles/{article['slug']}"

    on_replica, by_pool = count_queries_by_pool(api, "GET", url)
    assert set(by_pool) == {"replica1"}
    assert on_replica.status_code == 200
    assert on_replica.headers["ETag"] == f'"{body_hash(on_replica.get_data())}"'
    assert on_replica.headers["Cache-Control"] == "no-cache"

    headers = {"If-None-Match": on_replica.headers["ETag"]}
    revalidated, by_pool = count_queries_by_pool(api, "GET", url, headers=headers)
    assert set(by_pool) == {"primary"}
    assert revalidated.status_code == 304
    again, by_pool = count_queries_by_pool(api, "GET", url, headers=headers)
    assert again.status_code == 304 and by_pool == {}
