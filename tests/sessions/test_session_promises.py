"""The promises of a server-side session, each against real Redis and MariaDB, races included:
the store never unpickles, a revoked session never comes back, a password change ends every
session of the old password whatever the timing, a failed registration leaves no session, a
cookie-keeping client keeps its tokens, sessions have an absolute lifetime and a bound."""

import pickle
import threading
import time
from datetime import timedelta

import pytest

from api.data import sessions as stored_sessions
from api.signals import session_revoked, user_logged_in
from tests.support.factories import DEFAULT_PASSWORD, auth_header, login, register, unique
from tests.support.probes import recorded


def status_of(client, token: str) -> int:
    return client.get("/api/user", headers=auth_header(token)).status_code


def session_key(app, token: str) -> str:
    return app.config["SESSION_KEY_PREFIX"] + token


# --- the store trusts nothing


class PlantedPayload:
    """What an attacker with write access to one Redis key plants: unpickling it runs code."""

    def __init__(self, marker_path: str):
        self.marker_path = marker_path

    def __reduce__(self):
        return (open, (self.marker_path, "w"))


def test_a_planted_pickle_is_a_dead_session_and_never_runs(app, client, redis_client, tmp_path, caplog):
    marker = tmp_path / "the-pickle-ran"
    token = unique("planted-token-")
    redis_client.set(session_key(app, token), pickle.dumps(PlantedPayload(str(marker))))

    response = client.get("/api/user", headers=auth_header(token))

    assert response.status_code == 401
    assert response.get_json()["errors"]["body"] == ["The session token is invalid, expired or revoked. Log in again."]
    assert not marker.exists()
    assert any("not a session" in record.getMessage() for record in caplog.records)


@pytest.mark.parametrize("payload", [b"\x93\x01\x02\x03", b'"just a string"', b"\xc1", b"{not json"])
def test_a_value_that_is_not_a_session_map_is_refused(app, client, redis_client, payload):
    token = unique("planted-token-")
    redis_client.set(session_key(app, token), payload)
    assert client.get("/api/profiles/nobody", headers=auth_header(token)).status_code == 401


# --- revocation is final


def test_a_session_revoked_while_its_login_finishes_stays_revoked(app, redis_client):
    """`users disable` (or a password change) ends every session while a login is between
    storing its session and answering: the login's end-of-request save must not recreate it."""
    user = register(app.test_client(use_cookies=False))

    def revoke_everything(sender, user, **_):
        stored_sessions.revoke_sessions_except(user["id"], None)

    with user_logged_in.connected_to(revoke_everything, app):
        response = login(app.test_client(use_cookies=False), user["email"])
    token = response.get_json()["user"]["token"]

    assert redis_client.exists(session_key(app, token)) == 0
    assert status_of(app.test_client(use_cookies=False), token) == 401


@pytest.fixture
def racing_app(make_app):
    """An app whose per-account bound of sessions is out of the way: a fast machine logs in more
    than SESSION_MAX_PER_USER times in a race, and the bound would end the owner's own session."""
    return make_app(SESSION_MAX_PER_USER=100_000)


def test_no_login_with_the_old_password_survives_its_change(racing_app):
    """Logins with the old password race the owner's password change: once the change has
    answered, not one of their sessions may still be accepted. Repeated, so that the race's
    windows (verified before the change, stored after the revocation) are hit for sure."""
    app = racing_app
    api = app.test_client(use_cookies=False)
    survivors = []
    for _ in range(3):
        owner = register(api)
        stop = threading.Event()
        old_password_tokens: list[str] = []

        # The threads are joined within the iteration: the loop variables cannot change under them.
        def keep_logging_in():
            client = app.test_client(use_cookies=False)
            while not stop.is_set():  # noqa: B023
                response = login(client, owner["email"], DEFAULT_PASSWORD)  # noqa: B023
                if response.status_code == 200:
                    old_password_tokens.append(response.get_json()["user"]["token"])  # noqa: B023

        threads = [threading.Thread(target=keep_logging_in) for _ in range(4)]
        for thread in threads:
            thread.start()
        time.sleep(0.5)
        change = api.put("/api/user", headers=auth_header(owner["token"]),
                         json={"user": {"password": "the-new-password-1"}})
        answered = len(old_password_tokens)
        time.sleep(0.5)
        stop.set()
        for thread in threads:
            thread.join()
        assert change.status_code == 200, change.get_json()
        assert answered > 0, "no old-password login finished before the change: the race was not run"
        survivors += [token for token in old_password_tokens if status_of(api, token) != 401]
        assert status_of(api, owner["token"]) == 200
    assert survivors == []


