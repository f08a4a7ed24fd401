"""A user sees every live session and can end any of them; ended or expired tokens are 401 at once."""

import re
import time
from datetime import datetime, timedelta

from flask import request

from api.sessions import user_sessions_key
from tests.support.factories import DEFAULT_PASSWORD, auth_header, login, register

TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")


def _parse(timestamp: str) -> datetime:
    return datetime.strptime(timestamp, "%Y-%m-%dT%H:%M:%S.%fZ")


def list_sessions(client, token: str) -> list[dict]:
    response = client.get("/api/user/sessions", headers=auth_header(token))
    assert response.status_code == 200, response.get_json()
    return response.get_json()["sessions"]


def new_login(client, user: dict, **extra) -> str:
    """Log in from a new device (a fresh cookie jar); returns the new token."""
    response = login(client.application.test_client(), user["email"], **extra)
    assert response.status_code == 200, response.get_json()
    return response.get_json()["user"]["token"]


def index_members(app, redis_client, token: str) -> set[str]:
    """The raw session ids in the Redis index of the user whose live session `token` is."""
    payload = redis_client.get(app.config["SESSION_KEY_PREFIX"] + token)
    user_id = app.session_interface.serializer.decode(payload)["user_id"]
    key = user_sessions_key(app.config["REDIS_KEY_PREFIX"], user_id)
    return {sid.decode() for sid in redis_client.zrange(key, 0, -1)}


def test_listing_marks_the_current_session_and_never_shows_a_token(client):
    user = register(client)
    other = new_login(client, user, headers={"User-Agent": "PhoneBrowser/2.0"})
    response = client.get("/api/user/sessions", headers=auth_header(user["token"]))
    assert response.status_code == 200
    sessions = response.get_json()["sessions"]
    assert len(sessions) == 2
    assert sorted(item["current"] for item in sessions) == [False, True]
    assert user["token"] not in response.get_data(as_text=True)
    assert other not in response.get_data(as_text=True)
    phone = next(item for item in sessions if not item["current"])
    assert phone["userAgent"] == "PhoneBrowser/2.0"
    assert phone["ip"] == "127.0.0.1"
    for item in sessions:
        assert set(item) == {"id", "createdAt", "lastSeenAt", "expiresAt", "userAgent", "ip", "current"}
        assert all(TIMESTAMP.match(item[field]) for field in ("createdAt", "lastSeenAt", "expiresAt"))
    # newest first
    assert sessions[0]["id"] == phone["id"]


def test_public_id_is_not_a_usable_token(client):
    user = register(client)
    public_id = list_sessions(client, user["token"])[0]["id"]
    assert client.get("/api/user", headers=auth_header(public_id)).status_code == 401


def test_revoking_one_session_kills_its_token_on_the_next_request(client):
    user = register(client)
    doomed = new_login(client, user)
    doomed_id = next(item["id"] for item in list_sessions(client, doomed) if item["current"])
    response = client.delete(f"/api/user/sessions/{doomed_id}", headers=auth_header(user["token"]))
    assert response.status_code == 204
    assert client.get("/api/user", headers=auth_header(doomed)).status_code == 401
    assert client.get("/api/user", headers=auth_header(user["token"])).status_code == 200
    assert doomed_id not in {item["id"] for item in list_sessions(client, user["token"])}


def test_revoking_the_current_session_logs_the_browser_out(app):
    browser = app.test_client()
    register(browser)
    current_id = browser.get("/api/user/sessions").get_json()["sessions"][0]["id"]
    response = browser.delete(f"/api/user/sessions/{current_id}")
    assert response.status_code == 204
    assert "conduit_session=;" in response.headers["Set-Cookie"]
    assert browser.get("/api/user").status_code == 401


def test_someone_elses_session_id_is_404_and_leaves_it_alive(app, client):
    owner, stranger = register(client), register(app.test_client())
    owner_session_id = list_sessions(client, owner["token"])[0]["id"]
    response = client.delete(f"/api/user/sessions/{owner_session_id}", headers=auth_header(stranger["token"]))
    assert response.status_code == 404
    assert response.get_json()["errors"]["body"] == ["The caller has no live session with this id."]
    assert client.get("/api/user", headers=auth_header(owner["token"])).status_code == 200


def test_unknown_session_id_is_404(client):
    user = register(client)
    for bogus in ("0" * 32, "not-even-hex", user["token"]):
        response = client.delete(f"/api/user/sessions/{bogus}", headers=auth_header(user["token"]))
        assert response.status_code == 404, bogus
    assert client.get("/api/user", headers=auth_header(user["token"])).status_code == 200


def test_revoking_all_others_keeps_only_the_current_one(client):
    user = register(client)
    others = [new_login(client, user) for _ in range(3)]
    response = client.delete("/api/user/sessions", headers=auth_header(user["token"]))
    assert response.status_code == 204
    for token in others:
        assert client.get("/api/user", headers=auth_header(token)).status_code == 401
    remaining = list_sessions(client, user["token"])
    assert len(remaining) == 1 and remaining[0]["current"]


