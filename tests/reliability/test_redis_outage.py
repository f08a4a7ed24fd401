"""Redis down: anonymous requests keep working, presented credentials get a quick 503 (never a
500, never a silent "anonymous"), and everything works again when Redis returns, without
restarting the app. Redis here is a throwaway server of our own (tests/support/servers.py)."""

import time
from datetime import timedelta

import pytest
import redis

from api.signals import article_created
from tests.support.factories import auth_header, login, register, unique
from tests.support.servers import throwaway_redis

pytestmark = pytest.mark.slow

UNAVAILABLE = "The service is temporarily unavailable (redis cannot be reached). Retry later."


@pytest.fixture(scope="module")
def redis_server():
    with throwaway_redis() as server:
        yield server


@pytest.fixture
def app(make_app, redis_server):
    # Under TESTING Flask re-raises errors no handler caught; a production app hands them to the
    # error handlers, the path a session that cannot be saved takes (process_response ->
    # handle_exception -> the 500 handler in api/errors.py, which answers 503). So: production's.
    return make_app(REDIS_URL=redis_server.url, PROPAGATE_EXCEPTIONS=False)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def redis_outage(redis_server):
    """Stop our Redis for the test; it is back (with its data) afterwards in any case."""
    redis_server.stop()
    yield redis_server
    if not redis_server.running:
        redis_server.start()


def assert_unavailable(response, started: float, within: float = 1.5) -> None:
    assert response.status_code == 503, response.get_data(as_text=True)
    assert response.headers["Retry-After"] == "5"
    assert response.is_json
    assert response.get_json() == {"errors": {"body": [UNAVAILABLE]}}
    assert "Set-Cookie" not in response.headers
    assert time.monotonic() - started < within, "an outage must be a quick 503, not a hang"


def test_health_reports_redis_down_with_503_and_the_usual_body(client, redis_outage):
    response = client.get("/api/health")

    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    body = response.get_json()
    assert body["status"] == "unavailable"
    assert body["redis"] == {"status": "down", "error": "ConnectionError"}
    assert body["mysql"]["status"] == "ok"


def test_requests_without_credentials_work_while_redis_is_down(client, redis_outage):
    user_email = f"{unique()}@example.com"

    wrong_login = login(client, user_email, "not-the-password")
    invalid_registration = client.post("/api/users", json={"user": {"email": "not-an-email"}})
    spec = client.get("/api/openapi.json")

    # A login checks no password without the session store: 503, whatever the password.
    assert wrong_login.status_code == 503 and "Retry-After" in wrong_login.headers
    assert invalid_registration.status_code == 422
    assert spec.status_code == 200


@pytest.mark.parametrize("request_kind", ["token", "cookie", "unknown-token"])
def test_presented_credentials_get_503_never_anonymous(app, client, redis_server, request_kind):
    user = register(client)
    token = "not-a-session-we-know" if request_kind == "unknown-token" else user["token"]
    client.delete_cookie(app.config["SESSION_COOKIE_NAME"])
    headers = auth_header(token)
    if request_kind == "cookie":
        client.set_cookie(app.config["SESSION_COOKIE_NAME"], token)
        headers = {}
    redis_server.stop()
    try:
        for method, path, body in [
            ("get", "/api/user", None),
            ("put", "/api/user", {"user": {"bio": "written during an outage"}}),
            ("post", "/api/users/logout", None),
        ]:
            started = time.monotonic()
            response = getattr(client, method)(path, json=body, headers=headers)
            assert_unavailable(response, started)
    finally:
        redis_server.start()


def test_login_and_registration_answer_503_when_the_session_cannot_be_saved(client, redis_server, caplog):
    user = register(client)  # the client now holds a session cookie too, as a browser would
    redis_server.stop()
    try:
        started = time.monotonic()
        assert_unavailable(login(client, user["email"]), started)
        started = time.monotonic()
        new_name = unique()
        registration = client.post(
            "/api/users",
            json={"user": {"username": new_name, "email": f"{new_name}@example.com", "password": "long-enough-pw"}},
        )
        assert_unavailable(registration, started)
    finally:
        redis_server.start()
    # Nothing half-done: the account was rolled back with the 503, so the same retry now succeeds.
    retry = client.post(
        "/api/users",
        json={"user": {"username": new_name, "email": f"{new_name}@example.com", "password": "long-enough-pw"}},
    )
    assert retry.status_code == 201, retry.get_json()
    # The failed save is not tried a second time while Flask finalizes the 503.
    assert not [record for record in caplog.records if "Request finalizing failed" in record.getMessage()]


