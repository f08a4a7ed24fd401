"""What every schema shares: unknown keys are ignored, timestamps look alike."""

from datetime import UTC, datetime
from typing import Any

from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate, validates_schema

from schemas.dumping import DumpPlan

_NOT_BUILT: Any = object()


class BaseSchema(Schema):
    class Meta:
        # RealWorld clients send extra keys (a user's token, an article's slug); ignore them.
        unknown = EXCLUDE

    _dump_plan: DumpPlan | None = _NOT_BUILT

    def dump(self, obj: Any, *, many: bool | None = None):
        """marshmallow's dump, through the schema's DumpPlan when it has one (schemas/dumping.py)."""
        if self._dump_plan is _NOT_BUILT:
            self._dump_plan = DumpPlan.build(self)
        if self._dump_plan is None or many:
            return super().dump(obj, many=many)
        return self._dump_plan.dump(obj)


class ChangesSchema(BaseSchema):
    """A partial update (PUT /api/user, PUT /api/articles/{slug}): any of the fields, at least one.

    Fields named in `not_changes` may come along (a proof such as currentPassword) but are no change.
    """

    not_changes: tuple[str, ...] = ()

    @classmethod
    def change_names(cls) -> list[str]:
        return [field.data_key or name for name, field in cls().load_fields.items() if name not in cls.not_changes]

    @classmethod
    def openapi_extra(cls) -> dict:
        """"At least one of the fields", in the document's words (api.openapi.SchemaExtraPlugin)."""
        return {"anyOf": [{"required": [name]} for name in cls.change_names()]}

    @validates_schema
    def require_a_change(self, data, **kwargs):
        if not data.keys() - set(self.not_changes):
            raise ValidationError(f"Send at least one of {', '.join(self.change_names())}.")


class StrictBoolean(fields.Boolean):
    """true or false, and nothing else: marshmallow's Boolean also takes 1, "yes", "off", ...,
    which the document (type: boolean) calls invalid."""

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, bool):
            raise self.make_error("invalid", input=value)
        return value


# Every character Python (str.isspace) or JSON Schema (ECMA 262 \s) counts as white space, spelt
# out: the two dialects disagree on a few (U+001C-U+001F, U+0085, U+FEFF), so `\S` would not
# mean the same to the document and to the validator.
WHITE_SPACE = r"\t\n\v\f\r \x1c-\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"


class NotBlank(validate.Regexp):
    """The value holds at least one character that is not white space, anywhere in it
    (validate.Regexp alone matches only at the start, so " x" would count as blank). Documented
    as a JSON Schema pattern, which is searched for, not anchored."""

    def __init__(self, error: str = "must not be blank"):
        super().__init__(f"[^{WHITE_SPACE}]", error=error)

    def __call__(self, value):
        if self.regex.search(value) is None:
            raise ValidationError(self._format_error(value))
        return value


class Timestamp(fields.Field):
    """ISO 8601 UTC with milliseconds: 2026-11-24T10:15:30.123Z.

    Accepts naive UTC datetimes (MySQL DATETIME(3)) and Unix epoch seconds (session data).
    """

    def __init__(self, **kwargs):
        metadata = kwargs.setdefault("metadata", {})
        metadata.setdefault("format", "date-time")
        metadata.setdefault("example", "2026-11-24T10:15:30.123Z")
        super().__init__(dump_only=True, **kwargs)

    def _serialize(self, value, attr, obj, **kwargs):
        if value is None:
            return None
        if isinstance(value, (int, float)):
            value = datetime.fromtimestamp(value, tz=UTC)
        if value.tzinfo is not None:
            value = value.astimezone(UTC).replace(tzinfo=None)
        # isoformat is several times cheaper than strftime, and a page has 40 timestamps.
        return value.isoformat(timespec="milliseconds") + "Z"


class StringList(fields.List):
    """A list of strings that are strings already (tag names from SQL): dumped as they are,
    without a String field's call per item; documented and loaded like List(String)."""

    def __init__(self, **kwargs):
        super().__init__(fields.String(), **kwargs)

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else list(value)


class FullMatch(validate.Regexp):
    """validate.Regexp over the whole value: Python's `$` also matches before a final newline,
    so `^[a-z]+$` alone lets "jake\\n" through. The pattern is documented in OpenAPI as given."""

    def __call__(self, value):
        if self.regex.fullmatch(value) is None:
            raise ValidationError(self._format_error(value))
        return value
