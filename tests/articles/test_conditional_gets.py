"""Conditional GETs: every cacheable read has an ETag, the hash of its body; If-None-Match
with a current one is a bodiless 304, which costs no SQL once the service remembers the ETag;
every change a read shows gives it a new ETag."""

import pytest

from tests.support.etags import assert_changed, body_hash, etag_of, remembered_etag_of, revalidate
from tests.support.factories import add_comment, auth_header, create_article, favorite, follow, register, unique
from tests.support.probes import count_queries

# Every cacheable read, as a template over the `world` fixture.
READS = [
    "/api/articles",
    "/api/articles?tag={tag}&limit=5",
    "/api/articles?author={author}",
    "/api/articles?favorited={reader}",
    "/api/articles/feed",
    "/api/articles/{slug}",
    "/api/articles/{slug}/comments",
    "/api/profiles/{author}",
    "/api/tags",
]


@pytest.fixture(scope="module")
def world(app):
    """An author with a tagged, commented article, favorited by a reader who follows the author."""
    client = app.test_client(use_cookies=False)
    author, reader = register(client), register(client)
    tag = unique("etag")
    article = create_article(client, author["token"], tagList=[tag])
    favorite(client, reader["token"], article["slug"])
    follow(client, reader["token"], author["username"])
    add_comment(client, author["token"], article["slug"])
    return {"author": author, "reader": reader, "tag": tag, "article": article}


def url_of(template: str, world: dict) -> str:
    return template.format(tag=world["tag"], author=world["author"]["username"],
                           reader=world["reader"]["username"], slug=world["article"]["slug"])


@pytest.fixture(params=["from a 200", "remembered"])
def held_etag(request):
    """How a client came to hold an ETag: from a 200 (the service never saw it again), or also
    revalidated once, so that the service remembers it under the generations of that time."""
    return etag_of if request.param == "from a 200" else remembered_etag_of


@pytest.mark.parametrize("template", READS)
def test_the_etag_is_the_hash_of_the_body(api_client, world, template):
    response = api_client.get(url_of(template, world), headers=auth_header(world["reader"]["token"]))
    assert response.status_code == 200
    assert response.headers["ETag"] == f'"{body_hash(response.get_data())}"'


@pytest.mark.parametrize("template", READS)
def test_a_current_etag_gets_304_with_no_body_and_the_headers_of_the_200(api_client, world, template):
    url = url_of(template, world)
    headers = auth_header(world["reader"]["token"])
    full = api_client.get(url, headers=headers)
    assert full.status_code == 200 and full.headers["ETag"]

    not_modified = revalidate(api_client, url, full.headers["ETag"], headers)

    assert not_modified.status_code == 304
    assert not_modified.get_data() == b""
    assert "Content-Type" not in not_modified.headers and "Content-Length" not in not_modified.headers
    for name in ("ETag", "Cache-Control", "Vary"):
        assert not_modified.headers.get(name) == full.headers.get(name), name


@pytest.mark.parametrize("template", READS)
def test_a_repeated_revalidation_runs_no_sql(api_client, world, template):
    url = url_of(template, world)
    headers = auth_header(world["reader"]["token"])
    etag = etag_of(api_client, url, headers)

    first, _ = count_queries(api_client, "GET", url, headers={**headers, "If-None-Match": etag})
    again, queries = count_queries(api_client, "GET", url, headers={**headers, "If-None-Match": etag})

    assert first.status_code == 304  # the body's hash, remembered if it was not yet
    assert again.status_code == 304 and again.headers["ETag"] == etag
    assert queries == 0


def test_cache_control_makes_clients_revalidate_and_is_private_for_a_signed_in_caller(api_client, world):
    url = url_of("/api/articles/{slug}", world)
    anonymous = api_client.get(url)
    signed_in = api_client.get(url, headers=auth_header(world["reader"]["token"]))
    assert anonymous.headers["Cache-Control"] == "no-cache"
    assert signed_in.headers["Cache-Control"] == "private, no-cache"
    for response in (anonymous, signed_in):
        assert {"Authorization", "Cookie"} <= set(response.vary)
    tags = api_client.get("/api/tags", headers=auth_header(world["reader"]["token"]))
    assert tags.headers["Cache-Control"] == "no-cache"  # the same for everyone


