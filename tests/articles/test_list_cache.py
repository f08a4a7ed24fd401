"""Cached counts and the optional cache of anonymous list pages: fast, and never stale."""

import json

import pytest

from schemas.articles import MAX_TAGS, TAG_MAX_LENGTH
from tests.support.factories import auth_header, create_article, favorite, follow, register, unique
from tests.support.probes import count_queries


@pytest.fixture
def cached_client(make_app):
    return make_app(LIST_CACHE_ENABLED=True).test_client(use_cookies=False)


def page(client, query: str) -> dict:
    response = client.get(f"/api/articles?{query}")
    assert response.status_code == 200
    return response.get_json()


def test_a_repeated_anonymous_page_costs_no_sql(cached_client):
    author = register(cached_client)
    tag = unique("cached")
    create_article(cached_client, author["token"], tagList=[tag])
    first, _ = count_queries(cached_client, "GET", f"/api/articles?tag={tag}")
    again, queries = count_queries(cached_client, "GET", f"/api/articles?tag={tag}")
    assert queries == 0 and again.get_json() == first.get_json() and again.headers["Content-Type"].startswith(
        "application/json")


def test_cached_pages_follow_every_change_at_once(cached_client):
    author, reader = register(cached_client), register(cached_client)
    tag = unique("fresh")
    query = f"tag={tag}&limit=2"
    assert page(cached_client, query) == {"articles": [], "articlesCount": 0, "nextCursor": None}

    first = create_article(cached_client, author["token"], tagList=[tag])
    assert [a["slug"] for a in page(cached_client, query)["articles"]] == [first["slug"]]

    second = create_article(cached_client, author["token"], tagList=[tag])
    listed = page(cached_client, query)
    assert [a["slug"] for a in listed["articles"]] == [second["slug"], first["slug"]] and listed["articlesCount"] == 2

    favorite(cached_client, reader["token"], first["slug"])
    assert page(cached_client, query)["articles"][1]["favoritesCount"] == 1

    renamed = cached_client.put(f"/api/articles/{first['slug']}", headers=auth_header(author["token"]),
                                json={"article": {"description": "changed"}})
    assert renamed.status_code == 200
    assert page(cached_client, query)["articles"][1]["description"] == "changed"

    bio = cached_client.put("/api/user", headers=auth_header(author["token"]), json={"user": {"bio": "new bio"}})
    assert bio.status_code == 200
    assert page(cached_client, query)["articles"][0]["author"]["bio"] == "new bio"

    deleted = cached_client.delete(f"/api/articles/{second['slug']}", headers=auth_header(author["token"]))
    assert deleted.status_code == 204
    listed = page(cached_client, query)
    assert [a["slug"] for a in listed["articles"]] == [first["slug"]] and listed["articlesCount"] == 1


def test_signed_in_callers_are_never_served_a_cached_page(cached_client):
    author, reader = register(cached_client), register(cached_client)
    tag = unique("mine")
    article = create_article(cached_client, author["token"], tagList=[tag])
    favorite(cached_client, reader["token"], article["slug"])
    assert page(cached_client, f"tag={tag}")["articles"][0]["favorited"] is False  # anonymous, now cached
    mine = cached_client.get(f"/api/articles?tag={tag}", headers=auth_header(reader["token"])).get_json()
    assert mine["articles"][0]["favorited"] is True


def test_counts_are_exact_right_after_a_write(api_client):
    author = register(api_client)
    tag = unique("counted")
    for expected in (1, 2, 3):
        create_article(api_client, author["token"], tagList=[tag])
        assert page(api_client, f"tag={tag}&limit=1")["articlesCount"] == expected


def test_tag_lists_keep_any_characters(api_client):
    author = register(api_client)
    odd = [unique('quote"'), unique("comma,"), unique("back\\slash"), unique("ünï ☃"), unique("[bracket]")]
    article = create_article(api_client, author["token"], tagList=odd)
    listed = page(api_client, f"author={author['username']}")["articles"][0]
    single = api_client.get(f"/api/articles/{article['slug']}").get_json()["article"]
    assert sorted(listed["tagList"]) == sorted(single["tagList"]) == sorted(odd)


