"""Properties of the content schemas (articles, comments, profiles, pagination, tags), and of the
endpoints that load them: valid input loads to what was meant, anything else is a marshmallow
ValidationError (never another exception), and over HTTP a success or a 4xx JSON error, never a 500."""

import json
import re

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from marshmallow import ValidationError

from schemas.articles import (
    MAX_TAGS,
    SLUG_PATTERN,
    TAG_MAX_LENGTH,
    ArticleListQuerySchema,
    ArticlePathSchema,
    NewArticleRequestSchema,
    UpdateArticleRequestSchema,
)
from schemas.comments import CommentPathSchema, NewCommentRequestSchema
from schemas.pagination import DEFAULT_LIMIT, MAX_LIMIT, PaginationQuerySchema
from schemas.profiles import ProfilePathSchema
from schemas.tags import TagsResponseSchema
from tests.support.factories import auth_header, create_article, register
from tests.support.strategies import (
    bodies,
    bounded_odd_text,
    comment_bodies,
    descriptions,
    envelopes,
    http_documents,
    json_values,
    load_or_refuse,
    odd_text,
    tag_lists,
    tag_names,
    titles,
)

ARTICLE_FIELDS = ["title", "description", "body", "tagList", "slug", "author"]
MAX_OFFSET = 2**31 - 1
SLUG = re.compile(SLUG_PATTERN)

# Values that are valid for some article field, and anything at all: validation goes deep.
article_values = titles | descriptions | tag_lists | json_values
article_envelopes = envelopes("article", ARTICLE_FIELDS, article_values)
comment_envelopes = envelopes("comment", ["body", "id"], comment_bodies | json_values)
# ... and valid documents, whose odd text must then come back as sent.
valid_new_articles = st.fixed_dictionaries({"article": st.fixed_dictionaries(
    {"title": titles, "description": descriptions, "body": bodies},
    optional={"tagList": tag_lists, "slug": json_values})})
valid_updates = st.fixed_dictionaries({"article": st.fixed_dictionaries(
    {}, optional={"title": titles, "description": descriptions, "body": bodies, "tagList": tag_lists})})
query_values = odd_text(max_size=12) | st.integers().map(str) | st.sampled_from(["", "1e3", " 5", "5.0", "0x10", "-0"])
query_documents = st.dictionaries(st.sampled_from(["limit", "offset", "tag", "author", "favorited"]), query_values)

INPUT_SCHEMAS = [NewArticleRequestSchema, UpdateArticleRequestSchema, NewCommentRequestSchema, ArticleListQuerySchema,
                 PaginationQuerySchema, ArticlePathSchema, CommentPathSchema, ProfilePathSchema]


def unique_by_casefold(tags: list[str]) -> list[str]:
    kept: dict[str, str] = {}
    for tag in tags:
        kept.setdefault(tag.strip().casefold(), tag.strip())
    return list(kept.values())


# The schemas on their own.

@pytest.mark.parametrize("schema_class", INPUT_SCHEMAS, ids=lambda schema: schema.__name__)
@settings(max_examples=80)
@given(document=json_values | article_envelopes | comment_envelopes | query_documents)
@example(document=None)  # the list query's pre_load once called .items() on it: AttributeError
@example(document=["tag", "limit"])
def test_any_json_loads_or_raises_a_validation_error(schema_class, document):
    loaded = load_or_refuse(schema_class, document)
    assert loaded is None or isinstance(loaded, dict)


@given(title=titles, description=descriptions, body=bodies, tags=tag_lists)
def test_a_valid_new_article_loads_as_sent_with_tags_trimmed_and_deduplicated(title, description, body, tags):
    loaded = NewArticleRequestSchema().load(
        {"article": {"title": title, "description": description, "body": body, "tagList": tags}})

    assert loaded == {"article": {"title": title, "description": description, "body": body,
                                  "tags": unique_by_casefold(tags)}}


@given(changes=st.fixed_dictionaries({}, optional={"title": titles, "description": descriptions, "body": bodies,
                                                   "tagList": tag_lists}))
def test_an_update_loads_any_nonempty_set_of_valid_changes(changes):
    if not changes:
        with pytest.raises(ValidationError):
            UpdateArticleRequestSchema().load({"article": changes})
        return

    loaded = UpdateArticleRequestSchema().load({"article": changes})["article"]

    expected = {("tags" if name == "tagList" else name): value for name, value in changes.items()}
    if "tagList" in changes:
        expected["tags"] = unique_by_casefold(changes["tagList"])
    assert loaded == expected


@settings(max_examples=50)
@given(tags=st.lists(tag_names, min_size=MAX_TAGS + 1, max_size=MAX_TAGS + 5,
                    unique_by=lambda tag: tag.strip().casefold()))
