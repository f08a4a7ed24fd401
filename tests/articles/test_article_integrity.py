"""A failure between two statements of article creation leaves nothing behind: no article, no
tag, no tag link, no signal. Faults are injected after real statements (tests/support/faults.py)."""

import pytest

from api.data import articles as articles_data
from api.db import db
from api.signals import article_created
from tests.support.factories import auth_header, register, unique
from tests.support.faults import fail_after


@pytest.fixture
def app(make_app):
    # Production's error path: an unexpected exception becomes a JSON 500, not a re-raise.
    return make_app(PROPAGATE_EXCEPTIONS=False)


def _leftovers(app, title: str, tag: str) -> dict:
    with app.app_context():
        return {
            "articles": db.fetch_present("SELECT COUNT(*) AS n FROM articles WHERE title = %s", (title,))["n"],
            "tags": db.fetch_present("SELECT COUNT(*) AS n FROM tags WHERE name = %s", (tag,))["n"],
            "links": db.fetch_present(
                "SELECT COUNT(*) AS n FROM article_tags JOIN tags ON tags.id = article_tags.tag_id"
                " WHERE tags.name = %s", (tag,))["n"],
        }


@pytest.mark.parametrize("owner, name, calls", [
    (db, "execute", 1),                          # right after the article row is inserted
    (db, "execute_many", 1),                     # after the new tags, before their links
    (db, "execute", 2),                          # after the links, before the commit
    (articles_data, "replace_article_tags", 1),  # after every statement of the tags
])
def test_failed_article_creation_leaves_nothing_behind(app, monkeypatch, owner, name, calls):
    client = app.test_client()
    author = register(client)
    title, tag = unique("Atomic "), unique("atomic-tag-")
    sent = []
    article_created.connect(lambda sender, **kwargs: sent.append(kwargs), app, weak=False)
    fail_after(monkeypatch, owner, name, calls=calls)

    response = client.post("/api/articles", headers=auth_header(author["token"]), json={
        "article": {"title": title, "description": "d", "body": "b", "tagList": [tag, "another-" + tag]}})

    assert response.status_code == 500
    assert response.get_json() == {"errors": {"body": ["Internal server error."]}}
    monkeypatch.undo()
    assert _leftovers(app, title, tag) == {"articles": 0, "tags": 0, "links": 0}
    assert sent == []


def test_the_same_creation_without_a_fault_writes_everything(app):
    client = app.test_client()
    author = register(client)
    title, tag = unique("Atomic "), unique("atomic-tag-")
    response = client.post("/api/articles", headers=auth_header(author["token"]), json={
        "article": {"title": title, "description": "d", "body": "b", "tagList": [tag, "another-" + tag]}})
    assert response.status_code == 201
    assert _leftovers(app, title, tag) == {"articles": 1, "tags": 1, "links": 1}
