"""Hypothesis strategies shared by the property tests: odd Unicode, any JSON document, and the
parts of an article (titles, tags, bodies) within the limits the schemas document."""

import re

from hypothesis import strategies as st
from marshmallow import Schema, ValidationError

from schemas.articles import DESCRIPTION_MAX_LENGTH, MAX_TAGS, TAG_MAX_LENGTH, TITLE_MAX_LENGTH
from schemas.base import WHITE_SPACE
from schemas.comments import COMMENT_MAX_LENGTH

# Characters that trip naive text handling, each a valid Unicode scalar value (so valid in JSON).
ODD_CHARACTERS = (
    "\x00", "\x01", "\x1b", "\x1f", "\x7f", "\x85",          # NUL and control characters
    "\u0301", "\u0308", "\u0338", "\u20dd", "\u0e31",         # combining marks
    "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff",         # zero-width characters, BOM
    "\u202e", "\u202c", "\u200f", "\u2067", "\u05d0", "\u0627", "\u0644\u0627",  # bidi controls, RTL letters
    "\U0001f600", "\U0001f409", "\U0001f680", "\u2764\ufe0f", "\U0001f1eb\U0001f1f7",  # emoji, flag
    "\U0001f468\u200d\U0001f469\u200d\U0001f467",            # a ZWJ emoji sequence
    "\ufffd", "\ufffe", "\uffff", "\U0010ffff",               # replacement character, noncharacters
    "\u00a0", "\u2028", "\u3000", "\t", "\n",                 # whitespace Python strips, MySQL does not
    "\u0130", "\u00df", "\ufb01", "\u212a", "\u01c5",          # case-mapping oddities (İ ß ﬁ K ǅ)
    "\U0001d400", "\u4e2d", "\u00e9", "e\u0301",              # astral letter, CJK, composed and decomposed é
    "&#38;", "&amp;", "'", '"', "\\", "%", "_", "/", "?", "#",  # entities, quotes, URL and LIKE specials
)

odd_characters = st.sampled_from(ODD_CHARACTERS)
# Any Unicode scalar value: everything a JSON text can carry once decoded (no lone surrogates).
scalar_characters = st.characters(codec="utf-8")
# Lone surrogates: JSON can spell them (\ud800), but they are not characters.
lone_surrogates = st.characters(categories=["Cs"])


def odd_text(*, min_size: int = 0, max_size: int = 40) -> st.SearchStrategy[str]:
    """Text mixing ordinary characters with ODD_CHARACTERS (joined, so may exceed max_size a little
    when an odd "character" is a sequence; `.filter` where an exact bound matters)."""
    pieces = st.lists(odd_characters | scalar_characters, min_size=min_size, max_size=max_size)
    return pieces.map("".join)


def bounded_odd_text(*, min_size: int = 0, max_size: int = 40) -> st.SearchStrategy[str]:
    """odd_text of exactly min_size..max_size code points."""
    return odd_text(min_size=min_size, max_size=max_size).map(lambda text: text[:max_size]).filter(
        lambda text: len(text) >= min_size)


def not_blank(text: str) -> bool:
    """What the schemas' not_blank validator asks: some character that is not white space (in
    both Python's and JSON Schema's sense: schemas.base.WHITE_SPACE)."""
    return re.search(f"[^{WHITE_SPACE}]", text) is not None


# The parts of an article, valid by the documented rules.
titles = bounded_odd_text(min_size=1, max_size=TITLE_MAX_LENGTH).filter(not_blank)
descriptions = bounded_odd_text(max_size=DESCRIPTION_MAX_LENGTH)
bodies = odd_text(min_size=1, max_size=200).filter(not_blank)
comment_bodies = bounded_odd_text(min_size=1, max_size=COMMENT_MAX_LENGTH).filter(not_blank)
# A tag as sent (maybe padded with whitespace): it is valid when 1 to TAG_MAX_LENGTH characters remain stripped.
tag_names = bounded_odd_text(min_size=1, max_size=TAG_MAX_LENGTH).filter(not_blank)
tag_lists = st.lists(tag_names, max_size=MAX_TAGS)

# Any JSON document: what json.loads can hand to a schema.
json_scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | odd_text(max_size=30)
json_values = st.recursive(
    json_scalars,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(odd_text(max_size=10), children, max_size=4),
    max_leaves=12,
)

# Text as a JSON sender may spell it: lone surrogates too, which json.dumps escapes as \udXXX.
any_text = st.lists(scalar_characters | lone_surrogates | odd_characters, max_size=20).map("".join)
# Documents to send over HTTP (json.dumps of them, surrogates escaped).
http_documents = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | any_text,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(any_text, children, max_size=3),
    max_leaves=8,
)


def envelopes(name: str, field_names: list[str], values: st.SearchStrategy = json_values) -> st.SearchStrategy[dict]:
    """Documents shaped like ours (`{name: {field: value}}`) with any value in the known fields,
    so validation goes past the envelope and into each field."""
    return st.fixed_dictionaries({name: st.dictionaries(st.sampled_from(field_names), values)})


def load_or_refuse(schema_class: type[Schema], document) -> dict | None:
    """`document` loaded by a new `schema_class`, or None when it was refused. The only refusal
    allowed is a ValidationError that says why: anything else (a TypeError, an AttributeError on
    an odd document) fails the calling test."""
    try:
        return schema_class().load(document)
    except ValidationError as error:
        assert error.messages
        return None
