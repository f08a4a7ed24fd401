"""Redis Cluster: sessions, their per-user index, rate limits and the tags cache across three primaries.

A throwaway cluster of three primaries runs on ports of its own (REDIS_CLUSTER_NODES). Sessions
and their user's index land in different hash slots, so these scenarios only pass if every
multi-key operation copes with that (see api/redis_store.py).
"""

import time

import pytest
from redis.cluster import RedisCluster

from api import create_app
from api.sessions import user_sessions_key
from settings import TestConfig
from tests.support.cluster_servers import create_redis_cluster, redis_cluster_nodes, running
from tests.support.factories import auth_header, create_article, login, register, unique
from tests.support.probes import count_queries

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    nodes = redis_cluster_nodes(tmp_path_factory.mktemp("cluster"))
    with running(*nodes):
        create_redis_cluster(nodes)
        yield nodes


@pytest.fixture(scope="module")
def cluster_app(cluster, test_settings):
    app = create_app(TestConfig, {
        **test_settings,
        "REDIS_CLUSTER_NODES": [f"127.0.0.1:{node.port}" for node in cluster[:2]],  # it finds the third
        "RATELIMIT_ENABLED": True, "RATELIMIT_LOGIN": "3 per 15 minutes",
    })
    yield app
    app.extensions["sql_pool"].close()


def slot(cluster, key: str) -> int:
    return cluster[0].client().execute_command("CLUSTER", "KEYSLOT", key)


def test_sessions_by_cookie_and_token_list_revoke_and_log_out(cluster, cluster_app):
    browser = cluster_app.test_client()
    user = register(browser)
    assert browser.get("/api/user").status_code == 200  # by cookie

    api = cluster_app.test_client(use_cookies=False)
    tokens = [login(api, user["email"]).get_json()["user"]["token"] for _ in range(3)]
    for token in tokens:
        assert api.get("/api/user", headers=auth_header(token)).status_code == 200
    # The sessions lie in several slots: listing them with one MGET, or revoking them in one
    # MULTI, would fail here.
    session_keys = [cluster_app.config["SESSION_KEY_PREFIX"] + token for token in tokens]
    assert len({slot(cluster, key) for key in session_keys}) > 1
    assert RedisCluster(host="127.0.0.1", port=cluster[2].port).exists(*session_keys) == 3  # not elsewhere

    sessions = api.get("/api/user/sessions", headers=auth_header(tokens[0])).get_json()["sessions"]
    assert len(sessions) == 4
    other = next(s for s in sessions if not s["current"])
    assert api.delete(f"/api/user/sessions/{other['id']}", headers=auth_header(tokens[0])).status_code == 204
    remaining = api.get("/api/user/sessions", headers=auth_header(tokens[0])).get_json()["sessions"]
    assert other["id"] not in {s["id"] for s in remaining} and len(remaining) == 3

    # Every other session at once: their keys sit in several slots of several nodes.
    assert api.delete("/api/user/sessions", headers=auth_header(tokens[0])).status_code == 204
    assert browser.get("/api/user").status_code == 401
    for token in tokens[1:]:
        assert api.get("/api/user", headers=auth_header(token)).status_code == 401
    assert len(api.get("/api/user/sessions", headers=auth_header(tokens[0])).get_json()["sessions"]) == 1

    assert api.post("/api/users/logout", headers=auth_header(tokens[0])).status_code == 204
    assert api.get("/api/user", headers=auth_header(tokens[0])).status_code == 401


def test_failed_logins_get_429_after_the_limit(cluster_app):
    user = register(cluster_app.test_client())
    attacker = cluster_app.test_client()
    assert [login(attacker, user["email"], "wrong-password").status_code for _ in range(3)] == [401] * 3
    blocked = login(attacker, user["email"])
    assert blocked.status_code == 429
    assert int(blocked.headers["Retry-After"]) > 0


def test_the_tags_cache_works_in_a_cluster(cluster_app):
    api = cluster_app.test_client(use_cookies=False)
    user = register(api)
    tag = unique("cluster")
    assert tag not in api.get("/api/tags").get_json()["tags"]
    create_article(api, user["token"], tagList=[tag])
    assert tag in api.get("/api/tags").get_json()["tags"]  # the version bump reached the reader
    assert tag in api.get("/api/tags").get_json()["tags"]  # ... and the refilled cache serves it


def test_article_counts_are_cached_in_a_cluster(cluster_app):
    """The content cache reads its generation and an entry with one MGET: one hash slot."""
    api = cluster_app.test_client(use_cookies=False)
    user = register(api)
    tag = unique("counted")
    create_article(api, user["token"], tagList=[tag])
    first, first_queries = count_queries(api, "GET", f"/api/articles?tag={tag}")
    again, cached_queries = count_queries(api, "GET", f"/api/articles?tag={tag}")
    assert first.get_json()["articlesCount"] == again.get_json()["articlesCount"] == 1
    assert cached_queries == first_queries - 1  # the count came from the cache
    create_article(api, user["token"], tagList=[tag])
    assert api.get(f"/api/articles?tag={tag}").get_json()["articlesCount"] == 2


def test_purging_expired_session_ids_scans_every_primary(cluster_app):
    client, now = cluster_app.extensions["redis"], time.time()
    indexes = [user_sessions_key(cluster_app.config["REDIS_KEY_PREFIX"], unique("purge")) for _ in range(6)]
    for index in indexes:  # six indexes, in slots all over the cluster
        client.zadd(index, {"expired": now - 60, "live": now + 600})
    result = cluster_app.test_cli_runner().invoke(args=["sessions", "purge-expired"])
    assert result.exit_code == 0, result.output
    assert all(client.zrange(index, 0, -1) == [b"live"] for index in indexes)


def test_reads_are_conditional_in_a_cluster(cluster, cluster_app):
    """A revalidation reads the generations and the ETag remembered under the first one's hash tag:
    one MGET for an article (one slot), a pipeline for its comments (two slots, where an MGET
    would fail)."""
    assert slot(cluster, "{content}generation") != slot(cluster, "{comments}generation")
    api = cluster_app.test_client(use_cookies=False)
    user = register(api)
    article = create_article(api, user["token"])
    for url in (f"/api/articles/{article['slug']}", f"/api/articles/{article['slug']}/comments"):
        etag = api.get(url).headers["ETag"]
        assert api.get(url, headers={"If-None-Match": etag}).status_code == 304
        remembered, queries = count_queries(api, "GET", url, headers={"If-None-Match": etag})
        assert remembered.status_code == 304 and queries == 0, url
    url = f"/api/articles/{article['slug']}/comments"
    added = api.post(url, json={"comment": {"body": "Hi"}}, headers=auth_header(user["token"]))
    assert added.status_code == 200
    assert api.get(url, headers={"If-None-Match": etag}).status_code == 200
