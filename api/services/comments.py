"""Comments: list a page of an article's comments, add one, delete one.

Comments show on no cached page, but the ETags remembered for their pages (api/conditional_gets.py)
are stamped with the comments generation: adding or deleting one bumps it after the commit.
"""

from api.auth import current_user_id, signed_in_user
from api.cache import comments_cache
from api.data.comments import delete_comment as delete_comment_row
from api.data.comments import fetch_article_comments, fetch_comment, fetch_comment_owner, insert_comment
from api.db import db, known
from api.errors import abort
from api.services.articles import article_not_found
from api.signals import announce, comment_created, comment_deleted


def list_comments(slug: str, *, limit: int, offset: int) -> dict:
    """A page of the article's comments, newest first, and how many it has; 404 for an unknown article."""
    page = fetch_article_comments(slug, current_user_id(), limit, offset)
    if page is None:
        article_not_found(slug)
    return page


def add_comment(slug: str, body: str) -> dict:
    """Comment on the article as the caller; returns the comment (404 for an unknown article)."""
    user = signed_in_user()
    comment_id = db.run_in_transaction(insert_comment, slug, user["id"], body)
    if comment_id is None:
        article_not_found(slug)
    comments_cache.bump()
    comment = known(fetch_comment(comment_id, user["id"]), "the caller inserted this comment just now")
    announce(comment_created, comment_id=comment_id, article_id=comment["article_id"])
    return comment


def delete_comment(slug: str, comment_id: int) -> None:
    """Delete the caller's comment on the article: 404 when either is unknown, 403 when not theirs."""

    def delete() -> tuple[int, bool]:
        found = fetch_comment_owner(slug, comment_id)
        if found is None:
            article_not_found(slug)
        if found["comment_id"] is None:
            abort(404, f"The article has no comment {comment_id}.", field="id")
        if found["author_id"] != current_user_id():
            abort(403, "Only the author of a comment may delete it.")
        return found["article_id"], delete_comment_row(comment_id)

    article_id, deleted = db.run_in_transaction(delete)
    if deleted:  # not when a concurrent request deleted it first: that one bumps and announces it
        comments_cache.bump()
        announce(comment_deleted, comment_id=comment_id, article_id=article_id)
