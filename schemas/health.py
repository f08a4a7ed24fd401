"""GET /api/health."""

from marshmallow import fields

from schemas.base import BaseSchema


class DependencyHealthSchema(BaseSchema):
    status = fields.String(required=True, metadata={"enum": ["ok", "down"]})
    latencyMs = fields.Float(metadata={"description": "Round trip of the check, when it answered."})
    error = fields.String(metadata={"description": "Why the check failed."})


class MysqlHealthSchema(DependencyHealthSchema):
    pool = fields.Dict(
        keys=fields.String(), values=fields.Integer(),
        metadata={"description": "This worker's pool: connections in use, idle, and the maximum."},
    )


class HealthSchema(BaseSchema):
    status = fields.String(required=True, metadata={"enum": ["ok", "unavailable"]})
    mysql = fields.Nested(MysqlHealthSchema, required=True)
    redis = fields.Nested(DependencyHealthSchema, required=True)