def test_a_callers_etag_is_their_own_and_not_served_to_another(api_client, world):
    """The reader's body shows their favorite and follow: its ETag is theirs. A stranger sees what
    an anonymous caller sees, byte for byte, so they share an ETag."""
    url = url_of("/api/articles/{slug}", world)
    other = register(api_client)
    anonymous = etag_of(api_client, url)
    reader = remembered_etag_of(api_client, url, auth_header(world["reader"]["token"]))
    stranger = etag_of(api_client, url, auth_header(other["token"]))
    assert reader != anonymous and stranger == anonymous
    assert_changed(api_client, url, reader, auth_header(other["token"]))
    assert_changed(api_client, url, reader)


def test_tags_have_one_etag_for_everyone(api_client, world):
    assert etag_of(api_client, "/api/tags") == etag_of(api_client, "/api/tags", auth_header(world["reader"]["token"]))


def test_an_etag_remembered_for_one_query_is_not_served_for_another(api_client, world):
    create_article(api_client, world["author"]["token"])  # two articles at least: two different pages
    one = remembered_etag_of(api_client, "/api/articles?limit=1")
    assert_changed(api_client, "/api/articles?limit=2", one)


def test_if_none_match_takes_a_list_a_star_and_weak_tags(api_client, world):
    url = url_of("/api/articles/{slug}", world)
    etag = etag_of(api_client, url)
    assert revalidate(api_client, url, f'"stale", {etag}').status_code == 304
    assert revalidate(api_client, url, "*").status_code == 304
    assert revalidate(api_client, url, f"W/{etag}").status_code == 304  # as a compressing proxy passes it on
    assert revalidate(api_client, url, '"stale", "older"').status_code == 200


def test_a_star_matches_only_what_exists(api_client, world):
    profile = url_of("/api/profiles/{author}", world)
    assert revalidate(api_client, profile, "*").status_code == 304
    assert revalidate(api_client, profile, "*").status_code == 304  # from the ETag remembered just now
    for missing in ("/api/articles/no-such-article", "/api/profiles/no-such-user",
                    "/api/articles/no-such-article/comments"):
        for held in ("*", '"3f2a9c1e0b7d4e6f8a5c2b1d0e9f8a7b"'):
            assert revalidate(api_client, missing, held).status_code == 404, (missing, held)


def test_head_is_conditional_like_get(api_client, world):
    url = url_of("/api/articles/{slug}", world)
    etag = etag_of(api_client, url)
    head = api_client.head(url)
    assert head.status_code == 200 and head.headers["ETag"] == etag
    assert api_client.head(url, headers={"If-None-Match": etag}).status_code == 304


def test_a_bad_token_is_refused_before_any_304(api_client, world):
    url = url_of("/api/articles/{slug}", world)
    etag = etag_of(api_client, url)
    assert revalidate(api_client, url, etag, auth_header("not-a-session")).status_code == 401


def test_new_edited_and_deleted_articles_change_the_etags_of_lists_and_the_article(api_client, held_etag):
    author = register(api_client)
    token = author["token"]
    list_url = f"/api/articles?author={author['username']}"
    before = held_etag(api_client, list_url)
    article = create_article(api_client, token)
    assert_changed(api_client, list_url, before)

    article_url = f"/api/articles/{article['slug']}"
    before, listed = held_etag(api_client, article_url), held_etag(api_client, list_url)
    edited = api_client.put(article_url, json={"article": {"body": "Edited"}}, headers=auth_header(token))
    assert edited.status_code == 200
    assert_changed(api_client, article_url, before)
    assert_changed(api_client, list_url, listed)

    listed = held_etag(api_client, list_url)
    assert api_client.delete(article_url, headers=auth_header(token)).status_code == 204
    assert_changed(api_client, list_url, listed)
    assert revalidate(api_client, article_url, before).status_code == 404


def test_a_favorite_changes_the_etags_of_the_article_and_the_lists(api_client, world, held_etag):
    fan = register(api_client)
    article = create_article(api_client, world["author"]["token"])
    urls = [f"/api/articles/{article['slug']}", f"/api/articles?author={world['author']['username']}"]
    before = {url: held_etag(api_client, url) for url in urls}
    favorite(api_client, fan["token"], article["slug"])
    for url in urls:
        assert_changed(api_client, url, before[url])


def test_a_follow_changes_the_etags_of_the_profile_and_the_feed(api_client, held_etag):
    author, reader = register(api_client), register(api_client)
    create_article(api_client, author["token"])
    headers = auth_header(reader["token"])
    urls = [f"/api/profiles/{author['username']}", "/api/articles/feed"]
    before = {url: held_etag(api_client, url, headers) for url in urls}
    follow(api_client, reader["token"], author["username"])
    for url in urls:
        assert_changed(api_client, url, before[url], headers)


