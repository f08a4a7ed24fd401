"""Hostile input on the content endpoints (articles, comments, the article list): huge and
repeated query parameters, odd Unicode stored exactly, non-UTF-8 and deeply nested bodies,
wrongly typed fields. Every answer is a success or a 4xx in the contract's JSON error shape."""

import pytest

from tests.contract.test_hostile_input import assert_client_error
from tests.support.factories import add_comment, auth_header, create_article, register, unique


@pytest.fixture
def author(api_client):
    return register(api_client)


@pytest.fixture
def article(api_client, author):
    return create_article(api_client, author["token"])


def content_writes(article: dict) -> list[tuple[str, str]]:
    """(method, path) of every endpoint that reads an article or comment body."""
    return [("POST", "/api/articles"), ("PUT", f"/api/articles/{article['slug']}"),
            ("POST", f"/api/articles/{article['slug']}/comments")]


def send_raw(client, method: str, path: str, data: bytes, token: str):
    return client.open(path, method=method, data=data, content_type="application/json", headers=auth_header(token))


# Huge, odd and repeated query parameters on the lists.

@pytest.mark.parametrize("query, blamed", [
    (f"limit={10**100}", "limit"),
    (f"offset={10**100}", "offset"),
    ("offset=-1", "offset"),
    (f"offset={2**31}", "offset"),
    ("limit=" + "9" * 5000, "limit"),
    ("offset=" + "9" * 5000, "offset"),
    ("limit=1e3", "limit"),
    ("limit=5.0", "limit"),
    ("limit=0x10", "limit"),
    ("limit=%00", "limit"),
    ("limit=%ff", "limit"),
    ("limit=NaN", "limit"),
    ("limit=-0", "limit"),
])
def test_out_of_range_or_malformed_pagination_is_422_on_the_parameter(api_client, author, query, blamed):
    for path in ("/api/articles", "/api/articles/feed"):
        response = api_client.get(f"{path}?{query}", headers=auth_header(author["token"]))

        assert blamed in assert_client_error(response, 422)


@pytest.mark.parametrize("name", ["tag", "author", "favorited"])
def test_a_filter_of_100_kb_is_an_empty_list(api_client, name):
    response = api_client.get(f"/api/articles?{name}={'x' * 100_000}")

    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert response.get_json() == {"articles": [], "articlesCount": 0, "nextCursor": None}


@pytest.mark.parametrize("value", ["%ff%fe", "%ed%a0%80", "%e2%80%ae%f0%9f%90%89", "%25", "'%20OR%201=1--"])
def test_odd_filter_values_are_an_empty_list(api_client, value):
    # Each value ends in a token no tag or user has: the collation ignores U+202E, so the bare
    # right-to-left mark and dragon equals a "\U0001f409" tag, which the property tests may
    # have stored in this shared database.
    suffix = unique("-")
    for name in ("tag", "author", "favorited"):
        response = api_client.get(f"/api/articles?{name}={value}{suffix}")

        assert response.status_code == 200, response.get_data(as_text=True)[:300]
        assert response.get_json()["articlesCount"] == 0


@pytest.mark.parametrize("value", ["%00", "%0a"])
def test_control_character_filters_are_a_well_formed_list(api_client, value):
    # The collation ignores NUL, zero-width spaces and the like: "\x00" equals any tag made only of
    # such characters (and "\n" one of them around a newline), which another test may have
    # stored in this shared database, so there is no count to expect.
    for name in ("tag", "author", "favorited"):
        response = api_client.get(f"/api/articles?{name}={value}")

        assert response.status_code == 200, response.get_data(as_text=True)[:300]
        page = response.get_json()
        assert page["articlesCount"] >= len(page["articles"])
        assert all("body" not in article for article in page["articles"])


def test_odd_and_huge_filters_are_harmless_to_the_list_cache(make_app):
    cached_client = make_app(LIST_CACHE_ENABLED=True).test_client()

    for query in [{"tag": "x" * 100_000}, {"tag": "\x00\u202e\U0001f409", "author": "%ff"}, {"favorited": "\ud7ff"}]:
        for _twice in range(2):  # a miss, then a hit
            response = cached_client.get("/api/articles", query_string=query)

            assert response.status_code == 200
            assert response.get_json() == {"articles": [], "articlesCount": 0, "nextCursor": None}


