"""Comments: list, add and delete the comments of an article."""

from flask.views import MethodView

from api.auth import current_user, current_user_id, login_optional, login_required
from api.data.comments import (
    delete_comment,
    fetch_article_comments,
    fetch_comment,
    fetch_comment_owner,
    insert_comment,
)
from api.errors import abort
from api.resources.articles import article_not_found
from api.signals import announce, comment_created, comment_deleted
from api.rate_limits import WRITES, rate_limited
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
        page = fetch_article_comments(slug, current_user_id(), query["limit"], query["offset"])
        if page is None:
            article_not_found(slug)
        return page

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
        user = current_user()
        comment_id = insert_comment(slug, user["id"], payload["comment"]["body"])
        if comment_id is None:
            article_not_found(slug)
        comment = fetch_comment(comment_id, user["id"])
        announce(comment_created, comment_id=comment_id, article_id=comment["article_id"])
        return {"comment": comment}


@blp.route("/articles/<slug:slug>/comments/<id>")
class Comment(MethodView):
    @login_required
    @rate_limited(WRITES)
    @path_arguments(blp, CommentPathSchema)
    @blp.response(204)
    @blp.alt_response(403, response="Forbidden")
    @blp.alt_response(404, response="NotFound")
    @blp.doc(operationId="DeleteArticleComment")
    def delete(self, slug, id):  # noqa: A002 - the RealWorld name of the path parameter
        """Delete a comment

        Only its author may delete it.
        """
        found = fetch_comment_owner(slug, id)
        if found is None:
            article_not_found(slug)
        if found["comment_id"] is None:
            abort(404, f"The article has no comment {id}.", field="id")
        if found["author_id"] != current_user_id():
            abort(403, "Only the author of a comment may delete it.")
        delete_comment(id)
        announce(comment_deleted, comment_id=id, article_id=found["article_id"])