def test_the_longest_tag_lists_come_back_whole(make_app):
    """20 tags of 64 characters that JSON escapes at length, read on sessions that start with
    MySQL's default group_concat_max_len (1,024 bytes), which would cut the GROUP_CONCAT of an
    article's tags: the pool's required session settings come after any configured ones."""
    app = make_app(DB_POOL_SETSESSION=["SET time_zone = '+00:00'", "SET SESSION group_concat_max_len = 1024"])
    client = app.test_client(use_cookies=False)
    author = register(client)
    tags = [(f"{number:02d}" + "\u0001\"" * TAG_MAX_LENGTH)[:TAG_MAX_LENGTH] for number in range(MAX_TAGS)]
    article = create_article(client, author["token"], tagList=tags)
    listed = page(client, f"author={author['username']}")["articles"][0]
    single = client.get(f"/api/articles/{article['slug']}").get_json()["article"]
    assert listed["tagList"] == single["tagList"] == sorted(tags)
    assert len(json.dumps(tags)) > 4 * 1024


def test_bulk_seeding_makes_cached_counts_stale(app, api_client):
    from api.seeding import seed_demo_data

    before = page(api_client, "limit=1")["articlesCount"]
    assert page(api_client, "limit=1")["articlesCount"] == before  # now cached
    with app.app_context():
        seed_demo_data(1, 3)
    assert page(api_client, "limit=1")["articlesCount"] == before + 3


def test_a_count_refilled_late_in_a_request_sees_changes_made_since_its_first_read(app, make_app):
    from api.data.article_pages import ArticleFilters, count_articles
    from api.db import db

    writer = make_app().test_client(use_cookies=False)  # its own app context, connection and pool
    author = register(writer)
    tag = unique("snapshot")
    create_article(writer, author["token"], tagList=[tag])
    with app.test_request_context():
        assert count_articles(ArticleFilters(tag=tag)) == 1
        db.fetch_one("SELECT COUNT(*) AS n FROM articles")  # this context's snapshot starts here
        create_article(writer, author["token"], tagList=[tag])  # another request commits, bumps
        assert count_articles(ArticleFilters(tag=tag)) == 2


CONTENT_SIGNALS = ("article_created", "article_updated", "article_deleted", "article_favorited",
                   "article_unfavorited", "profile_followed", "profile_unfollowed")


@pytest.fixture
def deaf_client(make_app):
    """A list-caching app whose content signals reach no receiver: the caches must follow every
    change all the same, since the write itself makes them stale."""
    from api import signals

    app = make_app(LIST_CACHE_ENABLED=True)
    for name in CONTENT_SIGNALS:
        signal = getattr(signals, name)
        for receiver in list(signal.receivers_for(app)):
            signal.disconnect(receiver, sender=app)
        assert list(signal.receivers_for(app)) == []
    return app.test_client(use_cookies=False)


def test_caches_follow_every_content_change_without_any_receiver(deaf_client):
    client = deaf_client
    author, reader = register(client), register(client)
    reader_headers = auth_header(reader["token"])
    tag, new_tag = unique("deaf"), unique("deaf-new")
    query = f"tag={tag}"

    def tags_in_use() -> list[str]:
        return client.get("/api/tags").get_json()["tags"]

    def feed_count() -> int:
        return client.get("/api/articles/feed", headers=reader_headers).get_json()["articlesCount"]

    assert page(client, query) == {"articles": [], "articlesCount": 0, "nextCursor": None} and tag not in tags_in_use()
    article = create_article(client, author["token"], tagList=[tag])
    assert page(client, query)["articlesCount"] == 1 and tag in tags_in_use()

    assert feed_count() == 0
    follow(client, reader["token"], author["username"])
    assert feed_count() == 1
    assert client.delete(f"/api/profiles/{author['username']}/follow", headers=reader_headers).status_code == 200
    assert feed_count() == 0

    favorite(client, reader["token"], article["slug"])
    assert page(client, query)["articles"][0]["favoritesCount"] == 1
    assert client.delete(f"/api/articles/{article['slug']}/favorite", headers=reader_headers).status_code == 200
    assert page(client, query)["articles"][0]["favoritesCount"] == 0

    changed = client.put(f"/api/articles/{article['slug']}", headers=auth_header(author["token"]),
                         json={"article": {"description": "changed", "tagList": [tag, new_tag]}})
    assert changed.status_code == 200
    assert page(client, query)["articles"][0]["description"] == "changed" and new_tag in tags_in_use()

    deleted = client.delete(f"/api/articles/{article['slug']}", headers=auth_header(author["token"]))
    assert deleted.status_code == 204
    assert page(client, query) == {"articles": [], "articlesCount": 0, "nextCursor": None}
    assert tag not in tags_in_use() and new_tag not in tags_in_use()