def test_more_than_the_maximum_of_distinct_tags_is_refused(tags):
    with pytest.raises(ValidationError) as refused:
        NewArticleRequestSchema().load({"article": {"title": "t", "description": "", "body": "b", "tagList": tags}})

    assert set(refused.value.messages["article"]) == {"tagList"}


@given(tag=bounded_odd_text(min_size=TAG_MAX_LENGTH + 1, max_size=TAG_MAX_LENGTH + 20)
       .filter(lambda tag: len(tag.strip()) > TAG_MAX_LENGTH) | st.text(" \t\n\u3000\u2028", max_size=5))
def test_a_tag_too_long_or_empty_once_trimmed_is_refused(tag):
    with pytest.raises(ValidationError) as refused:
        UpdateArticleRequestSchema().load({"article": {"tagList": ["fine", tag]}})

    assert set(refused.value.messages["article"]) == {"tagList"}


@given(text=bounded_odd_text(max_size=60).filter(lambda text: not text.strip()) | st.text(" \t\r\n\x0b\x0c\x85\u3000"))
def test_whitespace_only_titles_and_bodies_are_refused(text):
    with pytest.raises(ValidationError) as refused:
        NewArticleRequestSchema().load({"article": {"title": text, "description": text, "body": text}})
    with pytest.raises(ValidationError) as comment:
        NewCommentRequestSchema().load({"comment": {"body": text}})

    assert set(refused.value.messages["article"]) == {"title", "body"}
    assert set(comment.value.messages["comment"]) == {"body"}


@given(limit=st.integers(), offset=st.integers())
@example(limit=10**100, offset=-1)
@example(limit=MAX_LIMIT, offset=MAX_OFFSET)
@example(limit=MAX_LIMIT + 1, offset=MAX_OFFSET + 1)
def test_pagination_accepts_exactly_the_documented_ranges(limit, offset):
    valid = 1 <= limit <= MAX_LIMIT and 0 <= offset <= MAX_OFFSET
    for schema in (PaginationQuerySchema(), ArticleListQuerySchema()):
        try:
            loaded = schema.load({"limit": str(limit), "offset": str(offset)})
        except ValidationError as error:
            assert not valid
            assert set(error.messages) == {name for name, value, low, high in
                                           [("limit", limit, 1, MAX_LIMIT), ("offset", offset, 0, MAX_OFFSET)]
                                           if not low <= value <= high}
        else:
            assert valid and (loaded["limit"], loaded["offset"]) == (limit, offset)


def test_pagination_defaults_to_the_first_page_of_twenty():
    assert PaginationQuerySchema().load({}) == {"limit": DEFAULT_LIMIT, "offset": 0}


@given(filters=st.dictionaries(st.sampled_from(["tag", "author", "favorited"]), odd_text(max_size=30)))
def test_list_filters_load_as_sent_and_empty_ones_mean_no_filter(filters):
    loaded = ArticleListQuerySchema().load(filters)

    assert loaded == {"limit": DEFAULT_LIMIT, "offset": 0, **{name: value for name, value in filters.items() if value}}


@given(slug=odd_text(max_size=20) | st.from_regex(SLUG_PATTERN) | st.from_regex(SLUG_PATTERN, fullmatch=True))
def test_the_slug_path_parameter_accepts_exactly_the_slug_pattern(slug):
    valid = SLUG.fullmatch(slug) is not None and len(slug) <= 255
    try:
        loaded = ArticlePathSchema().load({"slug": slug})
    except ValidationError:
        assert not valid
    else:
        assert valid and loaded == {"slug": slug}


@given(username=odd_text(max_size=70) | st.from_regex(r"[A-Za-z0-9_.-]{1,70}\n?", fullmatch=True))
def test_the_profile_path_parameter_accepts_exactly_registrable_usernames(username):
    # "." and ".." are no usable path segment, so no account has them (tests/accounts/test_path_safe_usernames.py).
    valid = re.fullmatch(r"[A-Za-z0-9_.-]{1,64}", username) is not None and username not in (".", "..")
    try:
        loaded = ProfilePathSchema().load({"username": username})
    except ValidationError as error:
        assert not valid and set(error.messages) == {"username"}
    else:
        assert valid and loaded == {"username": username}


@given(comment_id=st.integers())
def test_a_comment_id_is_a_positive_64_bit_integer(comment_id):
    valid = 1 <= comment_id <= 2**63 - 1
    try:
        loaded = CommentPathSchema().load({"slug": "a-slug", "id": str(comment_id)})
    except ValidationError as error:
        assert not valid and set(error.messages) == {"id"}
    else:
        assert valid and loaded["id"] == comment_id


@given(tags=st.lists(odd_text(max_size=20)))
def test_the_tag_list_dumps_as_it_is(tags):
    assert TagsResponseSchema().dump({"tags": tags}) == {"tags": tags}


