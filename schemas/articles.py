"""Articles: creation, updates, list filters, and the article as the API shows it."""

from collections.abc import Mapping

from marshmallow import fields, pre_load, validate

from schemas.base import BaseSchema, ChangesSchema, FullMatch, NotBlank, StringList, Timestamp
from schemas.pagination import ArticlePageQuerySchema, Cursor
from schemas.profiles import ProfileSchema

TITLE_MAX_LENGTH = 255
DESCRIPTION_MAX_LENGTH = 2000
# The body is MEDIUMTEXT; MAX_CONTENT_LENGTH bounds it long before the column does.
TAG_MAX_LENGTH = 64
MAX_TAGS = 20
# Slugs that would be shadowed by a fixed route: GET /api/articles/feed is the feed.
RESERVED_SLUGS = {"feed"}
# "Not a reserved slug", a lookahead that Python and JSON Schema (ECMA 262) read alike.
NOT_RESERVED_SLUG = "(?!(?:" + "|".join(sorted(RESERVED_SLUGS)) + ")$)"
SLUG_PATTERN = "^" + NOT_RESERVED_SLUG + r"[a-z0-9]+(?:-[a-z0-9]+)*$"
LIST_FILTERS = ("tag", "author", "favorited")

not_blank = NotBlank()


class TagName(fields.String):
    """A tag, validated as typed, then trimmed: "  dragons " and "dragons" are one tag."""

    def deserialize(self, value, attr=None, data=None, **kwargs):
        tag = super().deserialize(value, attr, data, **kwargs)
        return tag.strip() if isinstance(tag, str) else tag


class TagList(fields.List):
    """Tags in the author's order, without repeats (compared case-insensitively, as MySQL does).
    The limits apply to the list as sent, as documented; repeats are dropped after."""

    def __init__(self, **kwargs):
        super().__init__(
            TagName(validate=[validate.Length(min=1, max=TAG_MAX_LENGTH), not_blank]),
            validate=validate.Length(max=MAX_TAGS),
            metadata={"description": f"Up to {MAX_TAGS} tags of 1 to {TAG_MAX_LENGTH} characters.",
                      "example": ["dragons", "training"]},
            **kwargs,
        )

    def deserialize(self, value, attr=None, data=None, **kwargs):
        tags = super().deserialize(value, attr, data, **kwargs)
        if not isinstance(tags, list):  # not sent (missing)
            return tags
        seen = set()
        unique_tags = []
        for tag in tags:
            if tag.casefold() not in seen:
                seen.add(tag.casefold())
                unique_tags.append(tag)
        return unique_tags


def title_field(**kwargs) -> fields.String:
    return fields.String(validate=[validate.Length(min=1, max=TITLE_MAX_LENGTH), not_blank],
                         metadata={"example": "How to train your dragon"}, **kwargs)


def description_field(**kwargs) -> fields.String:
    return fields.String(validate=validate.Length(max=DESCRIPTION_MAX_LENGTH),
                         metadata={"example": "Ever wonder how?"}, **kwargs)


def body_field(**kwargs) -> fields.String:
    return fields.String(validate=[validate.Length(min=1), not_blank],
                         metadata={"example": "You have to believe"}, **kwargs)


class NewArticleSchema(BaseSchema):
    title = title_field(required=True)
    description = description_field(required=True)
    body = body_field(required=True)
    tagList = TagList(load_default=list, attribute="tags")


class NewArticleRequestSchema(BaseSchema):
    article = fields.Nested(NewArticleSchema, required=True)


class UpdateArticleSchema(ChangesSchema):
    """Any of the fields; a `tagList`, when sent, replaces the article's tags."""

    title = title_field()
    description = description_field()
    body = body_field()
    tagList = TagList(attribute="tags")


class UpdateArticleRequestSchema(BaseSchema):
    article = fields.Nested(UpdateArticleSchema, required=True)


class ArticlePathSchema(BaseSchema):
    # Slugs are made only of [a-z0-9-] and are never reserved; anything else cannot name an article.
    slug = fields.String(required=True, validate=[validate.Length(min=1, max=255), FullMatch(SLUG_PATTERN)],
                         metadata={"description": "Slug of the article.", "example": "how-to-train-your-dragon"})


class ArticleListQuerySchema(ArticlePageQuerySchema):
    """Filters combine (AND); an empty value (`?tag=`) means no filter."""

    tag = fields.String(metadata={"description": "Only articles with this tag."})
    author = fields.String(metadata={"description": "Only articles by this username."})
    favorited = fields.String(metadata={"description": "Only articles favorited by this username."})

    @pre_load
    def drop_empty_filters(self, data, **kwargs):
        if not isinstance(data, Mapping):  # left to marshmallow's "Invalid input type."
            return data
        # `?tag=&author=` is how some clients say "no filter".
        return {key: value for key, value in data.items() if not (key in LIST_FILTERS and value == "")}


class ArticleListItemSchema(BaseSchema):
    slug = fields.String(required=True, metadata={"example": "how-to-train-your-dragon"})
    title = fields.String(required=True, metadata={"example": "How to train your dragon"})
    description = fields.String(required=True, metadata={"example": "Ever wonder how?"})
    tagList = StringList(required=True, attribute="tags", metadata={"example": ["dragons", "training"]})
    createdAt = Timestamp(required=True, attribute="created_at")
    updatedAt = Timestamp(required=True, attribute="updated_at")
    favorited = fields.Boolean(required=True, metadata={
        "description": "The caller favorited it (false when anonymous).", "example": False,
    })
    favoritesCount = fields.Integer(required=True, attribute="favorites_count", metadata={"example": 0})
    author = fields.Nested(ProfileSchema, required=True)


class ArticleSchema(ArticleListItemSchema):
    body = fields.String(required=True, metadata={"example": "You have to believe"})


class SingleArticleResponseSchema(BaseSchema):
    article = fields.Nested(ArticleSchema, required=True)


class MultipleArticlesResponseSchema(BaseSchema):
    articles = fields.List(fields.Nested(ArticleListItemSchema), required=True)
    articlesCount = fields.Integer(
        required=True, attribute="articles_count",
        metadata={"description": "How many articles match the filters in all.", "example": 1})
    nextCursor = Cursor(
        required=True, allow_none=True, attribute="next_cursor",
        metadata={"description": "Pass it as `before` for the next page; null when there is none.",
                  "example": "AAAAAAAAAIQ"})
