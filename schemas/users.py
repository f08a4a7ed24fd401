"""Accounts: registration, login, the current user and its updates."""

from marshmallow import fields, validate

from schemas.base import BaseSchema, ChangesSchema, FullMatch, StrictBoolean

# A username is a URL path segment (/api/profiles/{username}): "." and ".." are not usable as
# one (clients and proxies resolve them as dot-segments), so they are refused. The lookahead
# reads alike in Python and in JSON Schema (ECMA 262).
USERNAME_PATTERN = r"^(?!\.{1,2}$)[A-Za-z0-9_.-]+$"
# An http(s) URL: a host name, maybe a port, then printable ASCII; or "", which clears the image.
# One pattern for the validator and the document (marshmallow's Url validator has rules of its
# own, such as a TLD, that no document showed).
_HOST_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
IMAGE_URL_PATTERN = rf"^$|^https?://{_HOST_LABEL}(?:\.{_HOST_LABEL})*(?::[0-9]{{1,5}})?(?:[/?#][!-~]*)?$"
PASSWORD_MIN_LENGTH = 8
PASSWORD_MAX_LENGTH = 256

# Registration and updates validate these three alike; only `required` differs.
def username_field(*, metadata: dict | None = None, **kwargs) -> fields.String:
    return fields.String(
        validate=[
            validate.Length(min=1, max=64),
            FullMatch(USERNAME_PATTERN,
                      error="may contain only letters, digits, '_', '.' and '-', and cannot be '.' or '..'"),
        ],
        metadata={"example": "jake", **(metadata or {})},
        **kwargs,
    )


def email_field(**kwargs) -> fields.Email:
    return fields.Email(validate=validate.Length(max=254), metadata={"example": "jake@jake.jake"}, **kwargs)


def password_field(**kwargs) -> fields.String:
    return fields.String(
        load_only=True,
        validate=validate.Length(min=PASSWORD_MIN_LENGTH, max=PASSWORD_MAX_LENGTH),
        metadata={"example": "jakejake", "format": "password"},
        **kwargs,
    )


class ImageUrl(fields.String):
    """An http(s) URL (IMAGE_URL_PATTERN); an empty string clears the value (stored as null)."""

    def __init__(self, **kwargs):
        super().__init__(
            validate=[validate.Length(max=2048), FullMatch(IMAGE_URL_PATTERN, error="must be an http(s) URL")],
            metadata={"description": "An http(s) URL; an empty string clears it.",
                      "example": "https://i.stack.imgur.com/xHWG8.jpg"},
            **kwargs,
        )

    def deserialize(self, value, attr=None, data=None, **kwargs):
        url = super().deserialize(value, attr, data, **kwargs)
        return None if url == "" else url


class NewUserSchema(BaseSchema):
    username = username_field(required=True)
    email = email_field(required=True)
    password = password_field(required=True)


class NewUserRequestSchema(BaseSchema):
    user = fields.Nested(NewUserSchema, required=True)


class LoginUserSchema(BaseSchema):
    email = fields.String(required=True, validate=validate.Length(min=1, max=254),
                          metadata={"example": "jake@jake.jake"})
    password = fields.String(required=True, load_only=True, validate=validate.Length(min=1, max=PASSWORD_MAX_LENGTH),
                             metadata={"example": "jakejake", "format": "password"})
    remember = StrictBoolean(
        load_default=True,
        metadata={"description": "false: a browser-session cookie and the short server-side lifetime."},
    )


class LoginUserRequestSchema(BaseSchema):
    user = fields.Nested(LoginUserSchema, required=True)


class UpdateUserSchema(ChangesSchema):
    not_changes = ("current_password",)

    email = email_field()
    username = username_field()
    password = password_field()
    bio = fields.String(allow_none=True, validate=validate.Length(max=2000),
                        metadata={"example": "I like to skateboard"})
    image = ImageUrl(allow_none=True)
    current_password = fields.String(
        data_key="currentPassword", load_only=True, validate=validate.Length(min=1, max=PASSWORD_MAX_LENGTH),
        metadata={"format": "password", "example": "jakejake",
                  "description": "The password now: needed to change password or email, unless this session"
                                 " logged in less than REAUTH_WINDOW_SECONDS ago (default 10 minutes)."},
    )


class UpdateUserRequestSchema(BaseSchema):
    user = fields.Nested(UpdateUserSchema, required=True)


class UserSchema(BaseSchema):
    email = fields.String(required=True, metadata={"example": "jake@jake.jake"})
    token = fields.String(required=True, metadata={
        "description": "The session token: send it as `Authorization: Token <token>`.",
        "example": "b3BhcXVlLXNlc3Npb24taWQtZXhhbXBsZQ",
    })
    username = fields.String(required=True, metadata={"example": "jake"})
    bio = fields.String(required=True, allow_none=True, metadata={"example": "I work at statefarm"})
    image = fields.String(required=True, allow_none=True, metadata={"example": "https://i.stack.imgur.com/xHWG8.jpg"})


class UserResponseSchema(BaseSchema):
    user = fields.Nested(UserSchema, required=True)
