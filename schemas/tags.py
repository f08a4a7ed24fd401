"""Tags."""

from marshmallow import fields

from schemas.base import BaseSchema


class TagsResponseSchema(BaseSchema):
    tags = fields.List(fields.String(), required=True,
                       metadata={"description": "Every tag in use, the most used first (ties by name).",
                                 "example": ["dragons", "training"]})
