"""Where we rely on a library's private behaviour: each use in one small function, with the
version it was checked against (requirements.txt pins it) and the reason no public API serves.
tests/reliability/test_compat.py runs each against the real library and fails when an upgrade changes it.

Inventory of every use of a library's internals, and where it lives:

- here: DBUtils' pool counters (`pool_counters`), Flask-Session's base constructor without
  its Redis backend's client check (`init_server_side_session_interface`), undoing a hit of
  limits' moving window (`undo_moving_window_hit`), and a flask-smorest Api that leaves out
  its own error and pagination components (`ApiWithoutDefaultComponents`);
- api/sessions.py, documented extension points of a Flask-Session backend, which its
  `ServerSideSessionInterface` leaves to backends: our `_upsert_session` override, and
  `open_session` reading through the backend's `_retrieve_session_data`. The Redis backend's
  decoder falls back to `pickle.loads`; our serializer refuses anything but msgpack (tested
  here, with the fallback it guards against);
- api/json_provider.py: `self._app`, the app a `JSONProvider` keeps for its subclasses (so
  documented in Flask's API reference);
- api/signals.py sends with `current_app._get_current_object()` as the sender, as Flask's
  signals documentation prescribes (the proxy is not the app receivers are connected to);
  api/fast_paths.py takes the object behind a proxy where that was measured to pay.

Nothing else in api/ reads or overrides a library's private names: flask-smorest is otherwise
configured through `spec_kwargs`, `init_app` and `handle_http_exception`, webargs through
`load_json`, Flask-Session is installed as `app.session_interface`, and session ids and keys
are made with the public settings.
"""

from dataclasses import dataclass
from typing import cast

import flask_smorest
import redis
from flask_session.base import ServerSideSessionInterface
from limits import RateLimitItem
from limits.storage import RedisStorage
from redis.cluster import RedisCluster


@dataclass(frozen=True)
class PoolCounters:
    in_use: int  # connections lent out
    idle: int  # connections open and waiting in the pool


def pool_counters(pool) -> PoolCounters:
    """Connections lent out and idle in a DBUtils `PooledDB`.

    DBUtils 3.2.0 has no public counters: `_connections` is its count of connections lent out
    (raised by `connection()`, lowered when one is returned) and `_idle_cache` its list of idle
    ones. The health endpoint and the pool tests read them.
    """
    return PoolCounters(in_use=pool._connections, idle=len(pool._idle_cache))


def init_server_side_session_interface(interface: ServerSideSessionInterface, app, **options) -> None:
    """Run Flask-Session's base constructor on `interface`, skipping its Redis backend's.

    Flask-Session 0.8.0's `RedisSessionInterface.__init__` accepts only a `redis.Redis` and
    swaps anything else (our `RedisCluster`) for a client of localhost, with a warning; it has
    no option to keep the client. The backend only calls get, set and delete on it, which
    every client has, so the base constructor sets everything else (`app`, `key_prefix`,
    `permanent`, `sid_length`, `serializer`) and the caller sets `client` itself.
    """
    ServerSideSessionInterface.__init__(interface, app, **options)


def undo_moving_window_hit(storage: RedisStorage, item: RateLimitItem, *identifiers: str) -> None:
    """Give back one hit of a moving window (a failed-login slot whose attempt succeeded).

    limits 5.8.0 has no call to undo a hit. Its Redis storage keeps a moving window as a list
    of hit timestamps under `prefixed_key(item.key_for(...))`, newest first (LPUSH, then LTRIM
    to the limit): dropping the newest entry undoes our hit, or a concurrent one made at the
    same moment, which amounts to the same.
    """
    # limits types its connection as a protocol of the few commands it uses itself; the object
    # is the redis-py client the storage was built with (Redis, or RedisCluster for a cluster).
    connection = cast(redis.Redis | RedisCluster, storage.get_connection())
    connection.lpop(storage.prefixed_key(item.key_for(*identifiers)))


class ApiWithoutDefaultComponents(flask_smorest.Api):
    """flask-smorest's Api, minus the components it adds to every document on its own.

    flask-smorest 0.47.0 registers its `Error` schema (with a response per HTTPStatus name) and
    its `PaginationMetadata` schema (with the X-Pagination header) in every spec, through
    `_register_responses` and `_register_pagination_header`, with no setting to leave them
    out. Our document has its own error model and responses (api.openapi) and pages with
    ?limit=&offset=, so both registrations are skipped.
    """

    def _register_responses(self):
        pass

    def _register_pagination_header(self):
        pass