def test_repeated_and_many_parameters_use_the_first_and_ignore_the_rest(api_client, author):
    tag = unique("tag")
    create_article(api_client, author["token"], tagList=[tag])
    junk = "&".join(f"p{index}={index}" for index in range(5_000))

    response = api_client.get(f"/api/articles?tag={tag}&tag=other&limit=1&limit=500&{junk}")

    assert response.status_code == 200
    assert response.get_json()["articlesCount"] == 1 and len(response.get_json()["articles"]) == 1


# Odd but valid Unicode is stored exactly and returned as sent.

ODD_TEXTS = [
    "\u202eright-to-left\u202c \u05e9\u05dc\u05d5\u05dd \u0645\u0631\u062d\u0628\u0627",
    "zero\u200bwidth\u200c\u200djoiners\u2060\ufeff",
    "NUL:\x00 controls:\x01\x1b\x7f\x85",
    "e\u0301 \u00e9 Z\u0351\u0324\u036e\u0301a\u0338l\u0334g\u0336o",
    "\U0001f600\U0001f409 \U0001f468\u200d\U0001f469\u200d\U0001f467 \U0001f1eb\U0001f1f7 \u2764\ufe0f",
    "\ufffd\ufffe\uffff\U0010ffff \U0001d400\U0001d41b",
    "&#38; &amp; <script>alert(1)</script> ' \" \\ % _",
]


@pytest.mark.parametrize("text", ODD_TEXTS)
def test_odd_unicode_in_an_article_and_a_comment_is_stored_exactly(api_client, author, text):
    tag = unique("t") + text[:40] + "!"  # not at an end, where tags are trimmed

    created = create_article(api_client, author["token"], title=text, description=text, body=text, tagList=[tag])
    comment = add_comment(api_client, author["token"], created["slug"], body=text)

    stored = api_client.get(f"/api/articles/{created['slug']}").get_json()["article"]
    assert (stored["title"], stored["description"], stored["body"], stored["tagList"]) == (text, text, text, [tag])
    assert api_client.get(f"/api/articles/{created['slug']}/comments").get_json()["comments"][0]["body"] == text
    assert comment["body"] == text
    listed = api_client.get("/api/articles", query_string={"tag": tag}).get_json()["articles"]
    assert [item["slug"] for item in listed] == [created["slug"]]
    assert tag in api_client.get("/api/tags").get_json()["tags"]


def test_tags_that_differ_only_in_an_emoji_stay_apart(api_client, author):
    prefix = unique("pet")
    dragon = create_article(api_client, author["token"], tagList=[f"{prefix}\U0001f409"])
    rocket = create_article(api_client, author["token"], tagList=[f"{prefix}\U0001f680", f"{prefix}\U0001f409"])

    assert dragon["tagList"] == [f"{prefix}\U0001f409"]
    assert sorted(rocket["tagList"]) == sorted([f"{prefix}\U0001f680", f"{prefix}\U0001f409"])
    listed = api_client.get("/api/articles", query_string={"tag": f"{prefix}\U0001f680"}).get_json()
    assert [item["slug"] for item in listed["articles"]] == [rocket["slug"]]


@pytest.mark.parametrize("text", ["    indented code", "\n\nA body after blank lines", "\t\u3000x"])
def test_text_that_starts_with_whitespace_is_not_blank(api_client, author, text):
    created = create_article(api_client, author["token"], title=text, body=text)
    comment = add_comment(api_client, author["token"], created["slug"], body=text)

    assert (created["title"], created["body"], comment["body"]) == (text, text, text)


@pytest.mark.parametrize("text", ["   ", "\n\t\u3000\u2028\x85", ""])
def test_whitespace_only_text_is_blank(api_client, author, article, text):
    token = auth_header(author["token"])

    created = api_client.post("/api/articles", json={"article": {"title": text, "description": "", "body": text}},
                              headers=token)
    updated = api_client.put(f"/api/articles/{article['slug']}", json={"article": {"body": text}}, headers=token)
    comment = api_client.post(f"/api/articles/{article['slug']}/comments", json={"comment": {"body": text}},
                              headers=token)

    assert {"title", "body"} <= set(assert_client_error(created, 422))
    assert "body" in assert_client_error(updated, 422)
    assert any(message.startswith("body:") for message in assert_client_error(comment, 422)["body"])


def test_a_slug_with_a_trailing_newline_is_malformed_not_unknown(api_client, article):
    response = api_client.get(f"/api/articles/{article['slug']}%0A")

    assert "slug" in assert_client_error(response, 422)


