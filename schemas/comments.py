"""Comments on an article."""

from marshmallow import fields, validate

from schemas.articles import ArticlePathSchema, not_blank
from schemas.base import BaseSchema, Timestamp
from schemas.pagination import PaginationQuerySchema, limit_field
from schemas.profiles import ProfileSchema

# comments.body is TEXT (64 KiB): 10,000 characters fit even at 4 bytes each.
COMMENT_MAX_LENGTH = 10_000
# A page of comments: RealWorld clients ask for none and expect them all, so the default is large.
COMMENTS_DEFAULT_LIMIT = 100
COMMENTS_MAX_LIMIT = 500


class NewCommentSchema(BaseSchema):
    body = fields.String(required=True, validate=[validate.Length(min=1, max=COMMENT_MAX_LENGTH), not_blank],
                         metadata={"example": "Thank you so much!"})


class NewCommentRequestSchema(BaseSchema):
    comment = fields.Nested(NewCommentSchema, required=True)


class CommentSchema(BaseSchema):
    id = fields.Integer(required=True, metadata={"example": 1})
    createdAt = Timestamp(required=True, attribute="created_at")
    updatedAt = Timestamp(required=True, attribute="updated_at")
    body = fields.String(required=True, metadata={"example": "Thank you so much!"})
    author = fields.Nested(ProfileSchema, required=True)


class SingleCommentResponseSchema(BaseSchema):
    comment = fields.Nested(CommentSchema, required=True)


class CommentListQuerySchema(PaginationQuerySchema):
    limit = limit_field(COMMENTS_DEFAULT_LIMIT, COMMENTS_MAX_LIMIT)


class MultipleCommentsResponseSchema(BaseSchema):
    comments = fields.List(fields.Nested(CommentSchema), required=True)
    commentsCount = fields.Integer(required=True, attribute="comments_count",
                                   metadata={"description": "How many comments the article has in all.", "example": 1})


class CommentPathSchema(ArticlePathSchema):
    id = fields.Integer(required=True, validate=validate.Range(min=1, max=2**63 - 1),
                        metadata={"description": "ID of the comment."})
