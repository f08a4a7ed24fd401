"""The pagination of the API: `?limit=&offset=` (limit 1..100, default 20; a list may set its
own bounds with `limit_field`, as comments do), and on article lists an optional keyset cursor,
`?before=`, that reads the page older than a `nextCursor` at the cost of the first page."""

import base64
import re

from marshmallow import fields, validate

from schemas.base import BaseSchema

DEFAULT_LIMIT = 20
MAX_LIMIT = 100
# A cursor is the unpadded urlsafe base64 of an article id as 8 big-endian bytes: always 11
# characters. The pattern admits exactly the non-negative 64-bit ids (the first character holds
# the sign bit; the last one's two low bits are padding, so zero), so the document and the
# validator agree on every string: whatever matches decodes to an integer, and nothing else does.
CURSOR_PATTERN = r"^[A-Za-f][A-Za-z0-9_-]{9}[AEIMQUYcgkosw048]$"
_CURSOR = re.compile(CURSOR_PATTERN)  # fullmatch: `$` alone would also match before a final newline
INVALID_CURSOR = "Not a cursor: pass back a nextCursor exactly as a list answered it."


def limit_field(default: int = DEFAULT_LIMIT, maximum: int = MAX_LIMIT) -> fields.Integer:
    """The page size: 1 to `maximum`, `default` when not given."""
    return fields.Integer(
        load_default=default,
        validate=validate.Range(min=1, max=maximum),
        metadata={"description": f"Page size, 1 to {maximum} (default {default})."},
    )


class Cursor(fields.String):
    """An article id as an opaque string: loads to the int, dumps the int (None stays None).
    The pattern is checked here, not by a validator: marshmallow validates the loaded int."""

    default_error_messages = {"invalid_cursor": INVALID_CURSOR}

    def __init__(self, **kwargs):
        kwargs.setdefault("metadata", {})["pattern"] = CURSOR_PATTERN
        super().__init__(**kwargs)

    def _serialize(self, value, attr, obj, **kwargs):
        if value is None:
            return None
        return base64.urlsafe_b64encode(value.to_bytes(8, "big")).rstrip(b"=").decode()

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        if _CURSOR.fullmatch(text) is None:
            raise self.make_error("invalid_cursor")
        return int.from_bytes(base64.urlsafe_b64decode(text + "="), "big")


class PaginationQuerySchema(BaseSchema):
    """Extend it with a list's own filters; load it with `@blp.arguments(..., location="query")`."""

    limit = limit_field()
    offset = fields.Integer(
        load_default=0,
        validate=validate.Range(min=0, max=2**31 - 1),
        metadata={"description": "How many items to skip."},
    )


class ArticlePageQuerySchema(PaginationQuerySchema):
    """Article lists (the global list and the feed) also take a keyset cursor."""

    before = Cursor(metadata={
        "description": "Only articles older than this cursor: the `nextCursor` of the previous page. Costs the"
                       " same at any depth, where `offset` walks every article it skips; an `offset` given"
                       " with it skips that many more.",
        "example": "AAAAAAAAAIQ"})