@pytest.mark.parametrize("slug", ["a" * 256, "a" * 100_000, "%F0%9F%90%89", "%ff", "a%00b", "A-Slug", "a--b", "-a"])
def test_malformed_slugs_in_any_path_are_422_on_the_slug(api_client, author, slug):
    token = auth_header(author["token"])
    for method, path in [("GET", f"/api/articles/{slug}"), ("DELETE", f"/api/articles/{slug}"),
                         ("GET", f"/api/articles/{slug}/comments"), ("POST", f"/api/articles/{slug}/favorite"),
                         ("DELETE", f"/api/articles/{slug}/comments/1")]:
        assert "slug" in assert_client_error(api_client.open(path, method=method, headers=token), 422)


@pytest.mark.parametrize("comment_id", ["9" * 5000, str(2**63), "0", "-1", "1e3", "%ff", "%F0%9F%90%89"])
def test_malformed_comment_ids_are_422_on_the_id(api_client, author, article, comment_id):
    response = api_client.delete(f"/api/articles/{article['slug']}/comments/{comment_id}",
                                 headers=auth_header(author["token"]))

    assert "id" in assert_client_error(response, 422)


# Unreadable bodies.

@pytest.mark.parametrize("data, reason", [
    (b'{"article": {"title": "\xff\xfe", "description": "d", "body": "b"}}', "it is not UTF-8"),
    ('{"article": {"title": "caf\u00e9"}, "comment": {"body": "caf\u00e9"}}'.encode("latin-1"), "it is not UTF-8"),
    ('{"article": {"title": "t"}}'.encode("utf-16"), "it is not UTF-8"),
    (b"[" * 100_000 + b"]" * 100_000, "it is nested too deeply"),
    (b'{"article": {"tagList": ' + b"[" * 100_000 + b"]" * 100_000 + b"}}", "it is nested too deeply"),
    (b'{"article": {"title": "\\ud83d"}, "comment": {"body": "\\ud83d"}}',
     "a string holds an unpaired UTF-16 surrogate"),
    (b'{"article": {"tagList": [' + b"1" * 5000 + b"]}}", "a number has too many digits"),
], ids=["invalid-bytes", "latin-1", "utf-16", "nested-arrays", "nested-tag-list", "lone-surrogate", "5000-digits"])
def test_unreadable_bodies_on_content_endpoints_are_400_with_the_reason(api_client, author, article, data, reason):
    for method, path in content_writes(article):
        errors = assert_client_error(send_raw(api_client, method, path, data, author["token"]), 400)

        assert errors["body"] == [f"Invalid JSON body: {reason}."]


def test_a_body_over_the_limit_on_content_endpoints_is_413(api_client, app, author, article):
    oversized = b'{"article": {"body": "' + b"x" * app.config["MAX_CONTENT_LENGTH"] + b'"}}'

    for method, path in content_writes(article):
        assert_client_error(send_raw(api_client, method, path, oversized, author["token"]), 413)


# Wrongly typed fields.

@pytest.mark.parametrize("tag_list", [
    "dragons", 7, None, True, {"name": "dragons"}, [["dragons"]], [1, 2], [None], [{"name": "x"}], [True],
    [""], ["x" * 65], [f"tag{index}" for index in range(21)],
])
def test_a_wrongly_typed_tag_list_is_422_on_it(api_client, author, article, tag_list):
    token = auth_header(author["token"])
    new = {"title": "t", "description": "d", "body": "b", "tagList": tag_list}

    created = api_client.post("/api/articles", json={"article": new}, headers=token)
    updated = api_client.put(f"/api/articles/{article['slug']}", json={"article": {"tagList": tag_list}},
                             headers=token)

    assert "tagList" in assert_client_error(created, 422)
    assert "tagList" in assert_client_error(updated, 422)


@pytest.mark.parametrize("envelope", [
    None, [], "article", 3, {"article": None}, {"article": []}, {"article": "t"}, {"article": {"article": {}}},
    {"comment": {"body": ["b"]}, "article": {"title": 5, "description": None, "body": {"$ne": ""}}},
    {"comment": {"body": None}, "article": {"title": ["t"], "body": 1.5, "description": False}},
])
def test_wrongly_typed_content_bodies_are_422(api_client, author, article, envelope):
    for method, path in content_writes(article):
        response = api_client.open(path, method=method, json=envelope, headers=auth_header(author["token"]))

        assert_client_error(response, 422)
