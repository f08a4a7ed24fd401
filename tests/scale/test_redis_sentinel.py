"""Redis behind Sentinel: the service follows a failover of the primary, and sessions survive it.

The primary is killed, as in a crash. The sentinel promotes the replica within about a second;
meanwhile requests get 503 with Retry-After at most, never a 500, and then carry on with the
same session on the new primary.

A throwaway primary, its replica and one sentinel run on ports of their own; the app finds the
primary through the sentinel (REDIS_SENTINELS). The machine's shared Redis holds nothing here.
"""

import time
from datetime import timedelta

import pytest

from api import create_app
from settings import TestConfig
from tests.support.cluster_servers import RedisSentinel, RedisServer, running, wait_until
from tests.support.factories import auth_header, login, register

pytestmark = pytest.mark.slow

SERVICE = "conduit-test"


@pytest.fixture(scope="module")
def deployment(tmp_path_factory):
    directory = tmp_path_factory.mktemp("sentinel")
    # No delay before the replica's first sync (Redis waits 5 s by default, for more replicas).
    primary = RedisServer("primary", directory / "primary", "--repl-diskless-sync-delay", "0")
    replica = RedisServer("replica", directory / "replica", "--replicaof", "127.0.0.1", str(primary.port))
    sentinel = RedisSentinel("sentinel", directory / "sentinel", SERVICE, primary.port)
    with running(primary, replica):
        # The sentinel starts once the replica is attached, so its first look at the primary
        # finds the replica (the next look would be 10 s later): a failover needs one.
        wait_until(lambda: primary.client().info("replication")["connected_slaves"] == 1, "replica attached")
        with running(sentinel):
            wait_until(lambda: sentinel.client().sentinel_slaves(SERVICE), "sentinel sees the replica")
            yield primary, replica, sentinel


@pytest.fixture(scope="module")
def sentinel_app(deployment, test_settings):
    _, _, sentinel = deployment
    app = create_app(TestConfig, {
        **test_settings,
        "REDIS_SENTINELS": [f"127.0.0.1:{sentinel.port}"], "REDIS_SENTINEL_SERVICE": SERVICE,
        # Every authenticated request writes its session, so writes cross the failover too.
        "SESSION_TOUCH_INTERVAL": timedelta(0),
        "RATELIMIT_ENABLED": True, "RATELIMIT_LOGIN": "2 per 15 minutes",
    })
    yield app
    app.extensions["sql_pool"].close()


def current_primary_port(sentinel) -> int:
    return int(sentinel.client().sentinel_get_master_addr_by_name(SERVICE)[1])


def test_the_service_follows_a_failover_and_the_session_survives(deployment, sentinel_app):
    primary, replica, sentinel = deployment
    client = sentinel_app.test_client(use_cookies=False)
    user = register(client)
    session_key = sentinel_app.config["SESSION_KEY_PREFIX"] + user["token"]
    assert primary.client().exists(session_key)  # the app really writes to the throwaway primary
    wait_until(lambda: replica.client().exists(session_key), "session replicated", seconds=5)
    assert current_primary_port(sentinel) == primary.port

    primary.process.kill()  # the primary dies; the sentinel notices within a second and promotes the replica
    statuses, served_after_switch = [], False
    deadline = time.monotonic() + 20
    while not served_after_switch:  # keep asking through the switch until the new primary serves
        assert time.monotonic() < deadline, f"no answer from the new primary in 20 s: {statuses}"
        switched = current_primary_port(sentinel) == replica.port
        response = client.get("/api/user", headers=auth_header(user["token"]))
        statuses.append(response.status_code)
        assert response.status_code in (200, 503), response.get_json()  # never a 500
        if response.status_code == 503:
            assert int(response.headers["Retry-After"]) > 0
        served_after_switch = switched and response.status_code == 200
        time.sleep(0.02)

    # After the switch the session still works, and its writes land on the new primary.
    me = auth_header(user["token"])
    assert client.put("/api/user", json={"user": {"bio": "after the failover"}}, headers=me).status_code == 200
    assert replica.client().info("replication")["role"] == "master"
    assert replica.client().ttl(session_key) > 0
    relogin = login(client, user["email"])
    assert relogin.status_code == 200
    new_token = relogin.get_json()["user"]["token"]
    assert replica.client().exists(sentinel_app.config["SESSION_KEY_PREFIX"] + new_token)

    # The rate limiter found the new primary too: its counters are there.
    assert [login(client, user["email"], "wrong-password").status_code for _ in range(3)] == [401, 401, 429]
    assert replica.client().keys(sentinel_app.config["REDIS_KEY_PREFIX"] + "ratelimit*")
