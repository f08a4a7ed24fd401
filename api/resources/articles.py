"""Articles: the global list, the feed, and reading, writing and deleting one article."""

from flask.views import MethodView

from api.auth import login_optional, login_required
from api.cache import content_cache
from api.conditional_gets import conditional_get
from api.rate_limits import WRITES, rate_limited
from api.services import articles
from api.smorest import Blueprint, path_arguments
from schemas.articles import (
    ArticleListQuerySchema,
    ArticlePathSchema,
    MultipleArticlesResponseSchema,
    NewArticleRequestSchema,
    SingleArticleResponseSchema,
    UpdateArticleRequestSchema,
)
from schemas.pagination import ArticlePageQuerySchema

blp = Blueprint("articles", __name__, url_prefix="/api", description="Articles, the global list and the feed.")


@blp.route("/articles")
class Articles(MethodView):
    @login_optional
    @conditional_get(content_cache)
    @blp.arguments(ArticleListQuerySchema, location="query")
    @blp.response(200, MultipleArticlesResponseSchema)
    @blp.doc(operationId="GetArticles")
    def get(self, query):
        """List articles

        Newest first, without bodies. `tag`, `author` and `favorited` (a username) combine;
        `articlesCount` is the total for the filters. An unknown tag or user gives an empty list.
        `nextCursor`, passed back as `before`, reads the next page at the cost of the first,
        however deep; `offset` walks every article it skips.
        """
        return articles.list_articles(**query)

    @login_required
    @rate_limited(WRITES)
    @blp.arguments(NewArticleRequestSchema, description="The article to publish.")
    @blp.response(201, SingleArticleResponseSchema)
    @blp.doc(operationId="CreateArticle")
    def post(self, payload):
        """Create an article

        The slug comes from the title and is unique: a second article with the same title gets
        a suffixed slug. Tags are trimmed and de-duplicated.
        """
        return {"article": articles.create_article(payload["article"])}


@blp.route("/articles/feed")
class Feed(MethodView):
    @login_required
    @conditional_get(content_cache)
    @blp.arguments(ArticlePageQuerySchema, location="query")
    @blp.response(200, MultipleArticlesResponseSchema)
    @blp.doc(operationId="GetArticlesFeed")
    def get(self, query):
        """Get the feed

        Articles by the users the caller follows, newest first, without bodies; `before` and
        `nextCursor` page it as they page the list.
        """
        return articles.feed_page(**query)


@blp.route("/articles/<slug:slug>")
class Article(MethodView):
    @login_optional
    @conditional_get(content_cache)
    @path_arguments(blp, ArticlePathSchema)
    @blp.response(200, SingleArticleResponseSchema)
    @blp.alt_response(404, response="NotFound")
    @blp.doc(operationId="GetArticle")
    def get(self, slug):
        """Get an article

        With its body; `favorited` and `author.following` are the caller's (false when anonymous).
        """
        return {"article": articles.read_article(slug)}

    @login_required
    @rate_limited(WRITES)
    @path_arguments(blp, ArticlePathSchema)
    @blp.arguments(UpdateArticleRequestSchema, description="The fields to change: at least one.")
    @blp.response(200, SingleArticleResponseSchema)
    @blp.alt_response(403, response="Forbidden")
    @blp.alt_response(404, response="NotFound")
    @blp.doc(operationId="UpdateArticle")
    def put(self, payload, slug):
        """Update an article

        Author only. Send any of title, description, body, tagList (which replaces the tags).
        A new title gives a new slug; `updatedAt` moves.
        """
        return {"article": articles.update_article(slug, payload["article"])}

    @login_required
    @rate_limited(WRITES)
    @path_arguments(blp, ArticlePathSchema)
    @blp.response(204)
    @blp.alt_response(403, response="Forbidden")
    @blp.alt_response(404, response="NotFound")
    @blp.doc(operationId="DeleteArticle")
    def delete(self, slug):
        """Delete an article

        Author only. Its comments and favorites go with it.
        """
        articles.delete_article(slug)
