"""Favorites: favorite and unfavorite an article."""

from flask.views import MethodView

from api.auth import current_user, login_required
from api.data.articles import fetch_article_by_id
from api.data.favorites import add_favorite, remove_favorite
from api.resources.articles import article_envelope, article_not_found
from api.signals import announce, article_favorited, article_unfavorited
from api.rate_limits import WRITES, rate_limited
from api.smorest import Blueprint, path_arguments
from schemas.articles import ArticlePathSchema, SingleArticleResponseSchema

blp = Blueprint("favorites", __name__, url_prefix="/api", description="Favorites of articles.")


def favorite_change(slug: str, change, signal) -> dict:
    """Apply `change` (add or remove) for the caller; signal only when something changed."""
    user = current_user()
    article_id, changed = change(user["id"], slug)
    if article_id is None:
        article_not_found(slug)
    if changed:
        announce(signal, article_id=article_id, user=user)
    return article_envelope(fetch_article_by_id(article_id, user["id"]), slug)


@blp.route("/articles/<slug:slug>/favorite")
class Favorite(MethodView):
    @login_required
    @rate_limited(WRITES)
    @path_arguments(blp, ArticlePathSchema)
    @blp.response(200, SingleArticleResponseSchema)
    @blp.alt_response(404, response="NotFound")
    @blp.doc(operationId="CreateArticleFavorite")
    def post(self, slug):
        """Favorite an article

        Idempotent: favoriting twice counts once.
        """
        return favorite_change(slug, add_favorite, article_favorited)

    @login_required
    @rate_limited(WRITES)
    @path_arguments(blp, ArticlePathSchema)
    @blp.response(200, SingleArticleResponseSchema)
    @blp.alt_response(404, response="NotFound")
    @blp.doc(operationId="DeleteArticleFavorite")
    def delete(self, slug):
        """Unfavorite an article

        Idempotent: unfavoriting an article you did not favorite changes nothing.
        """
        return favorite_change(slug, remove_favorite, article_unfavorited)
