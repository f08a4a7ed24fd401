"""Articles: the global list, the feed, and reading, writing and deleting one article."""

from flask.views import MethodView

from api.auth import current_user, current_user_id, login_optional, login_required
from api.data.article_pages import ArticleFilters, fetch_article_page
from api.data.articles import (
    delete_article,
    fetch_article_by_id,
    fetch_article_by_slug,
    find_article,
    insert_article,
    update_article,
)
from api.data.feed_pages import fetch_feed_page
from api.errors import abort
from api.cache.list_pages import cached_page_response, list_cache_enabled
from api.signals import announce, article_created, article_deleted, article_updated
from api.rate_limits import WRITES, rate_limited
from api.smorest import Blueprint, path_arguments
from schemas.articles import (
    ArticleListQuerySchema,
    ArticlePathSchema,
    MultipleArticlesResponseSchema,
    NewArticleRequestSchema,
    SingleArticleResponseSchema,
    UpdateArticleRequestSchema,
)
from schemas.pagination import PaginationQuerySchema

blp = Blueprint("articles", __name__, url_prefix="/api", description="Articles, the global list and the feed.")


def article_not_found(slug: str):
    abort(404, f"No article has the slug {slug!r}.", field="slug")


def article_envelope(article: dict | None, slug: str) -> dict:
    """`{"article": ...}`, or 404 when the article vanished (deleted by a concurrent request)."""
    if article is None:
        article_not_found(slug)
    return {"article": article}


def owned_article_or_error(slug: str) -> dict:
    """The article (id, author, title) if the caller wrote it: 404 when unknown, 403 when not theirs."""
    article = find_article(slug)
    if article is None:
        article_not_found(slug)
    if article["author_id"] != current_user_id():
        abort(403, "Only the author of an article may change or delete it.")
    return article


@blp.route("/articles")
class Articles(MethodView):
    @login_optional
    @blp.arguments(ArticleListQuerySchema, location="query")
    @blp.response(200, MultipleArticlesResponseSchema)
    @blp.doc(operationId="GetArticles")
    def get(self, query):
        """List articles

        Newest first, without bodies. `tag`, `author` and `favorited` (a username) combine;
        `articlesCount` is the total for the filters. An unknown tag or user gives an empty list.
        """
        filters = ArticleFilters(tag=query.get("tag"), author=query.get("author"), favorited=query.get("favorited"))
        viewer_id = current_user_id()

        def fetch_page():
            return fetch_article_page(filters, viewer_id=viewer_id, limit=query["limit"], offset=query["offset"])

        if viewer_id is None and list_cache_enabled():
            return cached_page_response(query, fetch_page)
        return fetch_page()

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
        user = current_user()
        fields = payload["article"]
        article_id = insert_article(user["id"], fields)
        announce(article_created, article_id=article_id, tags=fields["tags"])
        return {"article": fetch_article_by_id(article_id, user["id"])}


@blp.route("/articles/feed")
class Feed(MethodView):
    @login_required
    @blp.arguments(PaginationQuerySchema, location="query")
    @blp.response(200, MultipleArticlesResponseSchema)
    @blp.doc(operationId="GetArticlesFeed")
    def get(self, query):
        """Get the feed

        Articles by the users the caller follows, newest first, without bodies.
        """
        return fetch_feed_page(current_user_id(), limit=query["limit"], offset=query["offset"])


@blp.route("/articles/<slug:slug>")
class Article(MethodView):
    @login_optional
    @path_arguments(blp, ArticlePathSchema)
    @blp.response(200, SingleArticleResponseSchema)
    @blp.alt_response(404, response="NotFound")
    @blp.doc(operationId="GetArticle")
    def get(self, slug):
        """Get an article

        With its body; `favorited` and `author.following` are the caller's (false when anonymous).
        """
        return article_envelope(fetch_article_by_slug(slug, current_user_id()), slug)

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
        article = owned_article_or_error(slug)
        changes = payload["article"]
        update_article(article, changes)
        announce(article_updated, article_id=article["id"], tags_changed="tags" in changes)
        return article_envelope(fetch_article_by_id(article["id"], current_user_id()), slug)

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
        article = owned_article_or_error(slug)
        delete_article(article["id"])
        announce(article_deleted, article_id=article["id"])
