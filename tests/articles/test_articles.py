import re
import time

import pytest

from tests.support.factories import add_comment, auth_header, create_article, favorite, register, unique

TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


@pytest.fixture
def author(api_client):
    return register(api_client)


def test_create_returns_the_article_in_the_contract_shape(api_client, author):
    title = unique("Dragons ")
    article = create_article(api_client, author["token"], title=title, description="d", body="b")
    assert set(article) == {"slug", "title", "description", "body", "tagList", "createdAt", "updatedAt",
                            "favorited", "favoritesCount", "author"}
    assert article["slug"] == title.lower().replace(" ", "-")
    assert (article["title"], article["description"], article["body"]) == (title, "d", "b")
    assert article["tagList"] == []
    assert TIMESTAMP.match(article["createdAt"]) and article["createdAt"] == article["updatedAt"]
    assert (article["favorited"], article["favoritesCount"]) == (False, 0)
    assert article["author"] == {"username": author["username"], "bio": None, "image": None, "following": False}


def test_tags_are_trimmed_deduplicated_and_sorted(api_client, author):
    zebra, apple = unique("zebra"), unique("apple")
    article = create_article(api_client, author["token"], tagList=[zebra, f"  {apple} ", apple.upper(), zebra])
    assert article["tagList"] == [apple, zebra]


@pytest.mark.parametrize("article, field", [
    ({"description": "d", "body": "b"}, "title"),
    ({"title": "t", "body": "b"}, "description"),
    ({"title": "t", "description": "d"}, "body"),
    ({"title": "   ", "description": "d", "body": "b"}, "title"),
    ({"title": "t" * 256, "description": "d", "body": "b"}, "title"),
    ({"title": "t", "description": "d", "body": ""}, "body"),
    ({"title": "t", "description": "d", "body": "b", "tagList": "dragons"}, "tagList"),
    ({"title": "t", "description": "d", "body": "b", "tagList": ["  "]}, "tagList"),
    ({"title": "t", "description": "d", "body": "b", "tagList": ["x" * 65]}, "tagList"),
    ({"title": "t", "description": "d", "body": "b", "tagList": [f"t{i}" for i in range(21)]}, "tagList"),
    ({"title": "t", "description": "d", "body": "b", "tagList": [3]}, "tagList"),
])
def test_invalid_new_article_is_422_naming_the_field(api_client, author, article, field):
    response = api_client.post("/api/articles", json={"article": article}, headers=auth_header(author["token"]))
    assert response.status_code == 422
    assert field in response.get_json()["errors"]


def test_create_without_envelope_is_422(api_client, author):
    response = api_client.post("/api/articles", json={"title": "t"}, headers=auth_header(author["token"]))
    assert response.status_code == 422
    assert "article" in response.get_json()["errors"]


def test_create_needs_a_login(api_client):
    response = api_client.post("/api/articles", json={"article": {"title": "t", "description": "d", "body": "b"}})
    assert response.status_code == 401


def test_same_title_gets_its_own_slug(api_client, author):
    title = unique("Hello ")
    first = create_article(api_client, author["token"], title=title)
    second = create_article(api_client, author["token"], title=title, body="second")
    assert first["slug"] != second["slug"] and second["slug"].startswith(first["slug"] + "-")
    assert api_client.get(f"/api/articles/{second['slug']}").get_json()["article"]["body"] == "second"


@pytest.mark.parametrize("title, expected", [
    ("中文标题", "zhong-wen-biao-ti"),
    ("Ελληνικά γράμματα", "ellenika-grammata"),
    ("Привет, мир!", "privet-mir"),
    ("🎉🚀", None),
    ("Feed", None),  # GET /api/articles/feed is the feed: that slug must stay free
])
def test_non_ascii_titles_give_usable_slugs(api_client, author, title, expected):
    article = create_article(api_client, author["token"], title=title)
    assert SLUG.match(article["slug"])
    if expected:
        assert article["slug"] == expected or article["slug"].startswith(expected + "-")
    else:
        assert article["slug"] != "feed"
    response = api_client.get(f"/api/articles/{article['slug']}")
    assert response.status_code == 200 and response.get_json()["article"]["title"] == title


def test_get_article_anonymously_and_by_token(api_client, author):
    article = create_article(api_client, author["token"], tagList=[unique("tag")])
    reader = register(api_client)
    anonymous = api_client.get(f"/api/articles/{article['slug']}").get_json()["article"]
    assert anonymous == article
    favorite(api_client, reader["token"], article["slug"])
    seen = api_client.get(f"/api/articles/{article['slug']}", headers=auth_header(reader["token"])).get_json()
    assert (seen["article"]["favorited"], seen["article"]["favoritesCount"]) == (True, 1)


def test_unknown_slug_is_404_and_malformed_slug_is_422(api_client):
    assert api_client.get(f"/api/articles/{unique('no-such-')}").status_code == 404
    response = api_client.get("/api/articles/Not_A_Slug")
    assert response.status_code == 422 and "slug" in response.get_json()["errors"]


