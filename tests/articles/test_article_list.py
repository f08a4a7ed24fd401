"""GET /api/articles: filters, their combinations, pagination and the caller's flags."""

import pytest

from tests.support.factories import auth_header, create_article, favorite, follow, register, unique


@pytest.fixture(scope="module")
def world(app):
    """Two authors, two tags, one reader who favorites some articles; all names unique to this module.

    a1 (alice, t1)  a2 (alice, t1+t2)  a3 (alice, no tag)  b1 (bob, t1)   -- created in that order
    reader favorites a2 and b1.
    """
    client = app.test_client(use_cookies=False)
    alice, bob, reader = register(client), register(client), register(client)
    t1, t2 = unique("t1-"), unique("t2-")
    articles = {
        "a1": create_article(client, alice["token"], tagList=[t1]),
        "a2": create_article(client, alice["token"], tagList=[t1, t2]),
        "a3": create_article(client, alice["token"]),
        "b1": create_article(client, bob["token"], tagList=[t1]),
    }
    favorite(client, reader["token"], articles["a2"]["slug"])
    favorite(client, reader["token"], articles["b1"]["slug"])
    return {"alice": alice, "bob": bob, "reader": reader, "t1": t1, "t2": t2, **articles}


def names(world, body):
    by_slug = {world[name]["slug"]: name for name in ("a1", "a2", "a3", "b1")}
    return [by_slug[article["slug"]] for article in body["articles"]]


@pytest.mark.parametrize("query, expected", [
    ({"tag": "t1"}, ["b1", "a2", "a1"]),
    ({"tag": "t2"}, ["a2"]),
    ({"author": "alice"}, ["a3", "a2", "a1"]),
    ({"author": "bob"}, ["b1"]),
    ({"favorited": "reader"}, ["b1", "a2"]),
    ({"tag": "t1", "author": "alice"}, ["a2", "a1"]),
    ({"tag": "t1", "favorited": "reader"}, ["b1", "a2"]),
    ({"author": "alice", "favorited": "reader"}, ["a2"]),
    ({"tag": "t2", "author": "bob"}, []),
    ({"tag": "t1", "author": "alice", "favorited": "reader"}, ["a2"]),
])
def test_filters_combine_newest_first_with_the_total_count(api_client, world, query, expected):
    params = {key: world[value] if key == "tag" else world[value]["username"] for key, value in query.items()}
    response = api_client.get("/api/articles", query_string=params)
    assert response.status_code == 200
    body = response.get_json()
    assert names(world, body) == expected
    assert body["articlesCount"] == len(expected)


@pytest.mark.parametrize("filter_name", ["tag", "author", "favorited"])
def test_unknown_filter_value_gives_an_empty_list_not_404(api_client, filter_name):
    response = api_client.get("/api/articles", query_string={filter_name: unique("nothing")})
    assert response.status_code == 200
    assert response.get_json() == {"articles": [], "articlesCount": 0, "nextCursor": None}


def test_empty_filter_values_mean_no_filter(api_client, world):
    body = api_client.get("/api/articles?tag=&author=&favorited=&limit=100").get_json()
    assert body["articlesCount"] >= 4
    assert body == api_client.get("/api/articles?limit=100").get_json()


def test_unfiltered_list_is_newest_first(api_client, world):
    body = api_client.get("/api/articles?limit=100").get_json()
    ids_in_order = [article["slug"] for article in body["articles"]]
    ours = [world[name]["slug"] for name in ("b1", "a3", "a2", "a1")]
    assert [slug for slug in ids_in_order if slug in ours] == ours
    created = [article["createdAt"] for article in body["articles"]]
    assert created == sorted(created, reverse=True)


def test_list_items_carry_no_body(api_client, world):
    body = api_client.get("/api/articles", query_string={"author": world["alice"]["username"]}).get_json()
    assert body["articles"] and all("body" not in article for article in body["articles"])
    assert set(body["articles"][0]) == {"slug", "title", "description", "tagList", "createdAt", "updatedAt",
                                        "favorited", "favoritesCount", "author"}


def test_items_show_tags_counts_and_the_callers_flags(api_client, world):
    query = {"tag": world["t1"]}
    anonymous = {a["slug"]: a for a in api_client.get("/api/articles", query_string=query).get_json()["articles"]}
    assert sorted(anonymous[world["a2"]["slug"]]["tagList"]) == sorted([world["t1"], world["t2"]])
    assert anonymous[world["a2"]["slug"]]["favoritesCount"] == 1
    assert not any(a["favorited"] or a["author"]["following"] for a in anonymous.values())

    follower = register(api_client)
    follow(api_client, follower["token"], world["bob"]["username"])
    for token, favorited in ((world["reader"]["token"], {"a2", "b1"}), (follower["token"], set())):
        response = api_client.get("/api/articles", query_string=query, headers=auth_header(token))
        items = {a["slug"]: a for a in response.get_json()["articles"]}
        assert {name for name in ("a1", "a2", "b1") if items[world[name]["slug"]]["favorited"]} == favorited
    items = {a["slug"]: a for a in response.get_json()["articles"]}
    assert items[world["b1"]["slug"]]["author"]["following"] is True
    assert items[world["a1"]["slug"]]["author"]["following"] is False


@pytest.mark.parametrize("limit, offset, expected", [
    (2, 0, ["a3", "a2"]),
    (2, 2, ["a1"]),
    (1, 1, ["a2"]),
    (100, 0, ["a3", "a2", "a1"]),
    (20, 3, []),
    (20, 1000, []),
])
def test_limit_and_offset_page_through_with_the_full_count(api_client, world, limit, offset, expected):
    response = api_client.get("/api/articles", query_string={
        "author": world["alice"]["username"], "limit": limit, "offset": offset})
    body = response.get_json()
    assert names(world, body) == expected
    assert body["articlesCount"] == 3


@pytest.mark.parametrize("query", ["limit=0", "limit=101", "limit=-1", "limit=x", "offset=-1", "offset=x",
                                   "limit=1.5", "offset=99999999999"])
def test_bad_pagination_is_422_naming_the_parameter(api_client, query):
    response = api_client.get(f"/api/articles?{query}")
    assert response.status_code == 422
    assert query.split("=")[0] in response.get_json()["errors"]


def test_bad_token_on_the_list_is_401_not_anonymous(api_client):
    response = api_client.get("/api/articles", headers=auth_header("made-up-token"))
    assert response.status_code == 401
