"""Writes are limited per user, in one bucket shared by article, comment, favorite and follow writes."""

from tests.support.factories import add_comment, auth_header, create_article, favorite, register
from tests.support.limits import assert_too_many


def test_one_user_shares_one_write_budget_across_write_endpoints(make_app):
    app = make_app(RATELIMIT_ENABLED=True, RATELIMIT_WRITES="4 per minute")
    client = app.test_client(use_cookies=False)
    writer, other = register(client), register(client)
    article = create_article(client, writer["token"])
    add_comment(client, writer["token"], article["slug"])
    favorite(client, writer["token"], article["slug"])
    client.post(f"/api/profiles/{other['username']}/follow", headers=auth_header(writer["token"]))
    blocked = client.delete(f"/api/articles/{article['slug']}/favorite", headers=auth_header(writer["token"]))
    assert_too_many(blocked, "Too many writes from your account")
    assert 0 < int(blocked.headers["Retry-After"]) <= 60
    # The refused unfavorite did not run; reads are not writes.
    read = client.get(f"/api/articles/{article['slug']}", headers=auth_header(writer["token"]))
    assert read.status_code == 200 and read.get_json()["article"]["favorited"] is True
    # Another user has a budget of their own.
    favorited = client.post(f"/api/articles/{article['slug']}/favorite", headers=auth_header(other["token"]))
    assert favorited.status_code == 200


def test_the_write_limit_is_documented(client):
    paths = client.get("/api/openapi.json").get_json()["paths"]
    writes = [("/api/articles", "post"), ("/api/articles/{slug}", "put"), ("/api/articles/{slug}", "delete"),
              ("/api/articles/{slug}/comments", "post"), ("/api/articles/{slug}/comments/{id}", "delete"),
              ("/api/articles/{slug}/favorite", "post"), ("/api/articles/{slug}/favorite", "delete"),
              ("/api/profiles/{username}/follow", "post"), ("/api/profiles/{username}/follow", "delete")]
    for path, method in writes:
        assert "429" in paths[path][method]["responses"], (path, method)
