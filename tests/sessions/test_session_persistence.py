"""Sessions outlive a restart of the Redis that `make run` starts (scripts/redis-session-store.conf)."""

import pytest

from tests.support.factories import auth_header, register
from tests.support.servers import SessionStoreRedis, throwaway_redis

pytestmark = pytest.mark.slow


@pytest.fixture
def session_store():
    with throwaway_redis(SessionStoreRedis) as server:
        yield server


@pytest.mark.parametrize("restart", ["clean", "crash"])
def test_a_session_survives_a_restart_of_redis_started_as_make_run_starts_it(make_app, session_store, restart):
    client = make_app(REDIS_URL=session_store.url).test_client(use_cookies=False)
    user = register(client)
    assert client.get("/api/user", headers=auth_header(user["token"])).status_code == 200

    if restart == "crash":
        session_store.kill()
    else:
        session_store.stop()
    session_store.start()

    response = client.get("/api/user", headers=auth_header(user["token"]))
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["user"]["username"] == user["username"]
