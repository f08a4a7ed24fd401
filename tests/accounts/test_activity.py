"""The activity log: every security event of an account, with IP and user agent, newest first."""

from contextlib import contextmanager

from flask import request_finished

from api.db import db
from tests.support.factories import auth_header, login, register


def activity(client, token: str, query: str = "") -> dict:
    response = client.get(f"/api/user/activity{query}", headers=auth_header(token))
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def device(client, name: str):
    """A separate browser identifying itself as `name` (one cookie jar per device)."""
    other = client.application.test_client()
    other.environ_base["HTTP_USER_AGENT"] = name
    return other


@contextmanager
def counted_queries(app):
    """Collects the SQL statement count of each request made inside the block."""
    counts = []

    def record(sender, response, **extra):
        counts.append(db.context().query_count)

    request_finished.connect(record, app)
    try:
        yield counts
    finally:
        request_finished.disconnect(record, app)


def test_each_security_event_is_recorded_with_ip_and_user_agent(client):
    user = register(device(client, "agent-register"))
    assert login(device(client, "agent-failed"), user["email"], "wrong-password").status_code == 401
    laptop, phone = device(client, "agent-laptop"), device(client, "agent-phone")
    laptop_token = login(laptop, user["email"]).get_json()["user"]["token"]
    phone_token = login(phone, user["email"]).get_json()["user"]["token"]
    phone_id = next(item["id"] for item in phone.get("/api/user/sessions", headers=auth_header(phone_token))
                    .get_json()["sessions"] if item["current"])
    assert laptop.delete(f"/api/user/sessions/{phone_id}", headers=auth_header(laptop_token)).status_code == 204
    changed = laptop.put("/api/user", headers=auth_header(laptop_token),
                         json={"user": {"password": "another-good-password"}})
    assert changed.status_code == 200
    tablet = device(client, "agent-tablet")
    tablet_token = login(tablet, user["email"], "another-good-password").get_json()["user"]["token"]
    assert laptop.post("/api/users/logout", headers=auth_header(laptop_token)).status_code == 204

    log = activity(tablet, tablet_token)
    assert [(event["type"], event["userAgent"]) for event in log["events"]] == [
        ("logout", "agent-laptop"),
        ("login", "agent-tablet"),
        ("password_changed", "agent-laptop"),
        ("session_revoked", "agent-laptop"),
        ("login", "agent-phone"),
        ("login", "agent-laptop"),
        ("login_failed", "agent-failed"),
        ("registered", "agent-register"),
    ]
    assert log["eventsCount"] == 8
    assert {event["ip"] for event in log["events"]} == {"127.0.0.1"}
    assert all(event["createdAt"].endswith("Z") for event in log["events"])


def test_revoking_all_others_records_one_event_per_session_ended(client):
    user = register(client)
    for _ in range(3):
        assert login(client.application.test_client(), user["email"]).status_code == 200
    assert client.delete("/api/user/sessions", headers=auth_header(user["token"])).status_code == 204
    # Nothing left to end: no event.
    assert client.delete("/api/user/sessions", headers=auth_header(user["token"])).status_code == 204
    types = [event["type"] for event in activity(client, user["token"])["events"]]
    assert types == ["session_revoked"] * 3 + ["login"] * 3 + ["registered"]


def test_activity_is_paged_newest_first_with_the_total(client):
    user = register(client)
    for _ in range(4):
        login(client.application.test_client(), user["email"], "wrong-password")
    whole = activity(client, user["token"])
    page = activity(client, user["token"], "?limit=2&offset=1")
    assert whole["eventsCount"] == page["eventsCount"] == 5
    assert page["events"] == whole["events"][1:3]
    assert activity(client, user["token"], "?offset=5")["events"] == []


def test_activity_costs_the_same_queries_for_any_page_size(app, client):
    user = register(client)
    for _ in range(3):
        login(app.test_client(), user["email"], "wrong-password")
    with counted_queries(app) as counts:
        activity(client, user["token"], "?limit=1")
        activity(client, user["token"], "?limit=100")
    assert counts[0] == counts[1] == 2  # the page, the count (the caller comes from the session)


def test_activity_shows_only_the_callers_events(app, client):
    mine, theirs = register(client), register(app.test_client())
    login(app.test_client(), theirs["email"], "wrong-password")
    assert [event["type"] for event in activity(client, mine["token"])["events"]] == ["registered"]


def test_activity_rejects_bad_paging_and_anonymous_callers(app, client):
    user = register(client)
    response = client.get("/api/user/activity?limit=0", headers=auth_header(user["token"]))
    assert response.status_code == 422
    assert "limit" in response.get_json()["errors"]
    assert app.test_client().get("/api/user/activity").status_code == 401


def test_event_ip_follows_trusted_proxy_hops(make_app):
    for hops, expected in ((0, "127.0.0.1"), (1, "203.0.113.7")):
        client = make_app(TRUSTED_PROXY_HOPS=hops).test_client()
        user = register(client)
        login(client.application.test_client(), user["email"], "wrong-password",
              headers={"X-Forwarded-For": "203.0.113.7"})
        events = activity(client, user["token"])["events"]
        assert events[0]["type"] == "login_failed"
        assert events[0]["ip"] == expected, hops