def test_everything_works_again_when_redis_returns_without_an_app_restart(app, redis_server):
    client = app.test_client(use_cookies=False)
    user = register(client)
    # Warm the app's Redis connection pool, so its connections are the ones a crash leaves stale.
    for _ in range(3):
        assert client.get("/api/user", headers=auth_header(user["token"])).status_code == 200

    redis_server.kill()  # a crash, not a clean shutdown
    assert client.get("/api/user", headers=auth_header(user["token"])).status_code == 503
    redis_server.start()

    statuses = [client.get("/api/user", headers=auth_header(user["token"])).status_code for _ in range(5)]
    assert statuses == [200] * 5  # the session from before the outage, not one failure after it
    assert client.get("/api/health").status_code == 200
    fresh_login = login(client, user["email"])
    assert fresh_login.status_code == 200
    assert client.get("/api/user", headers=auth_header(fresh_login.get_json()["user"]["token"])).status_code == 200


def test_a_hung_redis_is_a_503_after_the_socket_timeout_then_recovers(make_app, redis_server):
    app = make_app(REDIS_URL=redis_server.url, REDIS_SOCKET_TIMEOUT=1, PROPAGATE_EXCEPTIONS=False)
    client = app.test_client(use_cookies=False)
    users = [register(client) for _ in range(2)]

    redis_server.pause()  # connections stay open, nothing answers
    try:
        for user in users:
            started = time.monotonic()
            assert_unavailable(client.get("/api/user", headers=auth_header(user["token"])), started, within=2.5)
    finally:
        redis_server.resume()

    # Redis now answers the timed-out commands too: none of those late replies may be read as
    # the answer to a later command (each caller must get its own session, not another's).
    for user in users * 3:
        response = client.get("/api/user", headers=auth_header(user["token"]))
        assert response.status_code == 200
        assert response.get_json()["user"]["username"] == user["username"]


@pytest.fixture
def redis_admin(redis_server):
    admin = redis.Redis(port=redis_server.port)
    yield admin
    admin.config_set("maxmemory", "0")
    admin.replicaof("NO", "ONE")
    admin.close()


@pytest.mark.parametrize("refusing, logout_status", [
    ("full", 204),  # a full Redis still deletes (that frees memory): logging out works
    ("read-only replica", 503),
])
def test_a_redis_that_refuses_writes_is_a_503_for_writes_only(client, redis_admin, refusing, logout_status):
    user = register(client)
    client.delete_cookie("conduit_session")
    if refusing == "full":
        redis_admin.config_set("maxmemory-policy", "noeviction")
        redis_admin.config_set("maxmemory", "1")
    else:  # what a failover leaves behind: this node now follows a master that is gone
        redis_admin.replicaof("127.0.0.1", "1")

    reading = client.get("/api/user", headers=auth_header(user["token"]))
    started = time.monotonic()
    logging_in = login(client, user["email"])
    assert_unavailable(logging_in, started)
    logging_out = client.post("/api/users/logout", headers=auth_header(user["token"]))

    assert reading.status_code == 200  # sessions can still be read
    assert logging_out.status_code == logout_status
    if logout_status == 503:
        assert logging_out.get_json() == {"errors": {"body": [UNAVAILABLE]}}


def test_a_committed_write_is_not_a_503_when_only_its_session_touch_fails(make_app, redis_server):
    """The request's own writes are done when the session's lastSeenAt is saved at its end: a
    503 then would make the client repeat a write that happened (a duplicate article)."""
    app = make_app(REDIS_URL=redis_server.url, PROPAGATE_EXCEPTIONS=False, SESSION_TOUCH_INTERVAL=timedelta(0))
    client = app.test_client(use_cookies=False)
    token = register(client)["token"]

    def redis_goes_down(sender, **_):
        redis_server.stop()

    try:
        with article_created.connected_to(redis_goes_down, app):
            response = client.post("/api/articles", headers=auth_header(token),
                                   json={"article": {"title": unique("Touched "), "description": "d", "body": "b"}})
    finally:
        redis_server.start()
    assert response.status_code == 201, response.get_data(as_text=True)
    slug = response.get_json()["article"]["slug"]
    assert client.get(f"/api/articles/{slug}").status_code == 200
    assert client.get("/api/user", headers=auth_header(token)).status_code == 200
