"""Properties of slug generation (api/slugs.py): for any title, a non-empty URL-safe ASCII slug
that the slug path parameter accepts, of bounded length, the same every time unless it had to
be random; and through the app, two articles never share one."""

import re
import string

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from slugify import slugify

from api.slugs import RESERVED_SLUGS, SLUG_BASE_MAX_LENGTH, SUFFIX_BYTES, slug_for_title, with_random_suffix
from schemas.articles import SLUG_PATTERN, ArticlePathSchema
from tests.support.factories import auth_header, create_article, register, unique
from tests.support.strategies import lone_surrogates, not_blank, odd_characters, odd_text, scalar_characters, titles

SLUG = re.compile(SLUG_PATTERN)
SUFFIXED_MAX_LENGTH = SLUG_BASE_MAX_LENGTH + 1 + 2 * SUFFIX_BYTES
RANDOM_SLUG = re.compile(rf"[0-9a-f]{{{2 * SUFFIX_BYTES}}}")

# Titles with nothing to transliterate: punctuation, symbols, emoji, whitespace, controls.
untransliterable = st.lists(
    st.sampled_from(string.punctuation + string.whitespace) | st.sampled_from(
        ["\U0001f600", "\U0001f409", "\u2764\ufe0f", "\u200b", "\ufeff", "\x00", "\u202e", "\u3000"]),
    min_size=1, max_size=60,
).map("".join)
# Any string at all, lone surrogates included: slug_for_title must not care where it came from.
any_title = odd_text(max_size=300) | st.lists(scalar_characters | lone_surrogates | odd_characters,
                                              max_size=40).map("".join)
ascii_words = st.lists(st.from_regex(r"[A-Za-z0-9]{1,12}", fullmatch=True), min_size=1, max_size=8)


def assert_usable_slug(slug: str) -> None:
    assert SLUG.fullmatch(slug), slug
    assert slug.isascii() and slug == slug.lower()
    assert 1 <= len(slug) <= SUFFIXED_MAX_LENGTH
    assert slug not in RESERVED_SLUGS
    assert ArticlePathSchema().load({"slug": slug}) == {"slug": slug}


@settings(max_examples=300, deadline=None)
@given(title=any_title | untransliterable | titles)
@example(title="")
@example(title="Feed")
@example(title=" FEED!! ")
@example(title="&#128512; &#xD800; &#99999999999; &amp;")
@example(title="a" * 250 + " b")
@example(title="a" * 199 + "-" + "b" * 60)
@example(title="\u0130" * 255)
def test_any_title_gives_a_usable_slug(title):
    assert_usable_slug(slug_for_title(title))


@settings(max_examples=200, deadline=None)
@given(title=any_title | titles)
def test_a_title_always_gives_the_same_slug_unless_it_had_to_be_random(title):
    readable = slugify(title, max_length=SLUG_BASE_MAX_LENGTH, word_boundary=True)
    first, second = slug_for_title(title), slug_for_title(title)

    if readable and readable not in RESERVED_SLUGS:
        assert first == second == readable
        assert len(first) <= SLUG_BASE_MAX_LENGTH
    elif readable:  # reserved: the readable slug with a random suffix
        assert first.startswith(readable + "-") and second.startswith(readable + "-")
    else:  # nothing readable: a random slug, new each time
        assert RANDOM_SLUG.fullmatch(first) and RANDOM_SLUG.fullmatch(second)


@given(title=untransliterable)
def test_a_title_without_letters_or_digits_still_gets_a_slug(title):
    slug = slug_for_title(title)

    assert_usable_slug(slug)


@given(words=ascii_words)
def test_ascii_words_become_lowercase_words_joined_by_dashes(words):
    title = " ".join(words) + "!"

    slug = slug_for_title(title)

    expected = "-".join(words).lower()
    if expected not in RESERVED_SLUGS:
        assert slug == expected


@settings(max_examples=100)
@given(title=any_title | titles)
def test_a_suffixed_slug_is_still_usable_and_names_its_base(title):
    base = slug_for_title(title)

    suffixed = with_random_suffix(base)

    assert_usable_slug(suffixed)
    assert suffixed.startswith(base + "-") and RANDOM_SLUG.fullmatch(suffixed[len(base) + 1:])


# Through the app: the database's UNIQUE key and the retry with a suffix.

@pytest.fixture(scope="module")
def author_token(app):
    return register(app.test_client(use_cookies=False))["token"]


@settings(max_examples=15, deadline=None)
@given(title=titles | untransliterable.filter(not_blank))
@example(title="Feed")
@example(title="\U0001f409")
def test_two_articles_with_the_same_title_get_distinct_slugs(app, author_token, title):
    client = app.test_client(use_cookies=False)

    first = create_article(client, author_token, title=title, body="first")
    second = create_article(client, author_token, title=title, body="second")

    assert first["slug"] != second["slug"]
    for article in (first, second):
        assert_usable_slug(article["slug"])
        assert article["title"] == title
        stored = client.get(f"/api/articles/{article['slug']}").get_json()["article"]
        assert (stored["title"], stored["body"]) == (title, article["body"])


@settings(max_examples=10, deadline=None)
@given(title=titles)
def test_renaming_to_a_title_in_use_gets_a_distinct_slug(app, author_token, title):
    client = app.test_client(use_cookies=False)
    taken = create_article(client, author_token, title=title)
    renamed = create_article(client, author_token, title=unique("Before "))

    response = client.put(f"/api/articles/{renamed['slug']}", json={"article": {"title": title}},
                          headers=auth_header(author_token))

    assert response.status_code == 200, response.get_json()
    new_slug = response.get_json()["article"]["slug"]
    assert_usable_slug(new_slug)
    assert new_slug not in (taken["slug"], renamed["slug"])
    assert client.get(f"/api/articles/{new_slug}").get_json()["article"]["title"] == title
    assert client.get(f"/api/articles/{taken['slug']}").get_json()["article"]["title"] == title
    assert client.get(f"/api/articles/{renamed['slug']}").status_code == 404
