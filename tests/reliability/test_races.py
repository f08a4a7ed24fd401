"""Concurrent requests: threads, each with its own client, released together by a barrier.

The app (and its connection pool) is shared, as in one gunicorn worker with threads.
"""

import threading

import pytest

from tests.support.factories import DEFAULT_PASSWORD, auth_header, create_article, register, unique

THREADS = 12


def run_together(app, request, count: int = THREADS) -> list:
    """Call request(client, index) from `count` threads at once; returns the responses in order."""
    barrier = threading.Barrier(count)
    responses = [None] * count

    def worker(index: int) -> None:
        client = app.test_client(use_cookies=False)
        barrier.wait()
        responses[index] = request(client, index)

    threads = [threading.Thread(target=worker, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert all(response is not None for response in responses), "a request did not finish"
    return responses


@pytest.mark.parametrize("taken", ["username", "email"])
def test_racing_registrations_for_one_name_give_one_201_and_422s(app, taken):
    name = unique()

    def register_one(client, index):
        user = {"username": name if taken == "username" else f"{name}x{index}",
                "email": f"{name}@example.com" if taken == "email" else f"{name}x{index}@example.com",
                "password": DEFAULT_PASSWORD}
        return client.post("/api/users", json={"user": user})

    responses = run_together(app, register_one, 6)
    statuses = sorted(response.status_code for response in responses)
    assert statuses == [201] + [422] * 5, [response.get_json() for response in responses]
    refused = [response.get_json() for response in responses if response.status_code == 422]
    assert all(body["errors"][taken] == ["has already been taken"] for body in refused)


def test_many_users_favoriting_at_once_count_exactly(app, api_client):
    article = create_article(api_client, register(api_client)["token"])
    users = [register(api_client) for _ in range(THREADS)]
    url = f"/api/articles/{article['slug']}/favorite"

    favorited = run_together(app, lambda client, index: client.post(url, headers=auth_header(users[index]["token"])))
    assert all(response.status_code == 200 for response in favorited), [r.get_json() for r in favorited]
    assert api_client.get(f"/api/articles/{article['slug']}").get_json()["article"]["favoritesCount"] == THREADS

    unfavorited = run_together(
        app, lambda client, index: client.delete(url, headers=auth_header(users[index]["token"])))
    assert all(response.status_code == 200 for response in unfavorited)
    assert api_client.get(f"/api/articles/{article['slug']}").get_json()["article"]["favoritesCount"] == 0


def test_one_user_favoriting_many_times_at_once_counts_once(app, api_client):
    article = create_article(api_client, register(api_client)["token"])
    reader = register(api_client)
    url = f"/api/articles/{article['slug']}/favorite"
    responses = run_together(app, lambda client, index: client.post(url, headers=auth_header(reader["token"])))
    assert all(response.status_code == 200 for response in responses)
    assert api_client.get(f"/api/articles/{article['slug']}").get_json()["article"]["favoritesCount"] == 1


def test_same_title_created_at_once_gives_distinct_slugs(app, api_client):
    author = register(api_client)
    title = unique("Simultaneous ")
    article = {"article": {"title": title, "description": "d", "body": "b", "tagList": [unique("race")]}}
    responses = run_together(
        app, lambda client, index: client.post("/api/articles", json=article, headers=auth_header(author["token"])))
    assert all(response.status_code == 201 for response in responses), [r.get_json() for r in responses]
    slugs = {response.get_json()["article"]["slug"] for response in responses}
    assert len(slugs) == THREADS
    listed = api_client.get("/api/articles", query_string={"author": author["username"], "limit": 100}).get_json()
    assert listed["articlesCount"] == THREADS


def test_racing_follows_of_one_user_all_succeed(app, api_client):
    followee, follower = register(api_client), register(api_client)
    url = f"/api/profiles/{followee['username']}/follow"
    responses = run_together(app, lambda client, index: client.post(url, headers=auth_header(follower["token"])))
    assert all(response.status_code == 200 and response.get_json()["profile"]["following"] for response in responses)


def test_articles_sharing_new_tags_created_at_once_all_succeed(app, api_client):
    author = register(api_client)
    tags = [unique("shared") for _ in range(4)]

    def create(client, index):
        tag_list = tags if index % 2 else list(reversed(tags))  # opposite orders
        article = {"article": {"title": unique("Tagged "), "description": "d", "body": "b", "tagList": tag_list}}
        return client.post("/api/articles", json=article, headers=auth_header(author["token"]))

    responses = run_together(app, create)
    assert all(response.status_code == 201 for response in responses), [r.get_json() for r in responses]
    listed = api_client.get("/api/articles", query_string={"tag": tags[0], "limit": 100}).get_json()
    assert listed["articlesCount"] == THREADS
    assert all(sorted(article["tagList"]) == sorted(tags) for article in listed["articles"])
