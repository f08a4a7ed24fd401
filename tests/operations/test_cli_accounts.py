"""`users` and `sessions` commands, run with Flask's CLI runner against the test database and Redis."""

import time
import uuid

import pytest
from prometheus_client import REGISTRY
from werkzeug.exceptions import Unauthorized

from api.data.users import disable_user, fetch_user_by_email
from api.errors import abort
from api.services.sessions import credentials_still_valid, session_discarded_on_failure, start_session
from api.sessions import user_sessions_key
from tests.support.factories import DEFAULT_PASSWORD, auth_header, login, register, unique

COMMANDS = [["db", "upgrade"], ["db", "status"], ["seed"], ["users", "create"], ["users", "disable"],
            ["sessions", "list"], ["sessions", "revoke"], ["sessions", "purge-expired"]]


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def _user_with_sessions(client, count: int) -> tuple[dict, list[str]]:
    """A user logged in `count` times, each from a client (cookie jar) of its own."""
    user = register(client)
    tokens = [user["token"]] + [
        login(client.application.test_client(), user["email"]).get_json()["user"]["token"] for _ in range(count - 1)
    ]
    return user, tokens


def _revocations() -> float:
    return REGISTRY.get_sample_value("conduit_session_revocations_total") or 0


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_every_command_has_help(runner, command):
    result = runner.invoke(args=[*command, "--help"])
    assert result.exit_code == 0
    assert result.output.startswith("Usage: ")


def test_db_status_lists_applied_migrations(runner):
    result = runner.invoke(args=["db", "status"])
    assert result.exit_code == 0
    assert "applied  0001.initial-schema" in result.output


def test_created_user_can_log_in(runner, client):
    username = unique()
    result = runner.invoke(args=["users", "create", username, f"{username}@example.com", "--password", "s3cret-pass"])
    assert result.exit_code == 0, result.output
    assert f"created user {username}" in result.output
    assert login(client, f"{username}@example.com", "s3cret-pass").status_code == 200


def test_create_user_prompts_for_the_password_twice(runner, client):
    username = unique()
    result = runner.invoke(args=["users", "create", username, f"{username}@example.com"],
                           input="prompted-pass\nprompted-pass\n")
    assert result.exit_code == 0, result.output
    assert "prompted-pass" not in result.output  # hidden input
    assert login(client, f"{username}@example.com", "prompted-pass").status_code == 200


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["bad name!", "x@example.com", "--password", "long-enough"], "Error: username: may contain only"),
        (["{username}", "not-an-email", "--password", "long-enough"], "Error: email: Not a valid email address."),
        (["{username}", "x@example.com", "--password", "short"], "Error: password: Length must be between 8 and 256."),
        (["{taken}", "{username}@example.com", "--password", "long-enough"], "Error: username has already been taken"),
    ],
)
def test_create_user_refuses_bad_input_in_one_line(runner, client, arguments, message):
    values = {"username": unique(), "taken": register(client)["username"]}
    result = runner.invoke(args=["users", "create", *[argument.format(**values) for argument in arguments]])
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [result.output.strip()]
    assert result.output.startswith(message)


def test_disabled_user_cannot_log_in_and_loses_every_session(runner, client):
    user, tokens = _user_with_sessions(client, 2)
    revocations = _revocations()
    result = runner.invoke(args=["users", "disable", user["username"]])
    assert result.exit_code == 0, result.output
    assert result.output == f"{user['username']} disabled; 2 session(s) revoked\n"
    for token in tokens:
        assert client.get("/api/user", headers=auth_header(token)).status_code == 401
    assert login(client, user["email"]).status_code == 401
    assert _revocations() - revocations == 2
    again = runner.invoke(args=["users", "disable", user["username"]])
    assert again.output == f"{user['username']} was already disabled; 0 session(s) revoked\n"


@pytest.mark.parametrize("command", [["users", "disable"], ["sessions", "list"], ["sessions", "revoke", "--all"]])
def test_unknown_user_is_a_one_line_error(runner, command):
    result = runner.invoke(args=[*command, "nobody-" + unique()])
    assert result.exit_code == 1
    assert result.output.startswith("Error: no user named 'nobody-") and result.output.count("\n") == 1