def test_password_change_revokes_every_other_session_and_keeps_this_one(client):
    user = register(client)
    other = new_login(client, user)
    response = client.put("/api/user", headers=auth_header(user["token"]),
                          json={"user": {"password": "a-brand-new-password"}})
    assert response.status_code == 200
    assert response.get_json()["user"]["token"] == user["token"]
    assert client.get("/api/user", headers=auth_header(other)).status_code == 401
    assert client.get("/api/user", headers=auth_header(user["token"])).status_code == 200
    assert len(list_sessions(client, user["token"])) == 1
    assert login(client, user["email"], DEFAULT_PASSWORD).status_code == 401


def test_other_changes_leave_other_sessions_alone(client):
    user = register(client)
    other = new_login(client, user)
    client.put("/api/user", headers=auth_header(user["token"]), json={"user": {"bio": "still me"}})
    assert client.get("/api/user", headers=auth_header(other)).status_code == 200


def test_sessions_endpoints_need_authentication(client):
    assert client.get("/api/user/sessions").status_code == 401
    assert client.delete("/api/user/sessions").status_code == 401
    assert client.delete(f"/api/user/sessions/{'0' * 32}").status_code == 401


def test_expired_session_is_401_and_drops_out_of_the_index(make_app, redis_client):
    app = make_app(SESSION_SHORT_LIFETIME=timedelta(seconds=1))
    client = app.test_client()
    user = register(client)  # long-lived
    short = new_login(client, user, remember=False)
    assert short in index_members(app, redis_client, user["token"])
    time.sleep(1.5)
    assert client.get("/api/user", headers=auth_header(short)).status_code == 401
    assert [item["current"] for item in list_sessions(client, user["token"])] == [True]
    assert index_members(app, redis_client, user["token"]) == {user["token"]}


def test_remember_false_session_lists_the_short_expiry(app, client):
    user = register(client)
    short = new_login(client, user, remember=False)
    item = next(item for item in list_sessions(client, short) if item["current"])
    lifetime = (_parse(item["expiresAt"]) - _parse(item["createdAt"])).total_seconds()
    assert abs(lifetime - app.config["SESSION_SHORT_LIFETIME"].total_seconds()) < 5


def test_touch_refreshes_last_seen_and_slides_the_expiry(make_app, redis_client):
    app = make_app(SESSION_TOUCH_INTERVAL=timedelta(0), PERMANENT_SESSION_LIFETIME=timedelta(seconds=30))
    client = app.test_client()
    user = register(client)
    key = app.config["SESSION_KEY_PREFIX"] + user["token"]
    first = list_sessions(client, user["token"])[0]
    time.sleep(1.1)
    assert client.get("/api/user", headers=auth_header(user["token"])).status_code == 200
    second = list_sessions(client, user["token"])[0]
    assert _parse(second["lastSeenAt"]) > _parse(first["lastSeenAt"])
    assert _parse(second["expiresAt"]) > _parse(first["expiresAt"])
    assert redis_client.ttl(key) >= 29


def test_registration_starts_a_fresh_session_and_leaves_the_browsers_previous_login_alive(app, redis_client):
    """A client may hold the previous session as a token too (test_session_promises.py)."""
    browser = app.test_client()
    first = register(browser)
    second = register(browser)
    assert second["token"] != first["token"]
    assert browser.get("/api/user").get_json()["user"]["token"] == second["token"]
    assert redis_client.exists(app.config["SESSION_KEY_PREFIX"] + first["token"]) == 1
    planted = "planted-session-id-for-registration-0001"
    fresh = app.test_client()
    fresh.set_cookie("conduit_session", planted)
    assert register(fresh)["token"] != planted
    assert redis_client.exists(app.config["SESSION_KEY_PREFIX"] + planted) == 0


def test_a_request_in_flight_cannot_bring_back_a_revoked_session(app, client, redis_client):
    user = register(client)
    doomed = new_login(client, user)
    key = app.config["SESSION_KEY_PREFIX"] + doomed
    interface = app.session_interface
    with app.test_request_context(headers=auth_header(doomed)):
        in_flight = interface.open_session(app, request)
        assert in_flight.get("user_id") is not None
        # Meanwhile, the user ends that session from elsewhere ...
        assert client.delete("/api/user/sessions", headers=auth_header(user["token"])).status_code == 204
        # ... and the in-flight request refreshes lastSeenAt and saves on its way out.
        in_flight["last_seen_at"] = time.time()
        interface.save_session(app, in_flight, app.response_class())
    assert redis_client.exists(key) == 0
    assert doomed not in index_members(app, redis_client, user["token"])
    assert client.get("/api/user", headers=auth_header(doomed)).status_code == 401


def test_session_ip_ignores_forwarded_for_without_trusted_proxies(make_app):
    client = make_app(TRUSTED_PROXY_HOPS=0).test_client()
    user = register(client)
    token = new_login(client, user, headers={"X-Forwarded-For": "203.0.113.9"})
    assert {item["ip"] for item in list_sessions(client, token)} == {"127.0.0.1"}


def test_session_ip_comes_from_the_trusted_proxy_hop(make_app):
    client = make_app(TRUSTED_PROXY_HOPS=1).test_client()
    user = register(client)
    token = new_login(client, user, headers={"X-Forwarded-For": "198.51.100.1, 203.0.113.9"})
    mine = next(item for item in list_sessions(client, token) if item["current"])
    # One trusted hop: the address that proxy saw, not what the client claimed before it.
    assert mine["ip"] == "203.0.113.9"
