"""SQLHelper over the real pool: results, transactions, rollbacks, and connections going home."""

import pymysql
import pytest

from api.db import db


@pytest.fixture
def scratch_table(app):
    with app.app_context():
        db.execute("CREATE TABLE IF NOT EXISTS sqlhelper_scratch (id INT PRIMARY KEY, note VARCHAR(20)) ENGINE=InnoDB")
        db.execute("DELETE FROM sqlhelper_scratch")
    yield "sqlhelper_scratch"
    with app.app_context():
        db.execute("DROP TABLE IF EXISTS sqlhelper_scratch")


def _pool_status(app):
    return app.extensions["sql_pool"].status()


def test_fetch_and_execute_round_trip(app, scratch_table):
    with app.app_context():
        result = db.execute("INSERT INTO sqlhelper_scratch (id, note) VALUES (%s, %s)", (1, "one"))
        assert result.rowcount == 1
        assert db.fetch_one("SELECT note FROM sqlhelper_scratch WHERE id = %s", (1,)) == {"note": "one"}
        assert db.fetch_one("SELECT note FROM sqlhelper_scratch WHERE id = %s", (2,)) is None
        db.execute_many("INSERT INTO sqlhelper_scratch (id, note) VALUES (%s, %s)", [(2, "two"), (3, "three")])
        assert [row["id"] for row in db.fetch_all("SELECT id FROM sqlhelper_scratch ORDER BY id")] == [1, 2, 3]
        assert db.context().query_count == 5


def test_statements_outside_a_transaction_commit_at_once(app, scratch_table):
    with app.app_context():
        db.execute("INSERT INTO sqlhelper_scratch (id, note) VALUES (1, 'kept')")
    with app.app_context():  # another context borrows another (or the same, reset) connection
        assert db.fetch_one("SELECT note FROM sqlhelper_scratch WHERE id = 1") == {"note": "kept"}


def test_failed_transaction_rolls_back_every_statement(app, scratch_table):
    with app.app_context():
        with pytest.raises(RuntimeError), db.transaction():
            db.execute("INSERT INTO sqlhelper_scratch (id, note) VALUES (1, 'first')")
            db.execute("INSERT INTO sqlhelper_scratch (id, note) VALUES (2, 'second')")
            raise RuntimeError("fail between statements")
        assert db.fetch_all("SELECT id FROM sqlhelper_scratch") == []


def test_sql_error_inside_transaction_rolls_back(app, scratch_table):
    with app.app_context():
        with pytest.raises(pymysql.err.IntegrityError), db.transaction():
            db.execute("INSERT INTO sqlhelper_scratch (id, note) VALUES (1, 'first')")
            db.execute("INSERT INTO sqlhelper_scratch (id, note) VALUES (1, 'duplicate')")
        assert db.fetch_all("SELECT id FROM sqlhelper_scratch") == []


def test_nested_transaction_joins_the_outer_one(app, scratch_table):
    with app.app_context():
        with pytest.raises(RuntimeError), db.transaction():
            db.execute("INSERT INTO sqlhelper_scratch (id, note) VALUES (1, 'outer')")
            with db.transaction():
                db.execute("INSERT INTO sqlhelper_scratch (id, note) VALUES (2, 'inner')")
            raise RuntimeError("outer fails after inner finished")
        assert db.fetch_all("SELECT id FROM sqlhelper_scratch") == []


def test_committed_transaction_keeps_every_statement(app, scratch_table):
    with app.app_context(), db.transaction():
        db.execute("INSERT INTO sqlhelper_scratch (id, note) VALUES (1, 'a')")
        db.execute("INSERT INTO sqlhelper_scratch (id, note) VALUES (2, 'b')")
    with app.app_context():
        assert len(db.fetch_all("SELECT id FROM sqlhelper_scratch")) == 2


def test_connection_returns_to_the_pool_after_a_failing_statement(app):
    with app.app_context():
        db.fetch_one("SELECT 1")
    before = _pool_status(app)
    for _ in range(3):
        with app.app_context(), pytest.raises(pymysql.err.ProgrammingError):
            db.fetch_one("SELECT * FROM no_such_table")
    after = _pool_status(app)
    assert after["inUse"] == 0
    assert after["idle"] == before["idle"]


def test_connection_returns_to_the_pool_after_a_failing_request(app, client):
    client.post("/api/users", json={"user": {"username": "x"}})  # 422, no connection borrowed
    client.get("/api/user", headers={"Authorization": "Token nope"})
    client.get("/api/health")
    assert _pool_status(app)["inUse"] == 0


def test_pool_honours_its_settings(make_app):
    app = make_app(DB_POOL_MAX_CONNECTIONS=2, DB_POOL_MAX_CACHED=2, DB_POOL_MIN_CACHED=1,
                   DB_POOL_BLOCKING=False, DB_POOL_SETSESSION=["SET time_zone = '+00:00'", "SET @conduit_probe = 7"])
    pool = app.extensions["sql_pool"].get()
    assert pool._maxconnections == 2 and pool._maxcached == 2 and pool._blocking is False
    assert len(pool._idle_cache) == 1  # mincached connections are opened up front
    with app.app_context():
        assert db.fetch_one("SELECT @conduit_probe AS probe, @@session.time_zone AS tz") == {
            "probe": 7, "tz": "+00:00"}
        assert db.fetch_one("SELECT @@autocommit AS autocommit")["autocommit"] == 0


def test_exhausted_non_blocking_pool_answers_503(make_app):
    app = make_app(DB_POOL_MAX_CONNECTIONS=1, DB_POOL_MAX_CACHED=1, DB_POOL_BLOCKING=False)
    held = app.extensions["sql_pool"].get().connection()
    try:
        response = app.test_client().get("/api/user", headers={"Authorization": "Token x"})
        assert response.status_code == 401  # no database needed to refuse a bad token
        response = app.test_client().post("/api/users/login", json={"user": {"email": "a@b.c", "password": "x"}})
        assert response.status_code == 503
        assert response.headers["Retry-After"] == "5"
        assert response.get_json()["errors"]["body"][0].startswith("The service is temporarily unavailable")
    finally:
        held.close()


def test_rows_are_dicts_in_utf8mb4(app):
    with app.app_context():
        row = db.fetch_one("SELECT %s AS text", ("漢字 🦄 ελληνικά",))
    assert row == {"text": "漢字 🦄 ελληνικά"}


def test_execute_many_with_no_rows_runs_nothing(app, scratch_table):
    with app.app_context():
        db.context().query_count = 0
        result = db.execute_many("INSERT INTO sqlhelper_scratch (id, note) VALUES (%s, %s)", [])
        assert (result.rowcount, result.lastrowid, db.context().query_count) == (0, None, 0)