def test_sessions_list_shows_public_ids_never_tokens(runner, client):
    user, tokens = _user_with_sessions(client, 2)
    result = runner.invoke(args=["sessions", "list", user["username"]])
    assert result.exit_code == 0
    header, *rows = result.output.splitlines()
    assert header.startswith("ID") and len(rows) == 2
    assert all(token not in result.output for token in tokens)
    assert all(row.split()[0] != token for row in rows for token in tokens)


def test_revoke_one_session_by_its_id(runner, client):
    user, (older, newer) = _user_with_sessions(client, 2)
    listed = runner.invoke(args=["sessions", "list", user["username"]]).output.splitlines()
    newest_id = listed[1].split()[0]  # newest first
    revocations = _revocations()
    result = runner.invoke(args=["sessions", "revoke", user["username"], newest_id])
    assert result.exit_code == 0, result.output
    assert client.get("/api/user", headers=auth_header(newer)).status_code == 401
    assert client.get("/api/user", headers=auth_header(older)).status_code == 200
    assert _revocations() - revocations == 1
    unknown = runner.invoke(args=["sessions", "revoke", user["username"], newest_id])
    assert unknown.exit_code == 1 and "has no live session" in unknown.output


def test_revoke_all_sessions(runner, client):
    user, tokens = _user_with_sessions(client, 3)
    result = runner.invoke(args=["sessions", "revoke", user["username"], "--all"])
    assert result.output == f"3 session(s) of {user['username']} revoked\n"
    assert all(client.get("/api/user", headers=auth_header(token)).status_code == 401 for token in tokens)
    assert login(client, user["email"], DEFAULT_PASSWORD).status_code == 200  # revoked, not disabled


@pytest.mark.parametrize("extra", [[], ["some-id", "--all"]])
def test_revoke_needs_exactly_one_of_id_or_all(runner, client, extra):
    result = runner.invoke(args=["sessions", "revoke", register(client)["username"], *extra])
    assert result.exit_code == 2
    assert "Error: give either a session ID" in result.output


def test_purge_expired_trims_only_expired_ids_under_our_prefix(runner, app, redis_client):
    now = time.time()
    ours = user_sessions_key(app.config["REDIS_KEY_PREFIX"], f"purge-{uuid.uuid4().hex}")
    foreign = user_sessions_key(f"conduit-test-foreign-{uuid.uuid4().hex}:", 1)
    redis_client.zadd(ours, {"expired-a": now - 60, "expired-b": now - 1, "live": now + 600})
    redis_client.zadd(foreign, {"expired": now - 60})
    try:
        result = runner.invoke(args=["sessions", "purge-expired"])
        assert result.exit_code == 0, result.output
        assert result.output.startswith("removed ")
        assert int(result.output.split()[1]) >= 2
        assert [member.decode() for member in redis_client.zrange(ours, 0, -1)] == ["live"]
        assert redis_client.zcard(foreign) == 1
    finally:
        redis_client.delete(ours, foreign)


def test_login_that_raced_with_disable_is_refused_after_storing_its_session(app, client, redis_client):
    """The order `users disable` cannot see: the account read as enabled, then disabled and its
    listed sessions revoked, then the new session stored. The login's check after storing refuses it."""
    user = register(client)
    with app.test_request_context("/api/users/login", method="POST"):
        row = fetch_user_by_email(user["email"])  # read while still enabled
        assert disable_user(row["id"])  # the command's flag; its revocation found no new session
        with pytest.raises(Unauthorized), session_discarded_on_failure():  # as the login runs it
            token = start_session(row)
            store_key = app.config["SESSION_KEY_PREFIX"] + token
            assert redis_client.exists(store_key)
            assert not credentials_still_valid(row)
            abort(401, "Invalid email or password.")
        assert not redis_client.exists(store_key)
    assert client.get("/api/user", headers=auth_header(token)).status_code == 401
