"""GET /api/health."""

from marshmallow import fields

from schemas.base import BaseSchema


class DependencyHealthSchema(BaseSchema):
    status = fields.String(required=True, metadata={"enum": ["ok", "down"], "example": "ok"})
    latencyMs = fields.Float(metadata={"description": "Round trip of the check, when it answered.", "example": 0.42})
    error = fields.String(metadata={"description": "Why the check failed.", "example": "ConnectionError"})


class MysqlHealthSchema(DependencyHealthSchema):
    pool = fields.Dict(
        keys=fields.String(), values=fields.Integer(),
        metadata={"description": "This worker's pool: connections in use, idle, and the maximum.",
                  "example": {"inUse": 1, "idle": 2, "max": 8}},
    )


class HealthSchema(BaseSchema):
    status = fields.String(required=True, metadata={"enum": ["ok", "unavailable"], "example": "ok"})
    mysql = fields.Nested(MysqlHealthSchema, required=True)
    redis = fields.Nested(DependencyHealthSchema, required=True)
