"""Stale caches after a change (api/cache): the content cache on every change a list page or an
article count can show, the tags cache on every change to an article's tags. Sent after commit."""

from flask import Flask

from api.cache import content_cache, tags_cache
from api.signals import (
    article_created,
    article_deleted,
    article_favorited,
    article_unfavorited,
    article_updated,
    profile_followed,
    profile_unfollowed,
)


def on_content_changed(sender: Flask, **extra) -> None:
    content_cache.bump()


def on_article_created(sender: Flask, *, tags: list[str], **extra) -> None:
    if tags:
        tags_cache.bump()


def on_article_updated(sender: Flask, *, tags_changed: bool, **extra) -> None:
    if tags_changed:
        tags_cache.bump()


def on_article_deleted(sender: Flask, **extra) -> None:
    tags_cache.bump()


RECEIVERS = [(signal, on_content_changed) for signal in (
    article_created, article_updated, article_deleted, article_favorited, article_unfavorited,
    profile_followed, profile_unfollowed,
)] + [
    (article_created, on_article_created),
    (article_updated, on_article_updated),
    (article_deleted, on_article_deleted),
]
