"""Graceful shutdown: on SIGTERM gunicorn stops taking connections, lets the requests in
flight finish (within graceful_timeout), then exits cleanly."""

import http.client
import json
import signal
import threading
import time

import pytest

from tests.support.factories import unique
from tests.support.servers import live_gunicorn

pytestmark = pytest.mark.slow

# argon2id at this time cost takes a second or more per hash: a registration that is really
# still working (not sleeping) when the SIGTERM arrives.
SLOW_ARGON2_TIME_COST = 150


def post_json(base_port: int, path: str, document: dict, timeout: float = 100) -> tuple[int, dict]:
    connection = http.client.HTTPConnection("127.0.0.1", base_port, timeout=timeout)
    try:
        connection.request("POST", path, body=json.dumps(document), headers={"Content-Type": "application/json"})
        response = connection.getresponse()
        return response.status, json.loads(response.read())
    finally:
        connection.close()


def test_sigterm_lets_the_request_in_flight_finish_then_exits(test_settings):
    settings = {
        **test_settings,
        "GUNICORN_WORKERS": "1",
        "GUNICORN_THREADS": "2",
        "GUNICORN_GRACEFUL_TIMEOUT": "90",  # generous: a loaded machine hashes slowly
        "ARGON2_TIME_COST": str(SLOW_ARGON2_TIME_COST),
        "LOG_LEVEL": "WARNING",
    }
    with live_gunicorn(settings) as server:
        username = unique("graceful")
        outcome = {}

        def register_slowly():
            try:
                outcome["response"] = post_json(server.port, "/api/users", {"user": {
                    "username": username, "email": f"{username}@example.com", "password": "long-enough-pw"}})
            except (OSError, http.client.HTTPException) as error:
                outcome["error"] = error
            outcome["finished_at"] = time.monotonic()

        request = threading.Thread(target=register_slowly)
        request.start()
        time.sleep(0.5)  # the request has reached the worker and is hashing
        assert request.is_alive(), "the request finished before the SIGTERM: raise SLOW_ARGON2_TIME_COST"
        terminated_at = time.monotonic()
        server.process.send_signal(signal.SIGTERM)

        request.join(100)
        exit_code = server.process.wait(100)

        assert "response" in outcome, f"the request in flight was cut off: {outcome.get('error')!r}"
        status, body = outcome["response"]
        assert status == 201, body
        assert body["user"]["username"] == username
        assert outcome["finished_at"] > terminated_at  # it was in flight, and was not cut off
        assert exit_code == 0, server.log_tail()
