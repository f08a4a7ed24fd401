"""The document and the validators say the same thing: each test pins a disagreement the fuzzer
(tests/contract/test_fuzz.py) found, where the API accepted what the document calls invalid, refused
what it calls valid, or routed a request past its documented answer."""

import re

import pytest

from tests.support.factories import DEFAULT_PASSWORD, auth_header, create_article, login, register, unique


@pytest.fixture(scope="module")
def document(app):
    return app.test_client().get("/api/openapi.json").get_json()


def _schema(document, name):
    return document["components"]["schemas"][name]


def _matches_documented_pattern(pattern: str, value: str) -> bool:
    # A JSON Schema pattern is searched for, unanchored; the ones here have no construct that
    # ECMA 262 and Python read differently.
    return re.search(pattern, value) is not None


@pytest.mark.parametrize("remember", [0, 1, "true", "false", "yes", "off", None])
def test_login_refuses_a_remember_that_is_not_a_boolean(client, remember):
    user = register(client)
    response = login(client, user["email"], remember=remember)
    assert response.status_code == 422, response.get_json()
    assert list(response.get_json()["errors"]) == ["remember", "body"]


@pytest.mark.parametrize("remember", [True, False])
def test_login_takes_a_boolean_remember(client, remember):
    user = register(client)
    assert login(client, user["email"], remember=remember).status_code == 200


@pytest.mark.parametrize("schema_name, fields", [
    ("UpdateUser", ["email", "username", "password", "bio", "image"]),
    ("UpdateArticle", ["title", "description", "body", "tagList"]),
])
def test_the_document_says_an_update_needs_a_field(document, schema_name, fields):
    assert _schema(document, schema_name)["anyOf"] == [{"required": [field]} for field in fields]


def test_an_empty_article_update_is_refused(client):
    user = register(client)
    article = create_article(client, user["token"])
    response = client.put(f"/api/articles/{article['slug']}", headers=auth_header(user["token"]),
                          json={"article": {}})
    assert response.status_code == 422
    assert "Send at least one of" in response.get_json()["errors"]["body"][0]


@pytest.mark.parametrize("method", ["PUT", "DELETE", "POST", "PATCH"])
def test_other_methods_on_the_feed_are_405_with_the_feeds_allow_header(client, method):
    user = register(client)
    response = client.open("/api/articles/feed", method=method, headers=auth_header(user["token"]),
                           json={"article": {"title": "x"}})
    assert response.status_code == 405, response.get_json()
    assert set(response.headers["Allow"].split(", ")) == {"GET", "HEAD", "OPTIONS"}
    assert set(client.options("/api/articles/feed").headers["Allow"].split(", ")) == {"GET", "HEAD", "OPTIONS"}


def test_the_feed_is_no_article_under_its_sub_routes(client):
    user = register(client)
    response = client.post("/api/articles/feed/favorite", headers=auth_header(user["token"]))
    assert response.status_code == 404
    assert response.is_json


def test_the_documented_slug_pattern_excludes_the_feed(document):
    pattern = document["paths"]["/api/articles/{slug}"]["get"]["parameters"][0]["schema"]["pattern"]
    assert not _matches_documented_pattern(pattern, "feed")
    assert _matches_documented_pattern(pattern, "feed-me") and _matches_documented_pattern(pattern, "a-feed")


@pytest.mark.parametrize("text, accepted", [
    (" leading space", True),
    ("\n\ttabbed", True),
    ("x", True),
    ("   ", False),
    ("\u3000\u2003", False),  # ideographic and em spaces
    ("\ufeff", False),  # white space to JSON Schema, not to Python's str.isspace
    ("\x1c\x1f", False),  # white space to Python, not to JSON Schema
    ("\x85\xa0", False),
])
def test_not_blank_means_one_non_space_character_anywhere(client, document, text, accepted):
    user = register(client)
    headers = auth_header(user["token"])
    title_pattern = _schema(document, "NewArticle")["properties"]["title"]["pattern"]
    article = create_article(client, user["token"])

    created = client.post("/api/articles", headers=headers,
                          json={"article": {"title": text, "description": "d", "body": text}})
    commented = client.post(f"/api/articles/{article['slug']}/comments", headers=headers,
                            json={"comment": {"body": text}})

    assert _matches_documented_pattern(title_pattern, text) is accepted
    assert created.status_code == (201 if accepted else 422), created.get_json()
    assert commented.status_code == (200 if accepted else 422), commented.get_json()
    if not accepted:
        assert set(created.get_json()["errors"]) == {"title", "body"}


