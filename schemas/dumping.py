"""Dumping a schema without marshmallow's per-field machinery, to the same output.

`Schema.dump` reaches every value through four calls (Field.serialize, Field.get_value, the
schema's accessor, utils.get_value) before the field's own `_serialize`: on a list page of 20
articles with nested authors that is ~280 fields and about a fifth of the request's Python work.
A `DumpPlan` reads each schema's `dump_fields` once and keeps, per field, its output key, the
key it reads and its `_serialize`. Dumping is then a dict lookup and one call per field, and
none at all for a value that is already what the field would make of it (a `str` for a String,
an `int` for an Integer, a `bool` for a Boolean: their `_serialize` returns such a value as it is).

The schemas stay the single source of the contract: the plan is built from their fields, the
OpenAPI document does not see it, and a schema the plan cannot copy exactly (dump hooks, a
field that reads the whole object, a dotted attribute) is dumped by marshmallow itself
(`DumpPlan.build` returns None). tests/contract/test_dump_plans.py checks both dumps agree.
"""

from collections.abc import Callable
from typing import Any

from marshmallow import Schema, fields
from marshmallow.utils import get_value, missing

Convert = Callable[[Any, str, Any], Any]


def _as_is_when(kind: type, field: fields.Field, plain: Callable) -> Convert | None:
    """`field._serialize` unless the value is of exactly `kind`, which that method returns as is;
    None when the field's class overrides `plain` (then its own rules apply to every value)."""
    serialize = field._serialize
    if type(field)._serialize is not plain:
        return None

    def convert(value, attr, obj):
        return value if type(value) is kind else serialize(value, attr, obj)

    return convert


def _converter(field: fields.Field) -> Convert | None:
    """How to turn a field's value into its output, or None if only marshmallow can."""
    if isinstance(field, fields.Nested) and type(field)._serialize is fields.Nested._serialize:
        plan = DumpPlan.build(field.schema)
        if plan is None:
            return None
        if field.many:
            return lambda value, attr, obj: None if value is None else [plan.dump(item) for item in value]
        return lambda value, attr, obj: None if value is None else plan.dump(value)
    if type(field) is fields.List and isinstance(field.inner, fields.Nested):
        inner = _converter(field.inner)
        if inner is None:
            return None
        return lambda value, attr, obj: None if value is None else [inner(item, attr, obj) for item in value]
    if isinstance(field, fields.Boolean):
        return _as_is_when(bool, field, fields.Boolean._serialize) or field._serialize
    if isinstance(field, fields.Integer) and not field.as_string:
        return _as_is_when(int, field, fields.Number._serialize) or field._serialize
    if isinstance(field, fields.String):
        return _as_is_when(str, field, fields.String._serialize) or field._serialize
    return field._serialize


class DumpPlan:
    """A schema's dump, field by field: (output key, key read, converter, dump default)."""

    def __init__(self, steps: list[tuple[str, str, Convert, Any]]):
        self.steps = steps

    @classmethod
    def build(cls, schema: Schema) -> "DumpPlan | None":
        """The plan of `schema` (its only/exclude applied), or None if it cannot match `schema.dump`."""
        if schema.many or schema._hooks["pre_dump"] or schema._hooks["post_dump"]:
            return None
        steps = []
        for name, field in schema.dump_fields.items():
            source = field.attribute or name
            # A dotted source is a path; an unchecked field (Method, Function) reads the whole
            # object; a key that is also a dict attribute would fall back to getattr in marshmallow.
            if "." in source or not field._CHECK_ATTRIBUTE or hasattr(dict, source):
                return None
            convert = _converter(field)
            if convert is None:
                return None
            steps.append((field.data_key or name, source, convert, field.dump_default))
        return cls(steps)

    def dump(self, obj: Any) -> dict:
        """What `schema.dump(obj)` returns."""
        values = obj if type(obj) is dict else _Attributes(obj)
        output = {}
        for key, source, convert, default in self.steps:
            value = values.get(source, missing)
            if value is missing:
                value = default() if callable(default) else default
                if value is missing:
                    continue
            output[key] = convert(value, source, obj)
        return output


class _Attributes:
    """marshmallow's way to read any other object (item, else attribute), behind dict.get."""

    def __init__(self, obj: Any):
        self.obj = obj

    def get(self, key: str, default: Any) -> Any:
        return get_value(self.obj, key, default)
