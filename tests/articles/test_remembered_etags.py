"""The ETags the service remembers, stamped with the generations they were worked out under, so
that a repeated revalidation is a 304 with no SQL: trusted only while the stamp is current, and
never newer than the body they label."""

import time

from flask import current_app

from api.cache import content_cache
from api.conditional_gets import conditional_get, remembered_etag_entry
from tests.support.etags import assert_changed, etag_of, remembered_etag_of, revalidate
from tests.support.factories import create_article, favorite, register
from tests.support.probes import count_queries


def an_article_url(client) -> str:
    author = register(client)
    return f"/api/articles/{create_article(client, author['token'])['slug']}"


def plant_remembered_etag(app, url: str, stamp: bytes, etag: str) -> None:
    """Store `etag` as the anonymous caller's remembered ETag of `url`, under `stamp`."""
    with app.test_request_context(url):
        content_cache.store_stamped(remembered_etag_entry(None), stamp, etag.strip('"').encode())


def current_stamp(app, url: str) -> bytes:
    with app.test_request_context(url):
        return content_cache.read_stamped(remembered_etag_entry(None))[0]


def test_a_remembered_etag_with_the_current_stamp_is_trusted_without_sql(app, api_client):
    url = an_article_url(api_client)
    planted = '"3f2a9c1e0b7d4e6f8a5c2b1d0e9f8a7b"'
    plant_remembered_etag(app, url, current_stamp(app, url), planted)

    response, queries = count_queries(api_client, "GET", url, headers={"If-None-Match": planted})

    assert response.status_code == 304 and response.headers["ETag"] == planted
    assert queries == 0


def test_a_remembered_etag_with_another_stamp_is_not_trusted(app, api_client):
    url = an_article_url(api_client)
    planted = '"3f2a9c1e0b7d4e6f8a5c2b1d0e9f8a7b"'
    plant_remembered_etag(app, url, current_stamp(app, url) + b"0", planted)

    response, queries = count_queries(api_client, "GET", url, headers={"If-None-Match": planted})

    assert response.status_code == 200 and response.headers["ETag"] == etag_of(api_client, url)
    assert queries >= 1


def test_a_write_after_the_sql_retires_the_etag_remembered_from_it(make_app, api_client):
    """A revalidation reads the generations, then the SQL; a writer commits and bumps before the
    revalidation remembers its ETag. Stamped with the generations read before the SQL, the ETag
    of the old body is stale at once; stamped with those of its remembering, it would be served
    for the new body."""
    fan = register(api_client)
    url = an_article_url(api_client)
    old = etag_of(api_client, url)

    def read_then_a_write_commits():
        body = api_client.get(url).get_data()  # the reader's SQL: the article before the favorite
        favorite(api_client, fan["token"], url.rsplit("/", 1)[1])  # commits, then bumps
        return current_app.response_class(body, mimetype="application/json")

    # Another app instance (same database and Redis), so the writer's requests get their own contexts.
    reader = make_app()
    with reader.test_request_context(url, headers={"If-None-Match": old}):
        raced = conditional_get(content_cache)(read_then_a_write_commits)()
    assert raced.status_code == 304  # the reader answered what it read

    assert_changed(api_client, url, old)
    assert_changed(api_client, url, old)  # and not remembered since as current either


def test_a_bump_missed_by_redis_is_caught_up_within_the_cache_ttl(make_app, redis_client):
    """A remembered ETag lives CACHE_TTL_SECONDS: a change whose bump Redis missed is answered
    by the SQL again once it expires."""
    client = make_app(CACHE_TTL_SECONDS=1).test_client(use_cookies=False)
    fan = register(client)
    url = an_article_url(client)
    old = remembered_etag_of(client, url)

    favorite(client, fan["token"], url.rsplit("/", 1)[1])
    with client.application.app_context():
        redis_client.decr(content_cache._generation_key())  # as if Redis had missed the bump
    assert revalidate(client, url, old).status_code == 304  # stale, for at most the TTL
    time.sleep(1.1)
    assert_changed(client, url, old)