def test_the_tag_limit_counts_tags_as_sent(client, document):
    user = register(client)
    headers = auth_header(user["token"])
    assert _schema(document, "NewArticle")["properties"]["tagList"]["maxItems"] == 20

    too_many = client.post("/api/articles", headers=headers, json={"article": {
        "title": unique("Tags "), "description": "d", "body": "b", "tagList": ["same"] * 21}})
    twenty = client.post("/api/articles", headers=headers, json={"article": {
        "title": unique("Tags "), "description": "d", "body": "b", "tagList": ["same"] * 19 + ["other"]}})

    assert too_many.status_code == 422
    assert "tagList" in too_many.get_json()["errors"]
    assert twenty.status_code == 201
    assert sorted(twenty.get_json()["article"]["tagList"]) == ["other", "same"]


@pytest.mark.parametrize("tag, accepted", [
    ("  dragons  ", True),
    (" " * 3, False),
    ("x" * 64, True),
    (" " + "x" * 64, False),  # 65 characters as sent, 64 once trimmed
])
def test_a_tag_is_validated_as_sent_then_trimmed(client, tag, accepted):
    user = register(client)
    response = client.post("/api/articles", headers=auth_header(user["token"]), json={"article": {
        "title": unique("Tag "), "description": "d", "body": "b", "tagList": [tag]}})
    assert response.status_code == (201 if accepted else 422), response.get_json()
    if accepted:
        assert response.get_json()["article"]["tagList"] == [tag.strip()]


@pytest.mark.parametrize("image, accepted", [
    ("https://example.com/me.png", True),
    ("http://localhost:8080/me.png?size=2#top", True),  # no TLD: marshmallow's Url refused it
    ("https://cdn-1.example.org", True),
    ("", True),
    ("ftp://example.com/a.png", False),
    ("https://", False),
    ("https://exa mple.com/a.png", False),
    ("https://example.com/a b.png", False),
    ("https://-example.com/", False),
    ("javascript:alert(1)", False),
])
def test_the_image_url_pattern_is_the_documented_one(client, document, image, accepted):
    user = register(client)
    pattern = _schema(document, "UpdateUser")["properties"]["image"]["pattern"]
    response = client.put("/api/user", headers=auth_header(user["token"]), json={"user": {"image": image}})

    assert _matches_documented_pattern(pattern, image) is accepted
    assert response.status_code == (200 if accepted else 422), response.get_json()
    if accepted:
        assert response.get_json()["user"]["image"] == (image or None)


@pytest.mark.parametrize("path", [
    "/api/articles/{slug}%0A",
    "/api/articles/{slug}%0A/comments",
    "/api/articles/{slug}%0A/favorite",
])
def test_a_slug_with_a_trailing_newline_is_refused(client, path):
    user = register(client)
    article = create_article(client, user["token"])
    response = client.get(path.format(slug=article["slug"])) if "favorite" not in path else \
        client.post(path.format(slug=article["slug"]), headers=auth_header(user["token"]))
    assert response.status_code == 422, response.get_json()
    assert list(response.get_json()["errors"]) == ["slug", "body"]


def test_registration_still_takes_the_documented_example(client):
    username = unique()
    response = client.post("/api/users", json={"user": {
        "username": username, "email": f"{username}@example.com", "password": DEFAULT_PASSWORD}})
    assert response.status_code == 201
