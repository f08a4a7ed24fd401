"""The comments of an article come a page at a time (`limit`, default 100, at most 500; `offset`),
with `commentsCount`, for a fixed number of SQL statements whatever the page size."""

import pytest

from tests.support.factories import add_comment, auth_header, create_article, register, unique
from tests.support.probes import count_queries


@pytest.fixture(scope="module")
def discussion(app):
    """An article with 105 comments (bodies "comment 0" ... "comment 104") and one without any."""
    client = app.test_client(use_cookies=False)
    author = register(client)
    article, quiet = create_article(client, author["token"]), create_article(client, author["token"])
    for index in range(105):
        add_comment(client, author["token"], article["slug"], f"comment {index}")
    return {"author": author, "slug": article["slug"], "quiet_slug": quiet["slug"]}


def comments_url(slug: str, query: str = "") -> str:
    return f"/api/articles/{slug}/comments{query}"


def test_the_default_page_is_the_newest_100_with_the_total(api_client, discussion):
    body = api_client.get(comments_url(discussion["slug"])).get_json()
    assert body["commentsCount"] == 105
    assert [comment["body"] for comment in body["comments"]] == [f"comment {i}" for i in range(104, 4, -1)]


def test_pages_walk_through_every_comment_once(api_client, discussion):
    seen = []
    for offset in range(0, 105, 40):
        body = api_client.get(comments_url(discussion["slug"], f"?limit=40&offset={offset}")).get_json()
        assert body["commentsCount"] == 105
        seen += [comment["id"] for comment in body["comments"]]
    assert len(seen) == len(set(seen)) == 105 and seen == sorted(seen, reverse=True)


def test_a_page_past_the_end_is_empty_not_a_404(api_client, discussion):
    for slug, total in ((discussion["slug"], 105), (discussion["quiet_slug"], 0)):
        response = api_client.get(comments_url(slug, "?offset=500"))
        assert response.status_code == 200
        assert response.get_json() == {"comments": [], "commentsCount": total}
    assert api_client.get(comments_url(discussion["quiet_slug"])).get_json() == {"comments": [], "commentsCount": 0}
    assert api_client.get(comments_url(unique("no-such"), "?offset=5")).status_code == 404


@pytest.mark.parametrize("query", ["?limit=0", "?limit=501", "?offset=-1", "?limit=many"])
def test_page_bounds_are_validated(api_client, discussion, query):
    response = api_client.get(comments_url(discussion["slug"], query))
    assert response.status_code == 422
    assert set(response.get_json()["errors"]) & {"limit", "offset"}


def test_the_largest_page_costs_what_the_smallest_costs(api_client, discussion):
    headers = auth_header(discussion["author"]["token"])
    for query in ("?limit=1", "?limit=500"):
        for extra in ({}, {"headers": headers}):
            response, queries = count_queries(api_client, "GET", comments_url(discussion["slug"], query), **extra)
            assert response.status_code == 200 and queries == 1
    assert len(api_client.get(comments_url(discussion["slug"], "?limit=500")).get_json()["comments"]) == 105
