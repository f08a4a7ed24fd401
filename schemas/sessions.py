"""The caller's login sessions (GET /api/user/sessions)."""

from marshmallow import fields

from schemas.base import BaseSchema, Timestamp


class SessionSchema(BaseSchema):
    # Dumped from api.data.sessions.list_sessions() items: session data plus `public_id`.
    id = fields.String(
        required=True, attribute="public_id",
        metadata={"description": "Public id of the session, for DELETE /api/user/sessions/{id}. Not a token.",
                  "example": "5d41402abc4b2a76b9719d911017c592"},
    )
    createdAt = Timestamp(required=True, attribute="created_at", metadata={"description": "Login time."})
    lastSeenAt = Timestamp(
        required=True, attribute="last_seen_at",
        metadata={"description": "Last authenticated request (refreshed at most once a minute)."},
    )
    expiresAt = Timestamp(
        required=True, attribute="expires_at",
        metadata={"description": "When the session ends unless used again (each refresh extends it, but never"
                                 " past SESSION_ABSOLUTE_LIFETIME after its login)."},
    )
    userAgent = fields.String(required=True, allow_none=True, attribute="user_agent",
                              metadata={"example": "Mozilla/5.0 (X11; Linux x86_64)"})
    ip = fields.String(required=True, allow_none=True,
                       metadata={"description": "Address it was last seen from.", "example": "203.0.113.7"})
    current = fields.Boolean(required=True, metadata={"description": "True for the session of this request.",
                                                      "example": True})


class SessionsResponseSchema(BaseSchema):
    sessions = fields.List(fields.Nested(SessionSchema), required=True)
    sessionsCount = fields.Integer(required=True, metadata={"description": "All live sessions of the caller, not"
                                                                           " the page size.", "example": 1})
