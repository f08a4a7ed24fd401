"""Favorites: favorite and unfavorite an article."""

from flask.views import MethodView

from api.auth import login_required
from api.rate_limits import WRITES, rate_limited
from api.services import social
from api.smorest import Blueprint, path_arguments
from schemas.articles import ArticlePathSchema, SingleArticleResponseSchema

blp = Blueprint("favorites", __name__, url_prefix="/api", description="Favorites of articles.")


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
        return {"article": social.favorite_article(slug)}

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
        return {"article": social.unfavorite_article(slug)}
