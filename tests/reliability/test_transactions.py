"""Data integrity: a transaction's statements are kept or undone together, whatever fails
between them (our code, the connection), and the connection always goes back to the pool."""

import pymysql
import pytest

from api.data import users as users_data
from api.db import db, known
from api.services import accounts as accounts_service
from settings.pool import DatabaseAddress
from tests.support.factories import register, unique
from tests.support.faults import InjectedFault, fail_after


def new_user(prefix: str = "tx") -> tuple[str, str]:
    name = unique(prefix)
    return f"{name}@example.com", name


def follow(follower_id: int, followee_id: int) -> None:
    db.execute("INSERT INTO follows (follower_id, followee_id, created_at) VALUES (%s, %s, UTC_TIMESTAMP(3))",
               (follower_id, followee_id))


def register_following(email: str, username: str, followee_id: int) -> int:
    """Two writes that belong together, as article creation's will: a user and its first follow."""
    with db.transaction():
        user_id = users_data.insert_user(email, username, "not-a-real-hash")
        follow(user_id, followee_id)
    return user_id


def follows_of(user_id: int) -> int:
    return db.fetch_present("SELECT COUNT(*) AS n FROM follows WHERE follower_id = %s", (user_id,))["n"]


@pytest.fixture
def followee(client) -> int:
    with client.application.app_context():
        user = users_data.fetch_user_by_username(register(client)["username"])
        return known(user, "registered just now")["id"]


def test_a_committed_transaction_keeps_every_statement(app, followee):
    email, username = new_user()
    with app.app_context():
        user_id = register_following(email, username, followee)

    with app.app_context():
        assert users_data.fetch_user_by_email(email)["id"] == user_id
        assert follows_of(user_id) == 1


def test_a_fault_between_two_statements_leaves_nothing_behind(app, followee, monkeypatch):
    email, username = new_user()
    fail_after(monkeypatch, users_data, "insert_user")  # the user row is written, then: crash

    with app.app_context(), pytest.raises(InjectedFault):
        register_following(email, username, followee)

    with app.app_context():
        assert users_data.fetch_user_by_email(email) is None


def test_a_fault_after_the_last_statement_still_rolls_back_everything(app, followee, monkeypatch):
    email, username = new_user()
    fail_after(monkeypatch, db, "execute", calls=2)  # both writes done, commit not yet

    with app.app_context(), pytest.raises(InjectedFault):
        register_following(email, username, followee)

    with app.app_context():
        assert users_data.fetch_user_by_email(email) is None
        assert db.fetch_one("SELECT COUNT(*) AS n FROM follows WHERE followee_id = %s", (followee,))["n"] == 0


def test_a_failing_inner_block_rolls_back_the_outer_transaction(app, followee):
    email, username = new_user()

    with app.app_context():
        with pytest.raises(InjectedFault), db.transaction():
            user_id = users_data.insert_user(email, username, "not-a-real-hash")
            with db.transaction():  # joins the outer transaction
                follow(user_id, followee)
                raise InjectedFault("inside the nested block")
        assert users_data.fetch_user_by_email(email) is None
        assert follows_of(user_id) == 0


def test_a_connection_killed_mid_transaction_rolls_back_and_is_replaced(app, test_settings):
    email, username = new_user()
    admin = pymysql.connect(**DatabaseAddress.from_url(test_settings["DATABASE_URL"]).connect_kwargs(app.config))
    try:
        with app.app_context(), pytest.raises(pymysql.err.OperationalError), db.transaction():
            users_data.insert_user(email, username, "not-a-real-hash")
            connection_id = db.fetch_one("SELECT CONNECTION_ID() AS id")["id"]
            with admin.cursor() as cursor:
                cursor.execute("KILL CONNECTION %s", (connection_id,))  # our own connection only
            db.fetch_one("SELECT 1")
    finally:
        admin.close()

    with app.app_context():  # the next user of the pool gets a working connection
        assert db.fetch_one("SELECT CONNECTION_ID() AS id")["id"] != connection_id
        assert users_data.fetch_user_by_email(email) is None


def test_failed_requests_give_their_connection_back_to_the_pool(make_app, monkeypatch):
    # A pool of 2 that never waits: one leaked connection per failure would soon make it 503.
    app = make_app(DB_POOL_MAX_CONNECTIONS=2, DB_POOL_BLOCKING=False)
    client = app.test_client()
    taken = register(client)
    fail_after(monkeypatch, accounts_service, "insert_user")  # the name as the service looks it up

    for _ in range(3):
        duplicate = client.post("/api/users", json={"user": {"username": taken["username"],
                                                             "email": taken["email"], "password": "long-enough"}})
        assert duplicate.status_code == 422  # IntegrityError inside the view
        assert client.post("/api/users", data=b"{", content_type="application/json").status_code == 400
        email, username = new_user()
        with pytest.raises(InjectedFault):  # an unexpected exception (TESTING re-raises it)
            client.post("/api/users", json={"user": {"username": username, "email": email,
                                                     "password": "long-enough"}})

    assert app.extensions["sql_pool"].status()["inUse"] == 0
    assert app.extensions["sql_pool"].status()["idle"] >= 1
    assert client.post("/api/users/login", json={"user": {"email": taken["email"],
                                                          "password": "correct-horse-battery"}}).status_code == 200


def test_a_registration_whose_commit_fails_leaves_no_session_and_no_cookie(make_app, monkeypatch):
    """The session is stored before the account commits; when the commit fails (here the
    connection is lost right after the session was stored), the 503 names no account."""
    prefix = unique("conduit-test-ghost-") + ":"
    app = make_app(SESSION_KEY_PREFIX=prefix + "session:", REDIS_KEY_PREFIX=prefix)
    redis_client = app.extensions["redis"]
    lost = pymysql.err.OperationalError(2013, "Lost connection to server during query")
    fail_after(monkeypatch, accounts_service, "start_session", error=lost)
    email, username = new_user("ghost")

    response = app.test_client().post("/api/users", json={"user": {"username": username, "email": email,
                                                                   "password": "long-enough"}})

    assert response.status_code == 503, response.get_json()
    assert "Set-Cookie" not in response.headers
    assert list(redis_client.scan_iter(match=prefix + "*")) == []
    with app.app_context():
        assert users_data.fetch_user_by_email(email) is None
