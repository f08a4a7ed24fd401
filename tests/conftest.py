"""Fixtures: a throwaway MariaDB database and Redis key prefix per test run, the app, a client.

Nothing here touches the data of `make run`: the database is `conduit_test_<random>` (dropped
at the end) and every Redis key lives under `conduit-test-<random>:` (deleted at the end).
"""

import threading
import uuid

import pytest
import redis
from hypothesis import settings as hypothesis_settings
from werkzeug.serving import make_server

from api import create_app
from api.migrations import drop_database, upgrade
from api.redis_store import delete_keys_under
from settings import TestConfig, isolated_storage

# No per-example deadline: on two cores shared with the suite's other worker and its throwaway
# servers, a first example can take over hypothesis' default 200 ms (a flaky failure), and the
# property tests pin what is accepted, not how fast.
hypothesis_settings.register_profile("suite", deadline=None)
hypothesis_settings.load_profile("suite")


@pytest.fixture(scope="session")
def test_settings():
    """Config overrides shared by every app the suite builds."""
    run = uuid.uuid4().hex[:10]
    settings = isolated_storage(f"conduit_test_{run}", f"conduit-test-{run}:")
    config = {name: getattr(TestConfig, name) for name in dir(TestConfig) if name.isupper()}
    config.update(settings)
    upgrade(config)
    yield settings
    drop_database(config)
    delete_keys_under(redis.Redis.from_url(config["REDIS_URL"]), settings["REDIS_KEY_PREFIX"])


@pytest.fixture(scope="session")
def app(test_settings):
    return create_app(TestConfig, test_settings)


@pytest.fixture
def make_app(test_settings):
    """Build an app with extra settings (e.g. a tiny non-blocking pool)."""
    built = []

    def factory(**overrides):
        application = create_app(TestConfig, {**test_settings, **overrides})
        built.append(application)
        return application

    yield factory
    for application in built:
        application.extensions["sql_pool"].close()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def api_client(app):
    """A client without a cookie jar, like RealWorld clients: each user is only its token, so
    registering a second user does not end the first one's session (as one browser would)."""
    return app.test_client(use_cookies=False)


@pytest.fixture
def redis_client(app):
    return app.extensions["redis"]


@pytest.fixture(scope="module")
def live_server(app):
    """The test app served over real HTTP on a free loopback port (for browsers and SDKs): its URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)
