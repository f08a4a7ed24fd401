"""Profiles: the public face of a user, as seen by the caller."""

from marshmallow import fields

from schemas.base import BaseSchema
from schemas.users import username_field


class ProfileSchema(BaseSchema):
    username = fields.String(required=True, metadata={"example": "jake"})
    bio = fields.String(required=True, allow_none=True, metadata={"example": "I work at statefarm"})
    image = fields.String(required=True, allow_none=True, metadata={"example": "https://i.stack.imgur.com/xHWG8.jpg"})
    following = fields.Boolean(required=True, metadata={
        "description": "The caller follows this user (false when anonymous).", "example": False,
    })


class ProfileResponseSchema(BaseSchema):
    profile = fields.Nested(ProfileSchema, required=True)


class ProfilePathSchema(BaseSchema):
    # A name registration would refuse cannot belong to anyone: it is answered with 404.
    username = username_field(required=True, metadata={"description": "Username of the profile."})
