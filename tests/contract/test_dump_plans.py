"""Dump plans (schemas/dumping.py) give exactly what marshmallow's own dump gives.

For every schema of the package, values of the kinds each field may meet (the right type, None,
a near miss such as 1 for a Boolean or an epoch for a Timestamp, or no key at all) are dumped
both ways and compared, exceptions included. The read endpoints' response schemas must have a
plan: otherwise they are silently dumped the slow way.
"""

import importlib
import pkgutil
from datetime import datetime
from unittest.mock import patch

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from marshmallow import Schema, fields

import schemas
from schemas.articles import MultipleArticlesResponseSchema, SingleArticleResponseSchema
from schemas.base import BaseSchema, StringList, Timestamp
from schemas.comments import MultipleCommentsResponseSchema
from schemas.dumping import DumpPlan
from schemas.profiles import ProfileResponseSchema
from schemas.tags import TagsResponseSchema
from schemas.users import UserResponseSchema

for module in pkgutil.iter_modules(schemas.__path__):
    importlib.import_module(f"schemas.{module.name}")


def all_schemas(base: type[BaseSchema] = BaseSchema) -> list[type[BaseSchema]]:
    found = []
    for subclass in base.__subclasses__():
        found += [subclass, *all_schemas(subclass)]
    return found


SCHEMAS = sorted(set(all_schemas()), key=lambda cls: (cls.__module__, cls.__name__))
MISSING = object()  # the key is left out
timestamps = st.datetimes(min_value=datetime(1970, 1, 2), max_value=datetime(2100, 1, 1))


def values_for(field: fields.Field, depth: int = 0) -> st.SearchStrategy:
    """Values such a field meets in a row, the odd ones included."""
    common = st.sampled_from([None, MISSING])
    if isinstance(field, fields.Nested) and depth < 3:
        nested = objects_for(field.schema, depth + 1)
        return common | (st.lists(nested, max_size=3) if field.many else nested)
    if isinstance(field, fields.List) and isinstance(field.inner, fields.Nested) and depth < 3:
        return common | st.lists(objects_for(field.inner.schema, depth + 1), max_size=3)
    if isinstance(field, StringList):
        return common | st.lists(st.text(max_size=5), max_size=4) | st.tuples(st.text(max_size=5))
    if isinstance(field, Timestamp):
        return common | timestamps | st.integers(min_value=0, max_value=4_000_000_000)
    if isinstance(field, fields.Boolean):
        return common | st.booleans() | st.sampled_from([0, 1, "true", "off", 2])
    if isinstance(field, fields.Integer):
        return common | st.integers() | st.booleans() | st.floats(allow_nan=False, allow_infinity=False, width=32)
    if isinstance(field, fields.String):
        return common | st.text(max_size=10) | st.integers()
    if isinstance(field, fields.Dict):
        return common | st.dictionaries(st.text(max_size=3), st.text(max_size=3), max_size=2)
    return common | st.text(max_size=5) | st.integers()


def objects_for(schema: Schema, depth: int = 0) -> st.SearchStrategy:
    members = {(field.attribute or name): values_for(field, depth) for name, field in schema.dump_fields.items()}
    return st.fixed_dictionaries(members).map(lambda row: {k: v for k, v in row.items() if v is not MISSING})


def marshmallow_dump(schema: Schema, obj):
    """marshmallow's own dump all the way down: nested schemas are BaseSchemas too."""
    with patch.object(BaseSchema, "dump", Schema.dump):
        return schema.dump(obj)


def outcome(dump, obj) -> str:
    """The dump's repr, which tells True from 1 and shows the keys' order, or the error's type."""
    try:
        return repr(dump(obj))
    except Exception as error:  # both dumps must fail alike on a value the field refuses
        return repr(type(error))


@pytest.mark.parametrize("schema_class", SCHEMAS, ids=lambda cls: cls.__name__)
def test_a_plan_dumps_what_marshmallow_dumps(schema_class):
    schema = schema_class()
    plan = DumpPlan.build(schema)
    if plan is None:
        pytest.skip(f"{schema_class.__name__} is dumped by marshmallow itself")

    @settings(max_examples=40, deadline=None)
    @given(objects_for(schema))
    def check(obj):
        expected = outcome(lambda value: marshmallow_dump(schema, value), obj)
        assert outcome(plan.dump, obj) == expected
        assert outcome(schema.dump, obj) == expected

    check()


@pytest.mark.parametrize("schema_class", [
    MultipleArticlesResponseSchema, SingleArticleResponseSchema, MultipleCommentsResponseSchema,
    ProfileResponseSchema, TagsResponseSchema, UserResponseSchema,
], ids=lambda cls: cls.__name__)
def test_the_read_responses_have_plans(schema_class):
    assert DumpPlan.build(schema_class()) is not None


def test_a_plan_reads_objects_like_marshmallow():
    class Author:
        username, bio, image, following = "jake", None, "https://x.example/a.png", 1

    schema = schemas.profiles.ProfileSchema()
    assert DumpPlan.build(schema).dump(Author()) == marshmallow_dump(schema, Author()) == {
        "username": "jake", "bio": None, "image": "https://x.example/a.png", "following": True}


def test_schemas_a_plan_cannot_copy_fall_back_to_marshmallow():
    from marshmallow import post_dump

    class Shouting(BaseSchema):
        name = fields.String()

        @post_dump
        def shout(self, data, **kwargs):
            return {key: value.upper() for key, value in data.items()}

    class Dotted(BaseSchema):
        name = fields.String(attribute="author.name")

    assert DumpPlan.build(Shouting()) is None
    assert Shouting().dump({"name": "jake"}) == {"name": "JAKE"}
    assert DumpPlan.build(Dotted()) is None
    assert Dotted().dump({"author": {"name": "jake"}}) == {"name": "jake"}
