"""Comments: list, add and delete the comments of an article."""

from flask.views import MethodView

from api.auth import login_optional, login_required
from api.cache import comments_cache, content_cache
from api.conditional_gets import conditional_get
from api.rate_limits import WRITES, rate_limited
from api.services import comments
from api.smorest import Blueprint, path_arguments
from schemas.articles import ArticlePathSchema
from schemas.comments import (
    CommentListQuerySchema,
    CommentPathSchema,
    MultipleCommentsResponseSchema,
    NewCommentRequestSchema,
    SingleCommentResponseSchema,
)

blp = Blueprint("comments", __name__, url_prefix="/api", description="Comments on articles.")


@blp.route("/articles/<slug:slug>/comments")
class Comments(MethodView):
    @login_optional
    # Comments show their authors' profiles too (the content cache's bumps).
    @conditional_get(content_cache, comments_cache)
    @path_arguments(blp, ArticlePathSchema)
    @blp.arguments(CommentListQuerySchema, location="query")
    @blp.response(200, MultipleCommentsResponseSchema)
    @blp.alt_response(404, response="NotFound")
    @blp.doc(operationId="GetArticleComments")
    def get(self, query, slug):
        """Get the comments of an article

        Newest first, a page at a time (`limit`, default 100, at most 500; `offset`);
        `commentsCount` is how many the article has in all.
        """
        return comments.list_comments(slug, **query)

    @login_required
    @rate_limited(WRITES)
    @path_arguments(blp, ArticlePathSchema)
    @blp.arguments(NewCommentRequestSchema, description="The comment.")
    @blp.response(200, SingleCommentResponseSchema)
    @blp.alt_response(404, response="NotFound")
    @blp.doc(operationId="CreateArticleComment")
    def post(self, payload, slug):
        """Comment on an article

        The answer is the new comment, its author being the caller.
        """
        return {"comment": comments.add_comment(slug, payload["comment"]["body"])}


@blp.route("/articles/<slug:slug>/comments/<id>")
class Comment(MethodView):
    @login_required
    @rate_limited(WRITES)
    @path_arguments(blp, CommentPathSchema)
    @blp.response(204)
    @blp.alt_response(403, response="Forbidden")
    @blp.alt_response(404, response="NotFound")
    @blp.doc(operationId="DeleteArticleComment")
    def delete(self, slug, id):
        """Delete a comment

        Only its author may delete it.
        """
        comments.delete_comment(slug, id)
