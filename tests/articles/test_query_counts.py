"""SQL statements per request, per endpoint: fixed, whatever the page size.

An authenticated read costs what an anonymous one costs: the caller is known from the session,
with no SQL (api/auth.py). Writes that need the caller's row (for the response or a signal) load
it: one statement, named "caller" below.
A page of articles is one statement (each article's tags come in its row), and takes its total
from a Redis cache while the content generation stays the same: right after a change it counts once more.
A page after a keyset cursor (`?before=`) costs what the first page costs.
"""

import pytest

from api.cache import content_cache
from tests.support.factories import add_comment, auth_header, create_article, favorite, follow, register, unique
from tests.support.probes import count_queries


def make_counts_stale(app):
    """Start from a changed generation, as right after a write: the next page counts again."""
    with app.app_context():
        content_cache.bump()


@pytest.fixture(scope="module")
def crowd(app):
    """An author with 20 tagged, favorited, commented articles, and a reader following the author."""
    client = app.test_client(use_cookies=False)
    author, reader = register(client), register(client)
    tag = unique("counted")
    articles = [create_article(client, author["token"], tagList=[tag, unique("extra")]) for _ in range(20)]
    for article in articles:
        favorite(client, reader["token"], article["slug"])
    follow(client, reader["token"], author["username"])
    for index in range(20):
        add_comment(client, reader["token"], articles[0]["slug"], f"comment {index}")
    add_comment(client, reader["token"], articles[1]["slug"])
    return {"author": author, "reader": reader, "tag": tag, "articles": articles}


@pytest.mark.parametrize("query", [
    "", "?tag={tag}", "?author={author}", "?favorited={reader}", "?tag={tag}&author={author}&favorited={reader}",
])
def test_a_page_of_20_costs_what_a_page_of_1_costs(app, api_client, crowd, query):
    url = "/api/articles" + query.format(tag=crowd["tag"], author=crowd["author"]["username"],
                                         reader=crowd["reader"]["username"])
    separator = "&" if "?" in url else "?"
    headers = auth_header(crowd["reader"]["token"])
    make_counts_stale(app)
    big, big_count = count_queries(api_client, "GET", f"{url}{separator}limit=20", headers=headers)
    small, small_count = count_queries(api_client, "GET", f"{url}{separator}limit=1", headers=headers)
    assert len(big.get_json()["articles"]) == 20 and len(small.get_json()["articles"]) == 1
    assert big.get_json()["articlesCount"] == small.get_json()["articlesCount"] >= 20
    assert big_count == 2  # page, count
    assert small_count == 1  # the count came from the cache
    assert count_queries(api_client, "GET", f"{url}{separator}limit=20")[1] == 1  # anonymous: the page


@pytest.mark.parametrize("query", ["", "?tag={tag}", "?author={author}", "?favorited={reader}"])
def test_a_page_after_a_cursor_costs_what_the_first_page_costs(app, api_client, crowd, query):
    url = "/api/articles" + query.format(tag=crowd["tag"], author=crowd["author"]["username"],
                                         reader=crowd["reader"]["username"])
    separator = "&" if "?" in url else "?"
    headers = auth_header(crowd["reader"]["token"])
    cursor = api_client.get(f"{url}{separator}limit=1").get_json()["nextCursor"]
    make_counts_stale(app)
    for limit, expected in ((19, 2), (1, 1)):  # the page, and the count until it is cached
        response, queries = count_queries(api_client, "GET", f"{url}{separator}limit={limit}&before={cursor}",
                                          headers=headers)
        assert len(response.get_json()["articles"]) == limit and queries == expected
    assert count_queries(api_client, "GET", f"{url}{separator}limit=19&before={cursor}")[1] == 1  # anonymous


