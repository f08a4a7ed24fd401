import re

import pytest

from tests.support.factories import add_comment, auth_header, create_article, follow, register, unique


@pytest.fixture
def article(api_client):
    author = register(api_client)
    return {**create_article(api_client, author["token"]), "token": author["token"]}


def comments_of(api_client, slug, token=None):
    response = api_client.get(f"/api/articles/{slug}/comments", headers=auth_header(token) if token else {})
    assert response.status_code == 200, response.get_json()
    return response.get_json()["comments"]


def test_add_comment_returns_it_in_the_contract_shape(api_client, article):
    commenter = register(api_client)
    comment = add_comment(api_client, commenter["token"], article["slug"], "Nice article")
    assert set(comment) == {"id", "createdAt", "updatedAt", "body", "author"}
    assert isinstance(comment["id"], int) and comment["body"] == "Nice article"
    assert re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", comment["createdAt"])
    assert comment["author"] == {"username": commenter["username"], "bio": None, "image": None, "following": False}


def test_comments_are_listed_newest_first(api_client, article):
    commenter = register(api_client)
    first = add_comment(api_client, commenter["token"], article["slug"], "first")
    second = add_comment(api_client, article["token"], article["slug"], "second")
    assert comments_of(api_client, article["slug"]) == [second, first]


def test_comment_authors_show_following_for_the_caller(api_client, article):
    commenter, reader = register(api_client), register(api_client)
    add_comment(api_client, commenter["token"], article["slug"])
    follow(api_client, reader["token"], commenter["username"])
    assert comments_of(api_client, article["slug"], reader["token"])[0]["author"]["following"] is True
    assert comments_of(api_client, article["slug"])[0]["author"]["following"] is False


def test_article_without_comments_lists_none(api_client, article):
    assert comments_of(api_client, article["slug"]) == []


@pytest.mark.parametrize("payload", [{}, {"comment": {}}, {"comment": {"body": ""}}, {"comment": {"body": "  "}},
                                     {"comment": {"body": 7}}, {"comment": {"body": "x" * 10_001}}])
def test_invalid_comment_is_422(api_client, article, payload):
    response = api_client.post(f"/api/articles/{article['slug']}/comments", json=payload,
                               headers=auth_header(article["token"]))
    assert response.status_code == 422
    assert response.get_json()["errors"]["body"]


def test_comments_of_unknown_article_are_404(api_client):
    user = register(api_client)
    url = f"/api/articles/{unique('no-such-')}/comments"
    assert api_client.get(url).status_code == 404
    assert api_client.post(url, json={"comment": {"body": "hi"}}, headers=auth_header(user["token"])).status_code == 404


def test_commenting_needs_a_login_and_reading_refuses_a_bad_token(api_client, article):
    url = f"/api/articles/{article['slug']}/comments"
    assert api_client.post(url, json={"comment": {"body": "hi"}}).status_code == 401
    assert api_client.get(url, headers=auth_header("made-up")).status_code == 401


def test_only_the_comment_author_may_delete_it(api_client, article):
    commenter = register(api_client)
    comment = add_comment(api_client, commenter["token"], article["slug"])
    url = f"/api/articles/{article['slug']}/comments/{comment['id']}"
    # Not even the article's author:
    assert api_client.delete(url, headers=auth_header(article["token"])).status_code == 403
    assert comments_of(api_client, article["slug"]) == [comment]
    response = api_client.delete(url, headers=auth_header(commenter["token"]))
    assert response.status_code == 204 and response.data == b""
    assert comments_of(api_client, article["slug"]) == []
    assert api_client.delete(url, headers=auth_header(commenter["token"])).status_code == 404


def test_delete_needs_a_login(api_client, article):
    comment = add_comment(api_client, article["token"], article["slug"])
    assert api_client.delete(f"/api/articles/{article['slug']}/comments/{comment['id']}").status_code == 401


def test_deleting_a_comment_through_another_article_is_404(api_client, article):
    comment = add_comment(api_client, article["token"], article["slug"])
    other = create_article(api_client, article["token"])
    response = api_client.delete(f"/api/articles/{other['slug']}/comments/{comment['id']}",
                                 headers=auth_header(article["token"]))
    assert response.status_code == 404
    assert comments_of(api_client, article["slug"]) == [comment]


def test_unknown_comment_or_article_is_404_and_malformed_id_is_422(api_client, article):
    headers = auth_header(article["token"])
    assert api_client.delete(f"/api/articles/{article['slug']}/comments/999999999", headers=headers).status_code == 404
    assert api_client.delete(f"/api/articles/{unique('no-such-')}/comments/1", headers=headers).status_code == 404
    response = api_client.delete(f"/api/articles/{article['slug']}/comments/abc", headers=headers)
    assert response.status_code == 422 and "id" in response.get_json()["errors"]
    assert api_client.delete(f"/api/articles/{article['slug']}/comments/0", headers=headers).status_code == 422
