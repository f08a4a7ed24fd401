"""Lock conflicts are not outages: a write refused for a deadlock or a lock wait timeout is run
again whole, and only after its last attempt answered 503 "retry it", counted apart from outages.

The conflicts are real: a second MariaDB connection (`rival`) takes locks that the request needs.
"""

import threading
import time

import pymysql
import pytest
from pymysql.constants import ER

from api.data import articles as stored_articles
from api.db import db, retry_on_conflict
from api.services import social
from api.signals import article_favorited, article_updated, dependency_failed, write_conflicted
from settings.pool import DatabaseAddress
from tests.support.factories import auth_header, create_article, register, unique
from tests.support.probes import recorded


@pytest.fixture
def rival(app, test_settings):
    """Another client of the database, in a transaction of its own (rolled back at the end)."""
    connection = pymysql.connect(**DatabaseAddress.from_url(test_settings["DATABASE_URL"]).connect_kwargs(app.config))
    connection.begin()
    yield connection
    connection.rollback()
    connection.close()


def run(connection, sql: str, args=None) -> list[dict]:
    with connection.cursor() as cursor:
        cursor.execute(sql, args)
        return list(cursor.fetchall())


def wait_until_blocking(connection, timeout: float = 10) -> None:
    """Until another transaction waits for a lock that `connection`'s transaction holds."""
    own = run(connection,
              "SELECT trx_id FROM information_schema.INNODB_TRX WHERE trx_mysql_thread_id = CONNECTION_ID()")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        waits = run(connection, "SELECT COUNT(*) AS waits FROM information_schema.INNODB_LOCK_WAITS"
                                " WHERE blocking_trx_id = %s", (own[0]["trx_id"],))
        if waits[0]["waits"]:
            return
        # InnoDB refreshes these tables only when they were not read for 0.1 s.
        time.sleep(0.15)
    raise AssertionError("the request never waited for the rival's lock")


def in_background(call):
    """Start `call()` in a thread; returns a function that waits for its result."""
    result = {}
    thread = threading.Thread(target=lambda: result.setdefault("value", call()))
    thread.start()

    def outcome():
        thread.join(timeout=30)
        return result["value"]

    return outcome


def ids_of(connection, article: dict, user: dict) -> tuple[int, int]:
    article_id = run(connection, "SELECT id FROM articles WHERE slug = %s", (article["slug"],))[0]["id"]
    user_id = run(connection, "SELECT id FROM users WHERE username = %s", (user["username"],))[0]["id"]
    return article_id, user_id


def test_a_favorite_that_deadlocks_is_retried_and_succeeds(app, api_client, rival):
    author, reader = register(api_client), register(api_client)
    article = create_article(api_client, author["token"])
    article_id, reader_id = ids_of(rival, article, reader)
    # The rival writes rows first: InnoDB rolls back the lighter transaction of a deadlock,
    # which must be the request's for this test.
    for _ in range(30):
        run(rival, "INSERT INTO tags (name) VALUES (%s)", (unique("deadlock"),))
    # A gap lock where the request will insert its favorite ...
    run(rival, "SELECT * FROM favorites WHERE user_id = %s AND article_id = %s FOR UPDATE", (reader_id, article_id))
    with recorded(write_conflicted, app) as conflicts, recorded(dependency_failed, app) as outages:
        response = in_background(lambda: api_client.post(f"/api/articles/{article['slug']}/favorite",
                                                         headers=auth_header(reader["token"])))
        # ... which it waits for, holding the article's row lock; now the rival asks for that row.
        wait_until_blocking(rival)
        run(rival, "SELECT id FROM articles WHERE id = %s FOR UPDATE", (article_id,))  # deadlock: the request loses
        time.sleep(0.1)  # the retry now waits for the rival's locks
        rival.rollback()
        favorited = response()
    assert favorited.status_code == 200, favorited.get_json()
    assert favorited.get_json()["article"]["favoritesCount"] == 1
    assert [(conflict["outcome"], conflict["error"].args[0]) for conflict in conflicts] == [
        ("retried", ER.LOCK_DEADLOCK)]
    assert outages == []


