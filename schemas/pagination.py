"""The one pagination scheme of the API: `?limit=&offset=` (limit 1..100, default 20)."""

from marshmallow import fields, validate

from schemas.base import BaseSchema

DEFAULT_LIMIT = 20
MAX_LIMIT = 100


class PaginationQuerySchema(BaseSchema):
    """Extend it with a list's own filters; load it with `@blp.arguments(..., location="query")`."""

    limit = fields.Integer(
        load_default=DEFAULT_LIMIT,
        validate=validate.Range(min=1, max=MAX_LIMIT),
        metadata={"description": f"Page size, 1 to {MAX_LIMIT}."},
    )
    offset = fields.Integer(
        load_default=0,
        validate=validate.Range(min=0, max=2**31 - 1),
        metadata={"description": "How many items to skip."},
    )
