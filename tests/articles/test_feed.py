import pytest

from tests.support.factories import auth_header, create_article, follow, register


@pytest.fixture
def feed_world(api_client):
    reader, followed, other_followed, stranger = (register(api_client) for _ in range(4))
    first = create_article(api_client, followed["token"])
    create_article(api_client, stranger["token"])
    second = create_article(api_client, other_followed["token"])
    third = create_article(api_client, followed["token"])
    follow(api_client, reader["token"], followed["username"])
    follow(api_client, reader["token"], other_followed["username"])
    return {"reader": reader, "followed": followed, "expected": [third["slug"], second["slug"], first["slug"]]}


def feed(api_client, token, query=""):
    response = api_client.get(f"/api/articles/feed{query}", headers=auth_header(token))
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_feed_lists_followed_authors_newest_first(api_client, feed_world):
    body = feed(api_client, feed_world["reader"]["token"])
    assert [article["slug"] for article in body["articles"]] == feed_world["expected"]
    assert body["articlesCount"] == 3
    assert all(article["author"]["following"] for article in body["articles"])
    assert all("body" not in article for article in body["articles"])


def test_feed_pages_with_the_full_count(api_client, feed_world):
    body = feed(api_client, feed_world["reader"]["token"], "?limit=1&offset=1")
    assert [article["slug"] for article in body["articles"]] == feed_world["expected"][1:2]
    assert body["articlesCount"] == 3
    past_the_end = feed(api_client, feed_world["reader"]["token"], "?offset=3")
    assert past_the_end == {"articles": [], "articlesCount": 3, "nextCursor": None}


def test_unfollowing_drops_the_author_from_the_feed(api_client, feed_world):
    api_client.delete(f"/api/profiles/{feed_world['followed']['username']}/follow",
                      headers=auth_header(feed_world["reader"]["token"]))
    body = feed(api_client, feed_world["reader"]["token"])
    assert [article["slug"] for article in body["articles"]] == feed_world["expected"][1:2]


def test_feed_of_someone_following_nobody_is_empty(api_client):
    assert feed(api_client, register(api_client)["token"]) == {"articles": [], "articlesCount": 0, "nextCursor": None}


def test_feed_needs_a_login(api_client):
    assert api_client.get("/api/articles/feed").status_code == 401
    assert api_client.get("/api/articles/feed", headers=auth_header("made-up")).status_code == 401


def test_feed_validates_pagination(api_client):
    user = register(api_client)
    response = api_client.get("/api/articles/feed?limit=101", headers=auth_header(user["token"]))
    assert response.status_code == 422


@pytest.mark.parametrize("max_branches", [100, 1], ids=["per-author walk", "plain join fallback"])
def test_every_feed_page_is_the_plain_join_page(app, api_client, monkeypatch, max_branches):
    from api.data import feed_pages
    from api.data.article_pages import ArticleFilters, fetch_article_page

    monkeypatch.setattr(feed_pages, "MAX_BRANCHES", max_branches)
    reader, *authors = (register(api_client) for _ in range(4))
    for author in authors:
        follow(api_client, reader["token"], author["username"])
    for index in (0, 1, 0, 2, 0, 1, 0, 0):  # interleaved, one prolific author
        create_article(api_client, authors[index]["token"])
    with app.test_request_context():
        from api.db import db
        reader_id = db.fetch_one("SELECT id FROM users WHERE username = %s", (reader["username"],))["id"]
        for limit in (1, 2, 3, 20):
            for offset in (0, 1, 2, 5, 7, 8):
                ours = feed_pages.fetch_feed_page(reader_id, limit=limit, offset=offset)
                plain = fetch_article_page(ArticleFilters(followed_by=reader_id), viewer_id=reader_id,
                                           limit=limit, offset=offset)
                assert ours == plain and ours["articles_count"] == 8, (limit, offset)
                assert len(ours["articles"]) == max(0, min(limit, 8 - offset))
