"""Articles: publish, change, delete and read one article; the global list and the feed.

Every write is one transaction, run again whole after a lock conflict (`db.run_in_transaction`).
After its commit it makes stale what it changed (the content cache: counts and list pages; the
tags cache when tags changed), then announces the change.
"""

from typing import NoReturn

from flask import Response

from api.auth import current_user_id, signed_in_user, signed_in_user_id
from api.cache import content_cache, tags_cache
from api.cache.list_pages import cached_page_response, list_cache_enabled
from api.data import articles as stored_articles
from api.data.article_pages import ArticleFilters, fetch_article_page
from api.data.feed_pages import fetch_feed_page
from api.db import db
from api.errors import abort
from api.signals import announce, article_created, article_deleted, article_updated


def article_not_found(slug: str) -> NoReturn:
    """404: no article has this slug (any more)."""
    abort(404, f"No article has the slug {slug!r}.", field="slug")


def found_article(article: dict | None, slug: str) -> dict:
    """`article`, or 404 when it is None (unknown, or deleted by a concurrent request)."""
    if article is None:
        article_not_found(slug)
    return article


def list_articles(*, limit: int, offset: int, before: int | None = None, tag: str | None = None,
                  author: str | None = None, favorited: str | None = None) -> dict | Response:
    """A page of articles, newest first (older than the cursor `before`, if given), the total for
    the filters and the next page's cursor (anonymous pages from the list cache)."""
    filters = ArticleFilters(tag=tag, author=author, favorited=favorited)
    viewer_id = current_user_id()

    def fetch_page() -> dict:
        return fetch_article_page(filters, viewer_id=viewer_id, limit=limit, offset=offset, before=before)

    if viewer_id is None and list_cache_enabled():
        page_query = {**filters.as_args(), "limit": limit, "offset": offset, "before": before}
        return cached_page_response(page_query, fetch_page)
    return fetch_page()


def feed_page(*, limit: int, offset: int, before: int | None = None) -> dict:
    """A page of the caller's feed (articles by the users they follow), newest first (older than
    the cursor `before`, if given), its total and the next page's cursor."""
    return fetch_feed_page(signed_in_user_id(), limit=limit, offset=offset, before=before)


def read_article(slug: str) -> dict:
    """The article with its body, as the caller sees it; 404 when unknown."""
    return found_article(stored_articles.fetch_article_by_slug(slug, current_user_id()), slug)


def create_article(fields: dict) -> dict | None:
    """Publish an article by the caller under a unique slug from its title; returns it (None only
    if a concurrent request of the author's deleted it before it was read back)."""
    user = signed_in_user()
    article_id = db.run_in_transaction(stored_articles.insert_article, user["id"], fields)
    content_cache.bump()
    if fields["tags"]:
        tags_cache.bump()
    announce(article_created, article_id=article_id, tags=fields["tags"])
    return stored_articles.fetch_article_by_id(article_id, user["id"])


def update_article(slug: str, changes: dict) -> dict:
    """Apply `changes` to the caller's article (404 unknown, 403 not theirs); returns it as updated."""

    def change() -> int:
        article = _own_article(slug)
        stored_articles.update_article(article, changes)
        return article["id"]

    article_id = db.run_in_transaction(change)
    content_cache.bump()
    tags_changed = "tags" in changes
    if tags_changed:
        tags_cache.bump()
    announce(article_updated, article_id=article_id, tags_changed=tags_changed)
    return found_article(stored_articles.fetch_article_by_id(article_id, current_user_id()), slug)


def delete_article(slug: str) -> None:
    """Delete the caller's article with its comments and favorites (404 unknown, 403 not theirs)."""

    def delete() -> int:
        article = _own_article(slug)
        stored_articles.delete_article(article["id"])
        return article["id"]

    article_id = db.run_in_transaction(delete)
    content_cache.bump()
    tags_cache.bump()
    announce(article_deleted, article_id=article_id)


def _own_article(slug: str) -> dict:
    """The article, locked for the change, if the caller wrote it: 404 when unknown, 403 when not theirs."""
    article = found_article(stored_articles.lock_article(slug), slug)
    if article["author_id"] != current_user_id():
        abort(403, "Only the author of an article may change or delete it.")
    return article
