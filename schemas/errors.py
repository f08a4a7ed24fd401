"""The contract's error body, for the OpenAPI document (errors are built in api/errors.py)."""

from marshmallow import fields

from schemas.base import BaseSchema


class ErrorSchema(BaseSchema):
    errors = fields.Dict(
        keys=fields.String(),
        values=fields.List(fields.String()),
        required=True,
        metadata={
            "description": 'One key per offending field, plus "body" with every message as a sentence.',
            # `body` is always there (as in RealWorld's GenericErrorModel); field keys vary.
            "properties": {"body": {"type": "array", "items": {"type": "string"}}},
            "required": ["body"],
            "example": {"email": ["has already been taken"], "body": ["email: has already been taken"]},
        },
    )