def test_a_write_still_conflicting_after_its_retries_answers_503_retry_it(make_app, rival):
    app = make_app(DB_POOL_SETSESSION=["SET time_zone = '+00:00'", "SET innodb_lock_wait_timeout = 1"])
    client = app.test_client(use_cookies=False)
    author, reader = register(client), register(client)
    article = create_article(client, author["token"])
    article_id, _reader_id = ids_of(rival, article, reader)
    run(rival, "SELECT id FROM articles WHERE id = %s FOR UPDATE", (article_id,))  # held throughout
    with recorded(write_conflicted, app) as conflicts, recorded(dependency_failed, app) as outages:
        response = client.post(f"/api/articles/{article['slug']}/favorite", headers=auth_header(reader["token"]))
    assert response.status_code == 503
    assert response.get_json()["errors"]["body"] == [
        "The write conflicted with concurrent writes and was not applied. Retry it."]
    assert response.headers["Retry-After"] == "1"
    assert [conflict["outcome"] for conflict in conflicts] == ["retried", "retried", "failed"]
    assert {conflict["error"].args[0] for conflict in conflicts} == {ER.LOCK_WAIT_TIMEOUT}
    assert outages == []  # not a dependency failure
    rival.rollback()
    retried = client.post(f"/api/articles/{article['slug']}/favorite", headers=auth_header(reader["token"]))
    assert retried.status_code == 200 and retried.get_json()["article"]["favoritesCount"] == 1


def test_inside_a_transaction_a_conflict_is_left_to_the_code_that_opened_it(app):
    calls = []

    @retry_on_conflict
    def conflicting_write():
        calls.append(1)
        raise pymysql.err.OperationalError(ER.LOCK_DEADLOCK, "Deadlock found when trying to get lock")

    with app.app_context():
        with pytest.raises(pymysql.err.OperationalError), db.transaction():
            conflicting_write()
        assert calls == [1]
        with pytest.raises(pymysql.err.OperationalError):
            conflicting_write()
        assert len(calls) == 4  # 1 + WRITE_CONFLICT_ATTEMPTS


def conflict_once(monkeypatch, owner, name: str) -> list:
    """`owner.name` runs for real; its first call then fails with a deadlock, as if InnoDB had
    picked the request as the victim right there. Returns the list of its calls."""
    real = getattr(owner, name)
    calls = []

    def then_conflict(*args, **kwargs):
        result = real(*args, **kwargs)
        calls.append(args)
        if len(calls) == 1:
            raise pymysql.err.OperationalError(ER.LOCK_DEADLOCK, "Deadlock found when trying to get lock")
        return result

    monkeypatch.setattr(owner, name, then_conflict)
    return calls


def calls_of(monkeypatch, owner, name: str) -> list:
    """Record the calls of `owner.name`, which still runs for real."""
    real = getattr(owner, name)
    calls = []

    def recording(*args, **kwargs):
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(owner, name, recording)
    return calls


def test_a_conflict_late_in_an_update_runs_the_whole_use_case_again(app, api_client, monkeypatch):
    author = register(api_client)
    article = create_article(api_client, author["token"], tagList=[unique("old")])
    title, tag = unique("Retried "), unique("new")
    owner_checks = calls_of(monkeypatch, stored_articles, "lock_article")
    # After the new title, slug and tags are written, before the commit.
    updates = conflict_once(monkeypatch, stored_articles, "update_article")
    with recorded(write_conflicted, app) as conflicts, recorded(article_updated, app) as updated:
        response = api_client.put(f"/api/articles/{article['slug']}", headers=auth_header(author["token"]),
                                  json={"article": {"title": title, "tagList": [tag]}})
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["article"]["title"] == title and response.get_json()["article"]["tagList"] == [tag]
    # The owner check ran again with the writes, not the failed statement alone.
    assert len(owner_checks) == len(updates) == 2
    assert [conflict["outcome"] for conflict in conflicts] == ["retried"]
    assert len(updated) == 1  # announced once, after the commit that counted
    monkeypatch.undo()
    assert api_client.get(f"/api/articles/{article['slug']}").status_code == 404  # the old slug is gone


def test_a_favorite_retried_after_a_conflict_counts_once(app, api_client, monkeypatch):
    article = create_article(api_client, register(api_client)["token"])
    reader = register(api_client)
    locks = calls_of(monkeypatch, social, "lock_article")
    conflict_once(monkeypatch, social, "add_favorite")  # the favorite and its count written, then refused
    with recorded(write_conflicted, app) as conflicts, recorded(article_favorited, app) as favorited:
        response = api_client.post(f"/api/articles/{article['slug']}/favorite", headers=auth_header(reader["token"]))
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["article"]["favoritesCount"] == 1
    assert len(locks) == 2 and [conflict["outcome"] for conflict in conflicts] == ["retried"]
    assert len(favorited) == 1
