"""Keyset pages: `?before=<nextCursor>` on the list (with each filter) and the feed."""

import pytest

from schemas.pagination import INVALID_CURSOR
from tests.support.factories import auth_header, create_article, favorite, follow, register, unique


@pytest.fixture(scope="module")
def shelf(app):
    """An author with 7 articles (4 tagged, 5 favorited by the reader, who follows the author),
    and a second author's 2 tagged articles in between."""
    client = app.test_client(use_cookies=False)
    author, other, reader = register(client), register(client), register(client)
    tag = unique("shelved-")
    articles = []
    for number in range(7):
        articles.append(create_article(client, author["token"], tagList=[tag] if number % 2 == 0 else []))
        if number in (2, 4):
            create_article(client, other["token"], tagList=[tag])
    for article in articles[:5]:
        favorite(client, reader["token"], article["slug"])
    follow(client, reader["token"], author["username"])
    return {"author": author, "other": other, "reader": reader, "tag": tag, "articles": articles}


def get_page(client, path: str, token: str | None = None) -> dict:
    response = client.get(path, headers=auth_header(token) if token else {})
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def walk(client, path: str, limit: int, *, by_cursor: bool, token: str | None = None) -> list[dict]:
    """Every page of `path` in turn, by nextCursor or by offset, until the API says there is no more."""
    separator = "&" if "?" in path else "?"
    pages, position = [], ""
    while True:
        page = get_page(client, f"{path}{separator}limit={limit}{position}", token)
        pages.append(page)
        if page["nextCursor"] is None:
            return pages
        position = f"&before={page['nextCursor']}" if by_cursor else f"&offset={limit * len(pages)}"


def slugs(pages: list[dict]) -> list[str]:
    return [article["slug"] for page in pages for article in page["articles"]]


def list_path(shelf, query: str) -> str:
    return "/api/articles" + query.format(tag=shelf["tag"], author=shelf["author"]["username"],
                                          reader=shelf["reader"]["username"])


@pytest.mark.parametrize("query", ["?tag={tag}", "?author={author}", "?favorited={reader}",
                                   "?tag={tag}&author={author}", "?tag={tag}&favorited={reader}"])
@pytest.mark.parametrize("limit", [1, 2, 3, 100])
def test_walking_by_cursor_yields_every_article_once_like_the_offset_walk(api_client, shelf, query, limit):
    path = list_path(shelf, query)
    by_cursor, by_offset = walk(api_client, path, limit, by_cursor=True), walk(api_client, path, limit, by_cursor=False)
    everything = get_page(api_client, f"{path}&limit=100")
    assert slugs(by_cursor) == slugs(by_offset) == slugs([everything])
    assert len(set(slugs(by_cursor))) == len(slugs(by_cursor)) == everything["articlesCount"] > 0
    assert all(page["articlesCount"] == everything["articlesCount"] for page in by_cursor)
    # Every page but the last is full, and the last is never empty: the walk stops on it.
    assert all(len(page["articles"]) == limit for page in by_cursor[:-1]) and by_cursor[-1]["articles"]
    created = [article["createdAt"] for article in everything["articles"]]
    assert created == sorted(created, reverse=True)


def test_walking_the_whole_list_by_cursor_matches_the_offset_walk(api_client, shelf):
    by_cursor = walk(api_client, "/api/articles", 50, by_cursor=True)
    assert slugs(by_cursor) == slugs(walk(api_client, "/api/articles", 50, by_cursor=False))
    assert len(set(slugs(by_cursor))) == by_cursor[0]["articlesCount"] == len(slugs(by_cursor))


def test_walking_the_feed_by_cursor_matches_the_offset_walk(api_client, shelf):
    token = shelf["reader"]["token"]
    by_cursor = walk(api_client, "/api/articles/feed", 2, by_cursor=True, token=token)
    by_offset = walk(api_client, "/api/articles/feed", 2, by_cursor=False, token=token)
    assert slugs(by_cursor) == slugs(by_offset) == [article["slug"] for article in reversed(shelf["articles"])]


def test_a_page_that_fills_exactly_has_no_next_cursor(api_client, shelf):
    path = list_path(shelf, "?author={author}")
    assert get_page(api_client, f"{path}&limit=7")["nextCursor"] is None
    assert get_page(api_client, f"{path}&limit=6")["nextCursor"] is not None


