"""The caller's security events (GET /api/user/activity)."""

from marshmallow import fields

from schemas.base import BaseSchema, Timestamp

# The types the activity log records (api/receivers/activity_log.py writes them) and why a
# session was revoked (session_revoked events only; api/services/sessions.py says which).
EVENT_TYPES = ("registered", "login", "login_failed", "logout", "password_changed", "session_revoked")
REVOCATION_REASONS = ("user", "admin", "limit")


class AccountEventSchema(BaseSchema):
    type = fields.String(required=True, metadata={"enum": list(EVENT_TYPES), "example": "login"})
    reason = fields.String(
        required=True, allow_none=True,
        metadata={"enum": [*REVOCATION_REASONS, None], "example": None,
                  "description": "For session_revoked: who ended it: the user (through the API), an admin"
                                 " (a command), or the limit of sessions per account (a newer login). Else null."},
    )
    createdAt = Timestamp(required=True, attribute="created_at")
    ip = fields.String(required=True, allow_none=True,
                       metadata={"description": "Address of the request that caused it.", "example": "203.0.113.7"})
    userAgent = fields.String(required=True, allow_none=True, attribute="user_agent",
                              metadata={"example": "Mozilla/5.0 (X11; Linux x86_64)"})


class ActivityResponseSchema(BaseSchema):
    events = fields.List(fields.Nested(AccountEventSchema), required=True)
    eventsCount = fields.Integer(required=True, metadata={"description": "All events of the caller, not the page size.",
                                                          "example": 1})
