"""The content signals: sent once per real change, with the documented arguments."""

from api import signals
from tests.support.factories import add_comment, auth_header, create_article, favorite, follow, register, unique
from tests.support.probes import recorded


def test_article_lifecycle_signals(app, api_client):
    author = register(api_client)
    headers = auth_header(author["token"])
    tag = unique("signalled")
    with recorded(signals.article_created, app) as created:
        article = create_article(api_client, author["token"], tagList=[tag])
    assert len(created) == 1 and created[0]["tags"] == [tag] and isinstance(created[0]["article_id"], int)
    article_id = created[0]["article_id"]

    with recorded(signals.article_updated, app) as updated:
        api_client.put(f"/api/articles/{article['slug']}", json={"article": {"body": "b2"}}, headers=headers)
        api_client.put(f"/api/articles/{article['slug']}", json={"article": {"tagList": []}}, headers=headers)
    assert updated == [{"article_id": article_id, "tags_changed": False},
                       {"article_id": article_id, "tags_changed": True}]

    with recorded(signals.article_deleted, app) as deleted:
        api_client.delete(f"/api/articles/{article['slug']}", headers=headers)
        api_client.delete(f"/api/articles/{article['slug']}", headers=headers)  # 404: nothing happened
    assert deleted == [{"article_id": article_id}]


def test_favorite_signals_only_on_change(app, api_client):
    article = create_article(api_client, register(api_client)["token"])
    reader = register(api_client)
    url = f"/api/articles/{article['slug']}/favorite"
    with recorded(signals.article_favorited, app) as favorited, \
            recorded(signals.article_unfavorited, app) as unfavorited:
        favorite(api_client, reader["token"], article["slug"])
        favorite(api_client, reader["token"], article["slug"])
        api_client.delete(url, headers=auth_header(reader["token"]))
        api_client.delete(url, headers=auth_header(reader["token"]))
    assert len(favorited) == len(unfavorited) == 1
    assert favorited[0]["user"]["username"] == unfavorited[0]["user"]["username"] == reader["username"]
    assert favorited[0]["article_id"] == unfavorited[0]["article_id"]


def test_comment_signals(app, api_client):
    author = register(api_client)
    article = create_article(api_client, author["token"])
    with recorded(signals.comment_created, app) as created, recorded(signals.comment_deleted, app) as deleted:
        comment = add_comment(api_client, author["token"], article["slug"])
        api_client.delete(f"/api/articles/{article['slug']}/comments/{comment['id']}",
                          headers=auth_header(author["token"]))
    assert created == deleted == [{"comment_id": comment["id"], "article_id": created[0]["article_id"]}]


def test_follow_signals_only_on_change(app, api_client):
    followee, follower = register(api_client), register(api_client)
    url = f"/api/profiles/{followee['username']}/follow"
    with recorded(signals.profile_followed, app) as followed, recorded(signals.profile_unfollowed, app) as unfollowed:
        follow(api_client, follower["token"], followee["username"])
        follow(api_client, follower["token"], followee["username"])
        api_client.delete(url, headers=auth_header(follower["token"]))
        api_client.delete(url, headers=auth_header(follower["token"]))
    assert len(followed) == len(unfollowed) == 1
    assert followed[0]["follower"]["username"] == follower["username"]
    assert followed[0]["followee"]["username"] == followee["username"]


def test_content_signals_are_sent_after_the_commit(app, api_client, test_settings):
    """An observer told of a change can see it from any other connection."""
    import pymysql

    from settings.pool import DatabaseAddress

    address = DatabaseAddress.from_url(test_settings["DATABASE_URL"])
    seen = []

    def look(sender, article_id, **payload):
        connection = pymysql.connect(**address.connect_kwargs(app.config))
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT favorites_count FROM articles WHERE id = %s", (article_id,))
                seen.append(cursor.fetchall())
        finally:
            connection.close()

    author, reader = register(api_client), register(api_client)
    with signals.article_created.connected_to(look, app), signals.article_favorited.connected_to(look, app):
        article = create_article(api_client, author["token"])
        favorite(api_client, reader["token"], article["slug"])
    assert [[row["favorites_count"] for row in rows] for rows in seen] == [[0], [1]]
