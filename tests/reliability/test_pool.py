"""The pool's limit: with DB_POOL_BLOCKING off an exhausted pool answers 503 at once; with it on,
a request waits until a connection comes back."""

import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

from api.db import db
from tests.support.factories import login

UNAVAILABLE = "The service is temporarily unavailable (mysql cannot be reached). Retry later."


@contextmanager
def connection_held_elsewhere(app):
    """Another thread's app context holds one pooled connection until the block ends, as a
    request in progress would. (Not this thread's: a request here would join its app context.)"""
    borrowed, release = threading.Event(), threading.Event()

    def hold():
        with app.app_context():
            db.fetch_one("SELECT 1")
            borrowed.set()
            release.wait(10)

    holder = threading.Thread(target=hold)
    holder.start()
    assert borrowed.wait(5)
    try:
        yield
    finally:
        release.set()
        holder.join(5)


def test_exhausted_pool_without_blocking_answers_503_at_once(make_app):
    # The default cache (8 idle connections) is larger than this pool: the limit must still be 1.
    app = make_app(DB_POOL_MAX_CONNECTIONS=1, DB_POOL_BLOCKING=False)
    client = app.test_client()

    with connection_held_elsewhere(app):
        started = time.monotonic()
        response = login(client, "nobody@example.com")
        elapsed = time.monotonic() - started
        health = client.get("/api/health")
    after_release = login(client, "nobody@example.com")

    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    assert response.get_json() == {"errors": {"body": [UNAVAILABLE]}}
    assert elapsed < 0.5
    assert health.status_code == 503
    assert health.get_json()["mysql"]["error"] == "TooManyConnectionsError"
    assert after_release.status_code == 401  # the pool serves again once the connection is back
    assert app.extensions["sql_pool"].status() == {"inUse": 0, "idle": 1, "max": 1}


def test_exhausted_pool_with_blocking_makes_requests_wait_for_a_connection(make_app):
    app = make_app(DB_POOL_MAX_CONNECTIONS=1, DB_POOL_BLOCKING=True)

    with ThreadPoolExecutor(1) as executor:
        with connection_held_elsewhere(app):
            waiting = executor.submit(login, app.test_client(), "nobody@example.com")
            time.sleep(0.5)
            assert not waiting.done()  # still waiting for the one connection
        response = waiting.result(timeout=5)

    assert response.status_code == 401
    assert app.extensions["sql_pool"].status()["inUse"] == 0


def test_a_forked_child_builds_its_own_pool_and_leaves_the_parents_connections_alone(app):
    with app.app_context():
        assert db.fetch_one("SELECT 1 AS one") == {"one": 1}
        parents_pool = db.pool
    read_end, write_end = os.pipe()
    child = os.fork()
    if child == 0:  # the child reports whether it got a pool of its own that answers
        try:
            with app.app_context():
                answered = db.fetch_one("SELECT 2 AS two") == {"two": 2}
                own_pool = db.pool is not parents_pool
            os.write(write_end, b"ok" if answered and own_pool else b"shared")
        finally:
            os._exit(0)
    os.close(write_end)
    report = os.read(read_end, 16)
    os.waitpid(child, 0)
    os.close(read_end)

    assert report == b"ok"
    with app.app_context():
        assert db.pool is parents_pool  # the parent's pool, and its connection, still serve
        assert db.fetch_one("SELECT 3 AS three") == {"three": 3}