def test_feed_costs_a_fixed_number_at_any_size(app, api_client, crowd):
    headers = auth_header(crowd["reader"]["token"])
    make_counts_stale(app)
    # followed authors, page, and the count
    assert count_queries(api_client, "GET", "/api/articles/feed?limit=20", headers=headers)[1] == 3
    for limit in (1, 20):
        response, queries = count_queries(api_client, "GET", f"/api/articles/feed?limit={limit}", headers=headers)
        assert len(response.get_json()["articles"]) == limit and queries == 2
    cursor = api_client.get("/api/articles/feed?limit=1", headers=headers).get_json()["nextCursor"]
    for limit in (1, 19):
        response, queries = count_queries(api_client, "GET", f"/api/articles/feed?limit={limit}&before={cursor}",
                                          headers=headers)
        assert len(response.get_json()["articles"]) == limit and queries == 2


def test_an_empty_page_costs_what_a_full_one_costs(api_client):
    response, queries = count_queries(api_client, "GET", f"/api/articles?tag={unique('none')}")
    assert response.get_json()["articles"] == [] and queries == 2  # page, count (a new filter: not cached)


def test_comments_cost_one_statement_at_any_count(api_client, crowd):
    articles = crowd["articles"]
    for article, expected_comments in ((articles[0], 20), (articles[1], 1), (articles[2], 0)):
        response, queries = count_queries(api_client, "GET", f"/api/articles/{article['slug']}/comments")
        assert len(response.get_json()["comments"]) == expected_comments and queries == 1
    response, queries = count_queries(api_client, "GET", f"/api/articles/{unique('no-such')}/comments")
    assert response.status_code == 404 and queries == 1


def test_single_resources_cost_a_fixed_number(api_client, crowd):
    slug = crowd["articles"][0]["slug"]
    headers = auth_header(crowd["reader"]["token"])
    assert count_queries(api_client, "GET", f"/api/articles/{slug}")[1] == 1  # article with its tags
    assert count_queries(api_client, "GET", f"/api/articles/{slug}", headers=headers)[1] == 1
    assert count_queries(api_client, "GET", f"/api/profiles/{crowd['author']['username']}")[1] == 1
    assert count_queries(api_client, "GET", f"/api/profiles/{crowd['author']['username']}", headers=headers)[1] == 1


def test_writes_cost_a_fixed_number(api_client):
    author, reader = register(api_client), register(api_client)
    headers, reader_headers = auth_header(author["token"]), auth_header(reader["token"])
    new_article = {"article": {"title": unique("Counted "), "description": "d", "body": "b",
                               "tagList": [unique("a"), unique("b"), unique("c")]}}
    # caller, article, tags, links, then the article with its tags
    response, queries = count_queries(api_client, "POST", "/api/articles", json=new_article, headers=headers)
    assert response.status_code == 201 and queries == 5
    slug = response.get_json()["article"]["slug"]
    # owner check, update, delete links, tags, links, article with its tags
    update = {"article": {"title": unique("Renamed "), "tagList": [unique("d")]}}
    response, queries = count_queries(api_client, "PUT", f"/api/articles/{slug}", json=update, headers=headers)
    assert response.status_code == 200 and queries == 6
    slug = response.get_json()["article"]["slug"]
    # caller, lock article, insert favorite, bump count, article with its tags; a repeat skips the bump
    assert count_queries(api_client, "POST", f"/api/articles/{slug}/favorite", headers=reader_headers)[1] == 5
    assert count_queries(api_client, "POST", f"/api/articles/{slug}/favorite", headers=reader_headers)[1] == 4
    assert count_queries(api_client, "DELETE", f"/api/articles/{slug}/favorite", headers=reader_headers)[1] == 5
    # caller, insert comment, read it back
    comment_body = {"comment": {"body": "hi"}}
    response, queries = count_queries(api_client, "POST", f"/api/articles/{slug}/comments", json=comment_body,
                                      headers=reader_headers)
    assert queries == 3
    comment_id = response.get_json()["comment"]["id"]
    # comment owner, delete
    assert count_queries(api_client, "DELETE", f"/api/articles/{slug}/comments/{comment_id}",
                         headers=reader_headers)[1] == 2
    # caller, profile, insert follow
    assert count_queries(api_client, "POST", f"/api/profiles/{author['username']}/follow",
                         headers=reader_headers)[1] == 3
    # owner check, delete
    assert count_queries(api_client, "DELETE", f"/api/articles/{slug}", headers=headers)[1] == 2
