"""The one pagination scheme of the API: `?limit=&offset=` (limit 1..100, default 20; a list
may set its own bounds with `limit_field`, as comments do)."""

from marshmallow import fields, validate

from schemas.base import BaseSchema

DEFAULT_LIMIT = 20
MAX_LIMIT = 100


def limit_field(default: int = DEFAULT_LIMIT, maximum: int = MAX_LIMIT) -> fields.Integer:
    """The page size: 1 to `maximum`, `default` when not given."""
    return fields.Integer(
        load_default=default,
        validate=validate.Range(min=1, max=maximum),
        metadata={"description": f"Page size, 1 to {maximum} (default {default})."},
    )


class PaginationQuerySchema(BaseSchema):
    """Extend it with a list's own filters; load it with `@blp.arguments(..., location="query")`."""

    limit = limit_field()
    offset = fields.Integer(
        load_default=0,
        validate=validate.Range(min=0, max=2**31 - 1),
        metadata={"description": "How many items to skip."},
    )