def test_a_disabled_account_keeps_no_session_from_a_racing_login(racing_app, runner_for):
    app = racing_app
    api = app.test_client(use_cookies=False)
    user = register(api)
    stop = threading.Event()
    tokens: list[str] = []

    def keep_logging_in():
        client = app.test_client(use_cookies=False)
        while not stop.is_set():
            response = login(client, user["email"])
            if response.status_code == 200:
                tokens.append(response.get_json()["user"]["token"])

    threads = [threading.Thread(target=keep_logging_in) for _ in range(3)]
    for thread in threads:
        thread.start()
    time.sleep(0.4)
    result = runner_for(app).invoke(args=["users", "disable", user["username"]])
    time.sleep(0.3)
    stop.set()
    for thread in threads:
        thread.join()
    assert result.exit_code == 0, result.output
    assert tokens, "no login finished before the account was disabled"
    assert [token for token in tokens if status_of(api, token) != 401] == []


@pytest.fixture
def runner_for():
    return lambda application: application.test_cli_runner()


# --- real clients keep working


@pytest.mark.parametrize("second_account", ["register", "login"])
def test_a_cookie_keeping_client_keeps_the_token_it_saved(app, second_account):
    """Postman and newman keep a cookie jar and also send the token they saved."""
    jar = app.test_client()
    first = register(app.test_client(use_cookies=False))
    first_token = login(jar, first["email"]).get_json()["user"]["token"]  # the jar now holds A's cookie
    if second_account == "register":
        second_token = register(jar)["token"]  # A's cookie rides along
    else:
        second = register(app.test_client(use_cookies=False))
        second_token = login(jar, second["email"]).get_json()["user"]["token"]

    assert second_token != first_token
    assert jar.get("/api/user", headers=auth_header(first_token)).status_code == 200
    assert jar.get("/api/user").get_json()["user"]["token"] == second_token  # the cookie is the new one


def test_logging_in_ends_the_previous_anonymous_session_of_the_cookie(app, redis_client):
    anonymous = unique("anonymous-session-")
    redis_client.set(session_key(app, anonymous), app.session_interface.serializer.encode({"cart": 1}))
    browser = app.test_client()
    browser.set_cookie(app.config["SESSION_COOKIE_NAME"], anonymous)
    register(browser)
    assert redis_client.exists(session_key(app, anonymous)) == 0


# --- lifetimes and bounds


def test_a_session_in_use_still_dies_at_its_absolute_lifetime(make_app, redis_client):
    app = make_app(SESSION_ABSOLUTE_LIFETIME=timedelta(seconds=2), SESSION_TOUCH_INTERVAL=timedelta(0))
    client = app.test_client(use_cookies=False)
    user = register(client)
    listed = client.get("/api/user/sessions", headers=auth_header(user["token"])).get_json()["sessions"][0]
    assert redis_client.ttl(session_key(app, user["token"])) <= 2
    statuses = []
    deadline = time.monotonic() + 3
    while time.monotonic() < deadline:
        statuses.append(status_of(client, user["token"]))
        time.sleep(0.2)
    assert statuses[0] == 200 and statuses[-1] == 401
    assert statuses == sorted(statuses)  # alive, then dead for good: never alive again
    assert listed["expiresAt"] <= _plus_seconds(listed["createdAt"], 2)


def _plus_seconds(timestamp: str, seconds: int) -> str:
    from datetime import datetime

    moment = datetime.strptime(timestamp, "%Y-%m-%dT%H:%M:%S.%fZ") + timedelta(seconds=seconds)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def test_a_login_beyond_the_bound_ends_the_least_recently_used_session(make_app):
    app = make_app(SESSION_MAX_PER_USER=3, SESSION_TOUCH_INTERVAL=timedelta(0))
    client = app.test_client(use_cookies=False)
    user = register(client)
    second = login(client, user["email"]).get_json()["user"]["token"]
    third = login(client, user["email"]).get_json()["user"]["token"]
    time.sleep(0.01)
    assert status_of(client, user["token"]) == 200  # the first is used again: `second` is now the least recent
    assert status_of(client, third) == 200

    with recorded(session_revoked, app) as revocations:
        fourth = login(client, user["email"]).get_json()["user"]["token"]

    assert [status_of(client, token) for token in (user["token"], second, third, fourth)] == [200, 401, 200, 200]
    assert len(revocations) == 1 and revocations[0]["reason"] == "limit"
    assert len(revocations[0]["session_ids"]) == 1
    events = client.get("/api/user/activity", headers=auth_header(fourth)).get_json()["events"]
    assert [(event["type"], event["reason"]) for event in events[:2]] == [("login", None), ("session_revoked", "limit")]


def test_sessions_are_listed_a_page_at_a_time_with_the_total(client):
    user = register(client)
    for _ in range(3):
        login(client.application.test_client(), user["email"])
    whole = client.get("/api/user/sessions", headers=auth_header(user["token"])).get_json()
    page = client.get("/api/user/sessions?limit=2&offset=1", headers=auth_header(user["token"])).get_json()
    assert whole["sessionsCount"] == page["sessionsCount"] == 4
    assert len(whole["sessions"]) == 4
    assert [item["id"] for item in page["sessions"]] == [item["id"] for item in whole["sessions"][1:3]]
    bad = client.get("/api/user/sessions?limit=0", headers=auth_header(user["token"]))
    assert bad.status_code == 422 and "limit" in bad.get_json()["errors"]