# Through HTTP: the schema's verdict is the answer, and no document gives a 500.

@pytest.fixture(scope="module")
def author_token(app):
    return register(app.test_client(use_cookies=False))["token"]


@pytest.fixture(scope="module")
def own_article(app, author_token):
    """An article of author_token's, whose slug the update test follows when a new title moves it."""
    return create_article(app.test_client(use_cookies=False), author_token)


def encode(document, ensure_ascii: bool) -> bytes:
    # Without ensure_ascii a lone surrogate goes out as the bytes UTF-8 forbids (CESU-style).
    return json.dumps(document, ensure_ascii=ensure_ascii).encode("utf-8", "surrogatepass")


def holds_a_surrogate(value) -> bool:
    if isinstance(value, str):
        return any("\ud800" <= character <= "\udfff" for character in value)
    if isinstance(value, dict):
        return any(holds_a_surrogate(key) or holds_a_surrogate(item) for key, item in value.items())
    if isinstance(value, list):
        return any(holds_a_surrogate(item) for item in value)
    return False


def schema_verdict(schema_class, data: bytes):
    """What the endpoint must answer: 400 for an unreadable body, else the schema's load or 422.

    The body is read as the app reads it, by json.loads (which takes Infinity and NaN too)."""
    try:
        document = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        return 400
    if holds_a_surrogate(document):  # escaped alone, as \udXXX (an escaped pair is one character)
        return 400
    try:
        return schema_class().load(document)
    except ValidationError:
        return 422


def assert_contract_error(response) -> dict:
    assert 400 <= response.status_code < 500, response.get_data(as_text=True)[:500]
    assert response.mimetype == "application/json"
    errors = response.get_json()["errors"]
    assert all(isinstance(messages, list) and all(isinstance(m, str) for m in messages) for messages in errors.values())
    assert errors["body"]
    return errors


def send_for_the_verdict(app, token: str, method: str, path: str, schema_class, document, ensure_ascii: bool,
                         success_status: int):
    """Send `document` and assert the answer is the schema's verdict: (response body, loaded
    document) on success, None after checking the 4xx error."""
    data = encode(document, ensure_ascii)
    verdict = schema_verdict(schema_class, data)

    response = app.test_client().open(path, method=method, data=data, content_type="application/json",
                                      headers=auth_header(token))

    if not isinstance(verdict, dict):
        assert response.status_code == verdict, response.get_data(as_text=True)[:500]
        assert_contract_error(response)
        return None
    assert response.status_code == success_status, response.get_data(as_text=True)[:500]
    return response.get_json(), verdict


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(document=valid_new_articles | article_envelopes | http_documents, ensure_ascii=st.booleans())
def test_creating_an_article_answers_the_schema_verdict(app, author_token, document, ensure_ascii):
    success = send_for_the_verdict(app, author_token, "POST", "/api/articles", NewArticleRequestSchema, document,
                                   ensure_ascii, 201)

    if success:
        article, expected = success[0]["article"], success[1]["article"]
        assert [article[name] for name in ("title", "description", "body")] == [
            expected[name] for name in ("title", "description", "body")]
        assert bool(article["tagList"]) == bool(expected["tags"]) and len(article["tagList"]) <= len(expected["tags"])
        assert SLUG.fullmatch(article["slug"])


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(document=valid_updates | article_envelopes | http_documents, ensure_ascii=st.booleans())
def test_updating_an_article_answers_the_schema_verdict(app, author_token, own_article, document, ensure_ascii):
    success = send_for_the_verdict(app, author_token, "PUT", f"/api/articles/{own_article['slug']}",
                                   UpdateArticleRequestSchema, document, ensure_ascii, 200)

    if success:
        article, changes = success[0]["article"], success[1]["article"]
        for name in ("title", "description", "body"):
            if name in changes:
                assert article[name] == changes[name]
        own_article["slug"] = article["slug"]  # a new title moved it


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(document=comment_envelopes | http_documents, ensure_ascii=st.booleans())
def test_commenting_answers_the_schema_verdict(app, author_token, own_article, document, ensure_ascii):
    success = send_for_the_verdict(app, author_token, "POST", f"/api/articles/{own_article['slug']}/comments",
                                   NewCommentRequestSchema, document, ensure_ascii, 200)

    if success:
        assert success[0]["comment"]["body"] == success[1]["comment"]["body"]


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(query=query_documents)
def test_listing_articles_answers_the_schema_verdict(app, query):
    try:
        ArticleListQuerySchema().load(query)
    except ValidationError as error:
        expected_status, blamed = 422, set(error.messages)
    else:
        expected_status, blamed = 200, set()

    response = app.test_client().get("/api/articles", query_string=query)

    assert response.status_code == expected_status, response.get_data(as_text=True)[:500]
    if blamed:
        assert blamed <= set(assert_contract_error(response))
