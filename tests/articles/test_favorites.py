import pytest

from tests.support.factories import auth_header, create_article, favorite, register, unique


@pytest.fixture
def article(api_client):
    return create_article(api_client, register(api_client)["token"])


def unfavorite(api_client, token, slug):
    response = api_client.delete(f"/api/articles/{slug}/favorite", headers=auth_header(token))
    assert response.status_code == 200, response.get_json()
    return response.get_json()["article"]


def test_favorite_returns_the_article_favorited_and_counted(api_client, article):
    reader = register(api_client)
    favorited = favorite(api_client, reader["token"], article["slug"])
    assert (favorited["slug"], favorited["favorited"], favorited["favoritesCount"]) == (article["slug"], True, 1)
    assert favorited["body"] == article["body"]


def test_favorite_twice_keeps_count(api_client, article):
    reader = register(api_client)
    favorite(api_client, reader["token"], article["slug"])
    again = favorite(api_client, reader["token"], article["slug"])
    assert (again["favorited"], again["favoritesCount"]) == (True, 1)


def test_counts_every_user_once(api_client, article):
    first, second = register(api_client), register(api_client)
    favorite(api_client, first["token"], article["slug"])
    assert favorite(api_client, second["token"], article["slug"])["favoritesCount"] == 2
    after = unfavorite(api_client, first["token"], article["slug"])
    assert (after["favorited"], after["favoritesCount"]) == (False, 1)
    seen_by_second = api_client.get(f"/api/articles/{article['slug']}", headers=auth_header(second["token"]))
    assert seen_by_second.get_json()["article"]["favorited"] is True


def test_unfavorite_twice_or_without_favorite_changes_nothing(api_client, article):
    reader = register(api_client)
    assert unfavorite(api_client, reader["token"], article["slug"])["favoritesCount"] == 0
    favorite(api_client, reader["token"], article["slug"])
    unfavorite(api_client, reader["token"], article["slug"])
    again = unfavorite(api_client, reader["token"], article["slug"])
    assert (again["favorited"], again["favoritesCount"]) == (False, 0)


def test_favorited_filter_follows_favorites(api_client, article):
    reader = register(api_client)
    url = f"/api/articles?favorited={reader['username']}"
    favorite(api_client, reader["token"], article["slug"])
    assert [a["slug"] for a in api_client.get(url).get_json()["articles"]] == [article["slug"]]
    unfavorite(api_client, reader["token"], article["slug"])
    assert api_client.get(url).get_json() == {"articles": [], "articlesCount": 0, "nextCursor": None}


def test_favorite_unknown_article_is_404(api_client):
    reader = register(api_client)
    url = f"/api/articles/{unique('no-such-')}/favorite"
    assert api_client.post(url, headers=auth_header(reader["token"])).status_code == 404
    assert api_client.delete(url, headers=auth_header(reader["token"])).status_code == 404


def test_favorite_needs_a_login(api_client, article):
    url = f"/api/articles/{article['slug']}/favorite"
    assert api_client.post(url).status_code == 401
    assert api_client.delete(url).status_code == 401
    assert api_client.get(f"/api/articles/{article['slug']}").get_json()["article"]["favoritesCount"] == 0
