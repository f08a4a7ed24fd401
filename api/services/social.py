"""Between users: read a profile, follow and unfollow, favorite and unfavorite an article.

Each change is one transaction, run again whole after a lock conflict. A real change (not a
repeat: all four are idempotent) makes the content cache stale after its commit (list pages show
`favoritesCount`, the favorited filter and the feed), then is announced.
"""

from api.auth import current_user_id, signed_in_user
from api.cache import content_cache
from api.data.articles import fetch_article_by_id, lock_article
from api.data.favorites import add_favorite, remove_favorite
from api.data.profiles import fetch_profile, fetch_profile_with_id, follow, unfollow
from api.db import db
from api.errors import abort
from api.services.articles import found_article
from api.signals import announce, article_favorited, article_unfavorited, profile_followed, profile_unfollowed


def read_profile(username: str) -> dict:
    """The user's profile, `following` as the caller sees it; 404 when unknown."""
    return _found_profile(fetch_profile(username, current_user_id()), username)


def follow_profile(username: str) -> dict:
    """Make the caller follow the user (404 unknown, 422 themselves); returns the profile."""
    return _change_follow(username, follow, profile_followed, following=True)


def unfollow_profile(username: str) -> dict:
    """Make the caller stop following the user (404 unknown); returns the profile."""
    return _change_follow(username, unfollow, profile_unfollowed, following=False)


def _change_follow(username: str, change, signal, *, following: bool) -> dict:
    """Apply `change` (follow or unfollow) from the caller to the user; `following` is the result."""
    user = signed_in_user()

    def follow_change() -> tuple[dict, bool]:
        profile = _found_profile(fetch_profile_with_id(username), username)
        if following and profile["id"] == user["id"]:
            abort(422, "You cannot follow yourself.", field="username")
        return profile, change(user["id"], profile["id"])

    profile, changed = db.run_in_transaction(follow_change)
    if changed:
        content_cache.bump()
        announce(signal, follower=user, followee=profile)
    return {**profile, "following": following}


def favorite_article(slug: str) -> dict:
    """Favorite the article as the caller (404 unknown); returns the article."""
    return _change_favorite(slug, add_favorite, article_favorited)


def unfavorite_article(slug: str) -> dict:
    """Unfavorite the article as the caller (404 unknown); returns the article."""
    return _change_favorite(slug, remove_favorite, article_unfavorited)


def _change_favorite(slug: str, change, signal) -> dict:
    """Apply `change` (add_favorite or remove_favorite) for the caller, on the article's locked row."""
    user = signed_in_user()

    def favorite_change() -> tuple[int, bool]:
        article = found_article(lock_article(slug), slug)
        return article["id"], change(user["id"], article["id"])

    article_id, changed = db.run_in_transaction(favorite_change)
    if changed:
        content_cache.bump()
        announce(signal, article_id=article_id, user=user)
    return found_article(fetch_article_by_id(article_id, user["id"]), slug)


def _found_profile(profile: dict | None, username: str) -> dict:
    if profile is None:
        abort(404, f"No user is called {username!r}.", field="username")
    return profile