def test_a_profile_edit_changes_the_etags_of_everything_showing_the_author(api_client, held_etag):
    author = register(api_client)
    article = create_article(api_client, author["token"])
    add_comment(api_client, author["token"], article["slug"])
    urls = [f"/api/profiles/{author['username']}", f"/api/articles/{article['slug']}",
            f"/api/articles/{article['slug']}/comments", "/api/articles?limit=3"]
    before = {url: held_etag(api_client, url) for url in urls}
    edited = api_client.put("/api/user", json={"user": {"bio": "New bio"}}, headers=auth_header(author["token"]))
    assert edited.status_code == 200
    for url in urls:
        assert_changed(api_client, url, before[url])


def test_adding_and_deleting_a_comment_change_the_etag_of_the_comments(api_client, world, held_etag):
    url = url_of("/api/articles/{slug}/comments", world)
    before = held_etag(api_client, url)
    comment = add_comment(api_client, world["reader"]["token"], world["article"]["slug"], "Another")
    assert_changed(api_client, url, before)

    before = held_etag(api_client, url)
    deleted = api_client.delete(f"{url}/{comment['id']}", headers=auth_header(world["reader"]["token"]))
    assert deleted.status_code == 204
    assert_changed(api_client, url, before)


def test_a_comment_leaves_the_etags_of_lists_alone(api_client, world, held_etag):
    url = url_of("/api/articles?author={author}", world)
    before = held_etag(api_client, url)
    add_comment(api_client, world["reader"]["token"], world["article"]["slug"])
    assert revalidate(api_client, url, before).status_code == 304


def test_a_tag_change_changes_the_etag_of_the_tags(api_client, world, held_etag):
    before = held_etag(api_client, "/api/tags")
    create_article(api_client, world["author"]["token"], tagList=[unique("new")])
    assert_changed(api_client, "/api/tags", before)


def test_seeding_retires_the_remembered_etags(app, api_client):
    """Seeding sends no signals; it bumps the generations itself, so nothing remembered before it
    is trusted after it: the SQL runs again."""
    from api.seeding import seed_demo_data

    before = {url: remembered_etag_of(api_client, url) for url in ("/api/articles?limit=1", "/api/tags")}
    with app.app_context():
        seed_demo_data(1, 1)
    assert_changed(api_client, "/api/articles?limit=1", before["/api/articles?limit=1"])  # one more article
    # The tags may be the ones already there: then the same body, the same ETag, after the SQL.
    response, queries = count_queries(api_client, "GET", "/api/tags", headers={"If-None-Match": before["/api/tags"]})
    assert queries >= 1 and response.headers["ETag"] == etag_of(api_client, "/api/tags")


def test_without_redis_reads_keep_their_etags_and_revalidate_with_sql(make_app, api_client, world):
    """The ETag needs only the body: with Redis down it is the same, and If-None-Match is still
    answered right, by the body's hash (no remembered ETag: the SQL runs)."""
    # Nothing listens on port 1: every Redis command fails at once, as in an outage.
    no_redis = make_app(REDIS_URL="redis://127.0.0.1:1/0", REDIS_SOCKET_TIMEOUT=0.2).test_client(use_cookies=False)
    for template in READS:
        if template == "/api/articles/feed":
            continue  # needs a session, which lives in Redis: 503
        url = url_of(template, world)
        etag = etag_of(api_client, url)
        assert etag_of(no_redis, url) == etag, template
        response, queries = count_queries(no_redis, "GET", url, headers={"If-None-Match": etag})
        assert response.status_code == 304 and response.headers["ETag"] == etag, template
        assert response.headers["Cache-Control"] == "no-cache"
        assert queries >= 1
        assert_changed(no_redis, url, '"3f2a9c1e0b7d4e6f8a5c2b1d0e9f8a7b"')


def test_a_page_from_the_list_cache_is_conditional_too(make_app, world):
    client = make_app(LIST_CACHE_ENABLED=True).test_client(use_cookies=False)
    url = url_of("/api/articles?tag={tag}&limit=5", world)
    etag_of(client, url)  # fills the cache
    cached, queries = count_queries(client, "GET", url)
    assert queries == 0 and cached.headers["ETag"]
    assert revalidate(client, url, cached.headers["ETag"]).status_code == 304