def test_bad_token_on_get_article_is_401(api_client, author):
    article = create_article(api_client, author["token"])
    response = api_client.get(f"/api/articles/{article['slug']}", headers=auth_header("revoked-or-made-up"))
    assert response.status_code == 401


def test_new_title_gives_new_slug_and_moves_updated_at(api_client, author):
    article = create_article(api_client, author["token"])
    time.sleep(0.005)
    new_title = unique("Renamed ")
    response = api_client.put(f"/api/articles/{article['slug']}", json={"article": {"title": new_title}},
                              headers=auth_header(author["token"]))
    assert response.status_code == 200
    updated = response.get_json()["article"]
    assert updated["title"] == new_title and updated["slug"] == new_title.lower().replace(" ", "-")
    assert updated["updatedAt"] > article["updatedAt"] and updated["createdAt"] == article["createdAt"]
    assert api_client.get(f"/api/articles/{article['slug']}").status_code == 404
    assert api_client.get(f"/api/articles/{updated['slug']}").status_code == 200


def test_update_keeps_slug_when_title_unchanged_and_replaces_tags(api_client, author):
    old_tag, new_tag = unique("old"), unique("new")
    article = create_article(api_client, author["token"], tagList=[old_tag])
    response = api_client.put(
        f"/api/articles/{article['slug']}",
        json={"article": {"title": article["title"], "body": "new body", "tagList": [new_tag]}},
        headers=auth_header(author["token"]),
    )
    updated = response.get_json()["article"]
    assert (updated["slug"], updated["body"], updated["tagList"]) == (article["slug"], "new body", [new_tag])
    assert updated["description"] == article["description"]


def test_update_without_tag_list_keeps_tags(api_client, author):
    tag = unique("kept")
    article = create_article(api_client, author["token"], tagList=[tag])
    response = api_client.put(f"/api/articles/{article['slug']}", json={"article": {"description": "new"}},
                              headers=auth_header(author["token"]))
    assert response.get_json()["article"]["tagList"] == [tag]


def test_empty_update_is_422(api_client, author):
    article = create_article(api_client, author["token"])
    response = api_client.put(f"/api/articles/{article['slug']}", json={"article": {}},
                              headers=auth_header(author["token"]))
    assert response.status_code == 422


def test_only_the_author_may_update_or_delete(api_client, author):
    article = create_article(api_client, author["token"])
    other = register(api_client)
    url = f"/api/articles/{article['slug']}"
    assert api_client.put(url, json={"article": {"body": "x"}}, headers=auth_header(other["token"])).status_code == 403
    assert api_client.delete(url, headers=auth_header(other["token"])).status_code == 403
    assert api_client.get(url).get_json()["article"]["body"] == article["body"]


def test_update_and_delete_of_unknown_article_are_404(api_client, author):
    url = f"/api/articles/{unique('no-such-')}"
    headers = auth_header(author["token"])
    assert api_client.put(url, json={"article": {"body": "x"}}, headers=headers).status_code == 404
    assert api_client.delete(url, headers=headers).status_code == 404


def test_update_and_delete_need_a_login(api_client, author):
    url = f"/api/articles/{create_article(api_client, author['token'])['slug']}"
    assert api_client.put(url, json={"article": {"body": "x"}}).status_code == 401
    assert api_client.delete(url).status_code == 401


def test_delete_removes_the_article_with_its_comments_and_favorites(api_client, author):
    article = create_article(api_client, author["token"], tagList=[unique("gone")])
    reader = register(api_client)
    favorite(api_client, reader["token"], article["slug"])
    add_comment(api_client, reader["token"], article["slug"])
    response = api_client.delete(f"/api/articles/{article['slug']}", headers=auth_header(author["token"]))
    assert response.status_code == 204 and response.data == b""
    assert api_client.get(f"/api/articles/{article['slug']}").status_code == 404
    assert api_client.get(f"/api/articles/{article['slug']}/comments").status_code == 404
    favorites = api_client.get(f"/api/articles?favorited={reader['username']}").get_json()
    assert favorites == {"articles": [], "articlesCount": 0, "nextCursor": None}


def test_malformed_json_is_an_error_in_the_contract_format(api_client, author):
    response = api_client.post("/api/articles", data='{"article": {', content_type="application/json",
                               headers=auth_header(author["token"]))
    assert response.status_code in (400, 422)
    assert response.get_json()["errors"]["body"]


def test_renaming_to_a_taken_title_gets_its_own_slug(api_client, author):
    existing = create_article(api_client, author["token"])
    article = create_article(api_client, author["token"])
    response = api_client.put(f"/api/articles/{article['slug']}", json={"article": {"title": existing["title"]}},
                              headers=auth_header(author["token"]))
    renamed = response.get_json()["article"]
    assert renamed["slug"].startswith(existing["slug"] + "-")
    assert api_client.get(f"/api/articles/{existing['slug']}").get_json()["article"]["body"] == existing["body"]
