"""MySQL down or restarted: a quick 503 with Retry-After (never a 500); after it returns the pool
replaces its dead connections by itself, so no request fails on a stale one; sessions (in Redis)
outlive the database restart. MariaDB here is a throwaway server of our own (tests/support/servers.py)."""

import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack

import pytest

from api import create_app
from api.db import db
from api.migrations import upgrade
from settings import TestConfig
from tests.support.factories import auth_header, login, register
from tests.support.servers import throwaway_mariadb

pytestmark = pytest.mark.slow

POOL_SIZE = 4
UNAVAILABLE = "The service is temporarily unavailable (mysql cannot be reached). Retry later."


@pytest.fixture(scope="module")
def mariadb_server():
    with throwaway_mariadb() as server:
        yield server


@pytest.fixture(scope="module")
def app(test_settings, mariadb_server):
    application = create_app(TestConfig, {
        **test_settings,
        "DATABASE_URL": mariadb_server.url("conduit_outage"),
        "DB_POOL_MAX_CONNECTIONS": POOL_SIZE,
        # Production's error path (see test_redis_outage.py): no re-raising under TESTING.
        "PROPAGATE_EXCEPTIONS": False,
    })
    upgrade(application.config)
    yield application
    application.extensions["sql_pool"].close()


@pytest.fixture
def client(app):
    return app.test_client(use_cookies=False)


def warm_pool(app, connections: int) -> None:
    """Leave `connections` idle connections in the pool, each having served a query."""
    with ExitStack() as contexts:
        for _ in range(connections):  # one app context each, so each borrows its own connection
            contexts.enter_context(app.app_context())
            db.fetch_one("SELECT 1")
    assert app.extensions["sql_pool"].status()["idle"] == connections


def test_mysql_down_gives_a_quick_503_with_retry_after(app, client, mariadb_server):
    user = register(client)
    warm_pool(app, POOL_SIZE)
    mariadb_server.stop()
    try:
        for send in [
            lambda: client.get("/api/user", headers=auth_header(user["token"])),
            lambda: login(client, user["email"]),
            lambda: register_response(client),
        ]:
            started = time.monotonic()
            response = send()
            assert response.status_code == 503, response.get_data(as_text=True)
            assert response.headers["Retry-After"] == "5"
            assert response.get_json() == {"errors": {"body": [UNAVAILABLE]}}
            assert time.monotonic() - started < 2
        health = client.get("/api/health")
    finally:
        mariadb_server.start()

    assert health.status_code == 503
    assert health.get_json()["mysql"]["status"] == "down"
    assert health.get_json()["redis"]["status"] == "ok"
    assert app.extensions["sql_pool"].status()["inUse"] == 0  # failed requests gave theirs back


def register_response(client):
    return client.post("/api/users", json={"user": {"username": "outage", "email": "outage@example.com",
                                                    "password": "long-enough-pw"}})


def test_after_a_crash_and_restart_no_request_fails_on_a_stale_pooled_connection(app, mariadb_server):
    tokens = [register(app.test_client(use_cookies=False))["token"] for _ in range(POOL_SIZE)]
    warm_pool(app, POOL_SIZE)

    mariadb_server.kill()  # every pooled connection is now dead
    mariadb_server.start()

    def read_current_user(token):
        return app.test_client(use_cookies=False).get("/api/user", headers=auth_header(token)).status_code

    # As many requests at once as there are pooled connections, so each stale one is handed out.
    with ThreadPoolExecutor(POOL_SIZE) as executor:
        concurrent = list(executor.map(read_current_user, tokens))
    sequential = [read_current_user(token) for token in tokens * 2]

    assert concurrent == [200] * POOL_SIZE  # sessions in Redis outlived the database restart
    assert sequential == [200] * (2 * POOL_SIZE)
    assert app.extensions["sql_pool"].status() == {"inUse": 0, "idle": POOL_SIZE, "max": POOL_SIZE}


def test_a_transaction_right_after_a_restart_gets_a_live_connection(app, mariadb_server):
    # A transaction's first statement is not retried by DBUtils (it may not be repeated), so a
    # stale connection must be caught at checkout: that is DB_POOL_PING=1 (ping on checkout).
    warm_pool(app, POOL_SIZE)
    mariadb_server.restart()

    with ExitStack() as contexts:
        for _ in range(POOL_SIZE):
            contexts.enter_context(app.app_context())
            with db.transaction():
                assert db.fetch_one("SELECT 1 AS alive") == {"alive": 1}


def test_a_database_restart_keeps_sessions_and_data(app, client, mariadb_server):
    user = register(client)
    mariadb_server.restart()

    current = client.get("/api/user", headers=auth_header(user["token"]))
    fresh_login = login(client, user["email"])

    assert current.status_code == 200
    assert current.get_json()["user"]["username"] == user["username"]
    assert fresh_login.status_code == 200


def test_a_hung_mysql_is_a_503_within_a_few_read_timeouts_then_recovers(app, mariadb_server, test_settings):
    read_timeout = 1
    hung_app = create_app(TestConfig, {
        **test_settings,
        "DATABASE_URL": app.config["DATABASE_URL"],
        "DB_READ_TIMEOUT": read_timeout,
        "DB_CONNECT_TIMEOUT": read_timeout,
        "PROPAGATE_EXCEPTIONS": False,
    })
    client = hung_app.test_client(use_cookies=False)
    user = register(client)
    try:
        mariadb_server.pause()  # connections stay open, nothing answers
        try:
            started = time.monotonic()
            response = client.get("/api/user", headers=auth_header(user["token"]))
            elapsed = time.monotonic() - started
        finally:
            mariadb_server.resume()
        after = [client.get("/api/user", headers=auth_header(user["token"])).status_code for _ in range(3)]
    finally:
        hung_app.extensions["sql_pool"].close()

    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    # The checkout ping, the reconnect and DBUtils' retry each wait one read timeout: the
    # budget behind the DB_READ_TIMEOUT default (5 of them must fit in gunicorn's timeout).
    assert elapsed < 5 * read_timeout + 2
    assert after == [200] * 3
