"""Signals have one payload each, whoever sends them, and the activity log's rows are part of
the change they record: a receiver error there undoes the change instead of being swallowed."""

import pytest

from api.receivers import activity_log
from api.signals import PAYLOADS, announce, session_revoked, user_registered
from schemas.activity import EVENT_TYPES
from tests.support.factories import DEFAULT_PASSWORD, auth_header, login, register, unique
from tests.support.faults import InjectedFault, fail_after

ACCOUNT_SIGNALS = {"user-registered", "user-logged-in", "user-login-failed", "user-logged-out",
                   "password-changed", "user-updated", "session-revoked"}


@pytest.fixture
def sent(app):
    """Every conduit signal the app sends in the test: [(signal name, payload keys)]."""
    calls = []
    receivers = []
    for signal in PAYLOADS:
        def receiver(sender, _name=signal.name, **payload):
            calls.append((_name, frozenset(payload)))
        signal.connect(receiver, sender=app, weak=False)
        receivers.append((signal, receiver))
    yield calls
    for signal, receiver in receivers:
        signal.disconnect(receiver, sender=app)


def test_every_sender_of_an_account_signal_sends_its_one_payload(app, sent):
    api = app.test_client(use_cookies=False)
    runner = app.test_cli_runner()
    user = register(api)
    login(api, user["email"], "a-wrong-password")
    login(api, f"{unique()}@example.com", "a-wrong-password")
    other = login(api, user["email"]).get_json()["user"]["token"]
    third = login(api, user["email"]).get_json()["user"]["token"]
    api.put("/api/user", headers=auth_header(user["token"]), json={"user": {"bio": "new"}})
    session_id = next(item["id"] for item in api.get("/api/user/sessions", headers=auth_header(third))
                      .get_json()["sessions"] if item["current"])
    api.delete(f"/api/user/sessions/{session_id}", headers=auth_header(user["token"]))
    api.delete("/api/user/sessions", headers=auth_header(other))
    api.put("/api/user", headers=auth_header(other), json={"user": {"password": "a-brand-new-password"}})
    api.post("/api/users/logout", headers=auth_header(other))
    admin_made = unique()
    assert runner.invoke(args=["users", "create", admin_made, f"{admin_made}@example.com",
                               "--password", DEFAULT_PASSWORD]).exit_code == 0
    login(api, f"{admin_made}@example.com")
    assert runner.invoke(args=["sessions", "revoke", admin_made, "--all"]).exit_code == 0
    login(api, f"{admin_made}@example.com")
    assert runner.invoke(args=["users", "disable", admin_made]).exit_code == 0

    assert {name for name, _ in sent} >= ACCOUNT_SIGNALS
    by_name = {signal.name: payload for signal, payload in PAYLOADS.items()}
    assert [(name, keys) for name, keys in sent if keys != by_name[name]] == []
    revocations = [keys for name, keys in sent if name == "session-revoked"]
    assert len(revocations) >= 4  # API one, API others, CLI one, CLI disable


def test_a_payload_other_than_the_declared_one_is_refused(app):
    with app.app_context():
        with pytest.raises(TypeError, match="session-revoked takes"):
            announce(session_revoked, user={"id": 1}, session_id="abc")  # not session_ids, no reason
        with pytest.raises(TypeError):
            announce(user_registered, user={"id": 1}, ip="127.0.0.1")


def test_an_account_and_its_registered_event_exist_together_or_not_at_all(app, monkeypatch):
    fail_after(monkeypatch, activity_log, "insert_account_events")  # the event row, then a failure
    name = unique()
    with pytest.raises(InjectedFault):  # TESTING re-raises what no handler turned into an answer
        app.test_client().post("/api/users", json={"user": {"username": name, "email": f"{name}@example.com",
                                                            "password": DEFAULT_PASSWORD}})
    monkeypatch.undo()
    assert register(app.test_client(), username=name)["username"] == name  # nothing was left behind


def test_the_documented_event_types_are_the_ones_the_activity_log_writes():
    assert sorted(activity_log.EVENT_TYPE_BY_SIGNAL.values()) == sorted(EVENT_TYPES)