def test_offset_pages_carry_the_cursor_of_the_next_page(api_client, shelf):
    path = list_path(shelf, "?author={author}")
    first = get_page(api_client, f"{path}&limit=3&offset=1")
    assert get_page(api_client, f"{path}&limit=3&before={first['nextCursor']}")["articles"] == \
        get_page(api_client, f"{path}&limit=3&offset=4")["articles"]


def test_an_offset_with_a_cursor_skips_that_many_more(api_client, shelf):
    path = list_path(shelf, "?author={author}")
    cursor = get_page(api_client, f"{path}&limit=2")["nextCursor"]
    assert slugs([get_page(api_client, f"{path}&limit=2&offset=3&before={cursor}")]) == \
        slugs([get_page(api_client, f"{path}&limit=2&offset=5")])


def test_a_cursor_past_the_end_gives_an_empty_page(api_client, shelf):
    path = list_path(shelf, "?author={author}")
    assert [len(page["articles"]) for page in walk(api_client, path, 6, by_cursor=True)] == [6, 1]
    # AAAAAAAAAAE is article 1's cursor: no article is older.
    assert get_page(api_client, f"{path}&before=AAAAAAAAAAE") == {"articles": [], "articlesCount": 7,
                                                                   "nextCursor": None}
    assert get_page(api_client, "/api/articles?before=AAAAAAAAAAA")["articles"] == []
    # The largest cursor is newer than every article: the first page.
    assert get_page(api_client, f"{path}&before=f_________8") == get_page(api_client, path)


@pytest.mark.parametrize("cursor", ["", "x", "12345", "AAAAAAAAAAB", "gAAAAAAAAAA", "AAAAAAAAAA=", "AAAAAAAAAIQ=",
                                    "AAAAAAAAAIQ\n", "AAAAAAAA AIQ", "-1"])
@pytest.mark.parametrize("path", ["/api/articles", "/api/articles/feed"])
def test_a_bad_cursor_is_refused_with_422(api_client, shelf, cursor, path):
    response = api_client.get(path, query_string={"before": cursor}, headers=auth_header(shelf["reader"]["token"]))
    assert response.status_code == 422
    errors = response.get_json()["errors"]
    assert errors["before"] == [INVALID_CURSOR] and any(INVALID_CURSOR in message for message in errors["body"])


def test_a_write_between_pages_neither_repeats_nor_skips(api_client):
    """Two readers walk a tag two articles a page, one by offset, one by cursor, while a newer
    article comes and then one of the second page goes: offsets shift under the writes, a cursor stays put."""
    writer = register(api_client)
    tag = unique("moving-")
    written = [create_article(api_client, writer["token"], tagList=[tag])["slug"] for _ in range(6)]
    path = f"/api/articles?tag={tag}&limit=2"
    by_offset, by_cursor = [get_page(api_client, path)], [get_page(api_client, path)]

    create_article(api_client, writer["token"], tagList=[tag])
    by_offset.append(get_page(api_client, f"{path}&offset=2"))
    by_cursor.append(get_page(api_client, f"{path}&before={by_cursor[-1]['nextCursor']}"))

    removed = api_client.delete(f"/api/articles/{written[3]}", headers=auth_header(writer["token"]))
    assert removed.status_code == 204
    by_offset.append(get_page(api_client, f"{path}&offset=4"))
    by_cursor.append(get_page(api_client, f"{path}&before={by_cursor[-1]['nextCursor']}"))

    newest_first = written[::-1]
    assert slugs(by_cursor) == newest_first and by_cursor[-1]["nextCursor"] is None
    seen_by_offset = slugs(by_offset)
    assert seen_by_offset.count(written[4]) == 2 and written[2] not in seen_by_offset  # what keyset avoids


def test_cached_anonymous_pages_keep_cursors_apart(make_app, shelf):
    client = make_app(LIST_CACHE_ENABLED=True).test_client(use_cookies=False)
    path = list_path(shelf, "?author={author}") + "&limit=3"
    first = get_page(client, path)
    for _twice in range(2):  # a miss, then a hit
        second = get_page(client, f"{path}&before={first['nextCursor']}")
        assert slugs([second]) == [article["slug"] for article in shelf["articles"][3:0:-1]]
        assert get_page(client, path) == first
