"""The pool's limit: with DB_POOL_BLOCKING off an exhausted pool answers 503 at once; with it on,
a request waits until a connection comes back."""

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

from api.db import db
from tests.factories import login

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
