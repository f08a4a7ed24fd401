import json

import pytest

from tests.support.factories import auth_header, create_article, register, unique
from tests.support.probes import count_queries


@pytest.fixture
def author(api_client):
    return register(api_client)


@pytest.fixture
def cache_keys(app):
    prefix = app.config["REDIS_KEY_PREFIX"]
    return {"tags": prefix + "{tags}:in-use", "version": prefix + "{tags}:generation"}


def tags(api_client):
    response = api_client.get("/api/tags")
    assert response.status_code == 200
    return response.get_json()["tags"]


def test_tags_in_use_are_listed_most_used_first(api_client, author):
    once, twice, thrice = unique("once"), unique("twice"), unique("thrice")
    for tag_list in ([once, twice, thrice], [twice, thrice], [thrice]):
        create_article(api_client, author["token"], tagList=tag_list)
    listed = tags(api_client)
    assert listed.index(thrice) < listed.index(twice) < listed.index(once)
    assert len(listed) == len(set(listed))


def test_tags_come_from_the_cache_without_sql(api_client, redis_client, cache_keys, author):
    create_article(api_client, author["token"], tagList=[unique("cached")])
    listed = tags(api_client)
    generation, _, cached = redis_client.get(cache_keys["tags"]).partition(b":")  # api/cache's entry format
    assert json.loads(cached) == listed and generation == (redis_client.get(cache_keys["version"]) or b"0")
    response, queries = count_queries(api_client, "GET", "/api/tags")
    assert response.get_json()["tags"] == listed and queries == 0


def test_new_article_tags_appear_at_once(api_client, author):
    tags(api_client)
    tag = unique("fresh")
    create_article(api_client, author["token"], tagList=[tag])
    response, queries = count_queries(api_client, "GET", "/api/tags")
    assert tag in response.get_json()["tags"] and queries == 1  # refilled from MySQL


def test_updated_tags_replace_the_old_ones_in_the_list(api_client, author):
    old, new = unique("before"), unique("after")
    article = create_article(api_client, author["token"], tagList=[old])
    assert old in tags(api_client)
    api_client.put(f"/api/articles/{article['slug']}", json={"article": {"tagList": [new]}},
                   headers=auth_header(author["token"]))
    listed = tags(api_client)
    assert new in listed and old not in listed


def test_deleted_article_takes_its_unique_tags_out_of_the_list(api_client, author):
    tag = unique("doomed")
    article = create_article(api_client, author["token"], tagList=[tag])
    assert tag in tags(api_client)
    api_client.delete(f"/api/articles/{article['slug']}", headers=auth_header(author["token"]))
    assert tag not in tags(api_client)


def test_changes_that_leave_tags_alone_keep_the_cache(api_client, redis_client, cache_keys, author):
    article = create_article(api_client, author["token"], tagList=[unique("stable")])
    tags(api_client)
    version = redis_client.get(cache_keys["version"])
    create_article(api_client, author["token"])
    api_client.put(f"/api/articles/{article['slug']}", json={"article": {"body": "new"}},
                   headers=auth_header(author["token"]))
    assert redis_client.get(cache_keys["version"]) == version
    assert count_queries(api_client, "GET", "/api/tags")[1] == 0


def test_a_list_read_before_a_change_is_never_served_after_it(api_client, redis_client, cache_keys, author):
    tags(api_client)
    stale_entry = redis_client.get(cache_keys["tags"])
    tag = unique("racing")
    create_article(api_client, author["token"], tagList=[tag])
    # A slow reader that read MySQL before the change now fills the cache with what it read:
    redis_client.set(cache_keys["tags"], stale_entry)
    assert tag in tags(api_client)


def test_tags_and_anonymous_reads_work_without_redis(api_client, make_app, author):
    tag = unique("offline")
    create_article(api_client, author["token"], tagList=[tag])
    without_redis = make_app(REDIS_URL="redis://127.0.0.1:1/0", REDIS_SOCKET_TIMEOUT=1).test_client()
    response = without_redis.get("/api/tags")
    assert response.status_code == 200 and tag in response.get_json()["tags"]
    response = without_redis.get("/api/articles", query_string={"tag": tag})
    assert response.status_code == 200 and response.get_json()["articlesCount"] == 1


def test_without_mysql_cached_tags_are_served_and_lists_are_503(api_client, make_app, author):
    tag = unique("warm")
    create_article(api_client, author["token"], tagList=[tag])
    tags(api_client)
    without_mysql = make_app(DATABASE_URL="mysql://root@127.0.0.1:1/conduit", DB_CONNECT_TIMEOUT=1).test_client()
    response = without_mysql.get("/api/tags")
    assert response.status_code == 200 and tag in response.get_json()["tags"]
    response = without_mysql.get("/api/articles")
    assert response.status_code == 503 and response.headers["Retry-After"]
