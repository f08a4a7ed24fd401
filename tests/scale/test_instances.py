"""Two instances of the service (gunicorn, own ports) sharing only Redis and MariaDB.

Whatever one instance does to a session, a rate-limit counter or the tags cache, the other
sees at its very next request: neither keeps any of it in its own memory.
"""

import os

import pytest

from tests.support.cluster_servers import AppInstance, call, running
from tests.support.factories import DEFAULT_PASSWORD, unique

pytestmark = pytest.mark.slow

LOGIN_LIMIT = 3


@pytest.fixture(scope="module")
def instances(test_settings, tmp_path_factory):
    """Instances A and B, started side by side; always stopped at the end."""
    env = {
        **os.environ, **test_settings,
        "APP_ENV": "development", "LOG_LEVEL": "WARNING", "GUNICORN_THREADS": "2",
        "RATELIMIT_ENABLED": "true", "RATELIMIT_LOGIN": f"{LOGIN_LIMIT} per 15 minutes",
    }
    directory = tmp_path_factory.mktemp("instances")
    with running(AppInstance("instance-a", directory / "a"), AppInstance("instance-b", directory / "b"),
                 env=env) as (a, b):
        yield a.base_url, b.base_url


def token_header(token: str) -> dict:
    return {"Authorization": f"Token {token}"}


def register(base_url: str) -> tuple[dict, str]:
    """A new user, registered through the instance at `base_url`; returns (user, session cookie)."""
    username = unique()
    answer = call("POST", f"{base_url}/users", json_body={
        "user": {"username": username, "email": f"{username}@example.com", "password": DEFAULT_PASSWORD}})
    assert answer.status == 201, answer.json
    body, cookie = answer.json, answer.cookie("conduit_session")
    assert body is not None and cookie is not None, "a registration answers with the user and a session cookie"
    return body["user"], cookie


def log_in(base_url: str, email: str, password: str = DEFAULT_PASSWORD):
    return call("POST", f"{base_url}/users/login", json_body={"user": {"email": email, "password": password}})


def test_a_session_started_on_one_instance_works_on_the_other(instances):
    a, b = instances
    user, cookie = register(a)
    assert cookie == user["token"]
    by_token = call("GET", f"{b}/user", headers=token_header(user["token"]))
    by_cookie = call("GET", f"{b}/user", headers={"Cookie": f"conduit_session={cookie}"})
    assert by_token.status == by_cookie.status == 200
    assert by_token.json["user"]["username"] == by_cookie.json["user"]["username"] == user["username"]

    second = log_in(b, user["email"])
    assert second.status == 200
    listed = call("GET", f"{a}/user/sessions", headers=token_header(second.json["user"]["token"]))
    assert listed.status == 200
    assert len(listed.json["sessions"]) == 2


def test_a_revocation_on_one_instance_is_a_401_on_the_other_at_once(instances):
    a, b = instances
    user, _ = register(a)
    other_token = log_in(b, user["email"]).json["user"]["token"]
    assert call("GET", f"{b}/user", headers=token_header(user["token"])).status == 200

    sessions = call("GET", f"{b}/user/sessions", headers=token_header(other_token)).json["sessions"]
    [first_session] = [session for session in sessions if not session["current"]]
    revoked = call("DELETE", f"{b}/user/sessions/{first_session['id']}", headers=token_header(other_token))
    assert revoked.status == 204
    for instance in (a, b):
        assert call("GET", f"{instance}/user", headers=token_header(user["token"])).status == 401

    assert call("POST", f"{a}/users/logout", headers=token_header(other_token)).status == 204
    assert call("GET", f"{b}/user", headers=token_header(other_token)).status == 401


def test_failed_logins_count_across_instances(instances):
    a, b = instances
    user, _ = register(a)
    for attempt in range(LOGIN_LIMIT):
        instance = (a, b)[attempt % 2]
        assert log_in(instance, user["email"], "wrong-password").status == 401
    for instance in (b, a):  # over the limit everywhere, even with the right password
        blocked = log_in(instance, user["email"])
        assert blocked.status == 429
        assert 0 < int(blocked.headers["Retry-After"]) <= 15 * 60


def test_the_tags_cache_is_invalidated_for_every_instance(instances):
    a, b = instances
    user, _ = register(a)
    tag = unique("scale")
    for instance in (a, b):  # both have listed the tags: whatever either caches, it is now filled
        assert tag not in call("GET", f"{instance}/tags").json["tags"]

    created = call("POST", f"{a}/articles", headers=token_header(user["token"]), json_body={
        "article": {"title": unique("Title "), "description": "d", "body": "b", "tagList": [tag]}})
    assert created.status == 201
    assert tag in call("GET", f"{b}/tags").json["tags"]

    slug = created.json["article"]["slug"]
    assert call("DELETE", f"{b}/articles/{slug}", headers=token_header(user["token"])).status == 204
    assert tag not in call("GET", f"{a}/tags").json["tags"]
