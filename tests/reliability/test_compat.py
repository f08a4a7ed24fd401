"""The library internals api/compat.py relies on, checked against the real libraries: each test
fails when an upgrade changes the behaviour its function (or override) counts on."""

import pickle
import time
import warnings

import msgspec
import pytest
from flask import Flask
from flask_session.base import MsgSpecSerializer
from flask_session.redis import RedisSessionInterface
from flask_smorest import Api
from limits import parse
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

from api.compat import ApiWithoutDefaultComponents, pool_counters, undo_moving_window_hit
from api.sessions import ConduitSessionInterface, UnreadableSession
from tests.support.factories import register, unique


def test_dbutils_pool_counts_connections_lent_out_and_idle(make_app):
    pool = make_app(DB_POOL_MAX_CONNECTIONS=2, DB_POOL_MAX_CACHED=2, DB_POOL_MIN_CACHED=1).extensions["sql_pool"].get()
    assert pool_counters(pool).in_use == 0 and pool_counters(pool).idle == 1
    first, second = pool.connection(), pool.connection()
    assert pool_counters(pool).in_use == 2 and pool_counters(pool).idle == 0
    first.close()
    second.close()
    assert pool_counters(pool).in_use == 0 and pool_counters(pool).idle == 2


def test_flask_session_redis_constructor_still_swaps_a_client_that_is_not_redis():
    app, cluster_like_client = Flask(__name__), object()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        theirs = RedisSessionInterface(app, client=cluster_like_client)
    assert theirs.client is not cluster_like_client  # so ours must skip that constructor

    ours = ConduitSessionInterface(app, client=cluster_like_client, key_prefix="p:", permanent=True, sid_length=32)
    assert ours.client is cluster_like_client
    assert (ours.app, ours.key_prefix, ours.permanent, ours.sid_length) == (app, "p:", True, 32)


def test_flask_session_decoder_still_unpickles_which_ours_refuses(app, redis_client):
    pickled = pickle.dumps({"user_id": 1})
    assert MsgSpecSerializer(app, "msgpack").decode(pickled) == {"user_id": 1}

    interface = app.session_interface
    key = interface.store_key(unique("compat-"))
    redis_client.set(key, pickled, ex=60)
    with pytest.raises(UnreadableSession):
        interface._retrieve_session_data(key)  # the backend's read, through our serializer


def test_flask_session_saves_through_our_upsert_session(app, api_client, redis_client):
    token = register(api_client)["token"]
    stored = msgspec.msgpack.decode(redis_client.get(app.session_interface.store_key(token)))
    assert "expires_at" in stored  # written by our _upsert_session only


def test_limits_moving_window_is_a_redis_list_newest_first_that_one_pop_undoes(app, redis_client):
    prefix = app.config["REDIS_KEY_PREFIX"] + "compat-limits"
    storage = storage_from_string("redis://", key_prefix=prefix, connection_pool=redis_client.connection_pool)
    limiter, item, who = MovingWindowRateLimiter(storage), parse("3 per minute"), unique("ip-")
    key = storage.prefixed_key(item.key_for(who))
    try:
        assert limiter.hit(item, who)
        time.sleep(0.01)
        assert limiter.hit(item, who)
        newest, older = (float(entry) for entry in redis_client.lrange(key, 0, -1))
        assert newest > older
        undo_moving_window_hit(storage, item, who)
        assert limiter.get_window_stats(item, who).remaining == 2
        assert [float(entry) for entry in redis_client.lrange(key, 0, -1)] == [older]
    finally:
        redis_client.delete(key)


def _document_schemas(api_class) -> set[str]:
    app = Flask(__name__)
    app.config.update(API_TITLE="t", API_VERSION="1", OPENAPI_VERSION="3.0.3")
    return set(api_class(app).spec.to_dict().get("components", {}).get("schemas", {}))


def test_flask_smorest_still_adds_its_error_and_pagination_components_which_ours_leaves_out():
    assert {"Error", "PaginationMetadata"} <= _document_schemas(Api)
    assert not {"Error", "PaginationMetadata"} & _document_schemas(ApiWithoutDefaultComponents)
