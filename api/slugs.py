"""Slugs: URL-safe names of articles, made from their titles by python-slugify.

python-slugify transliterates (CJK, Greek, Cyrillic become ASCII words), so most titles give a
readable slug; a title with nothing to transliterate (emoji only) gets a random one. Uniqueness
is the database's job (the UNIQUE key on articles.slug): on a clash the writer retries with
`with_random_suffix`, so two articles created at the same moment never share a slug.
"""

import secrets

from slugify import slugify
from werkzeug.routing import BaseConverter

from schemas.articles import NOT_RESERVED_SLUG, RESERVED_SLUGS

# Leaves room for "-" and the suffix within the 255 characters of articles.slug.
SLUG_BASE_MAX_LENGTH = 200
SUFFIX_BYTES = 4


def slug_for_title(title: str) -> str:
    """The preferred slug of a title: "Hello, World!" -> "hello-world"."""
    slug = slugify(title, max_length=SLUG_BASE_MAX_LENGTH, word_boundary=True) or secrets.token_hex(SUFFIX_BYTES)
    return with_random_suffix(slug) if slug in RESERVED_SLUGS else slug


def with_random_suffix(slug: str) -> str:
    """Another slug for the same title: "hello-world" -> "hello-world-1f2e3d4c"."""
    return f"{slug}-{secrets.token_hex(SUFFIX_BYTES)}"


class ArticleSlugConverter(BaseConverter):
    """`<slug:...>` in a route: a path segment that may name an article, so never a reserved
    slug. /api/articles/feed is then the feed's alone: PUT or DELETE there is a 405 (with an
    Allow header of the feed's methods), not an article lookup."""

    regex = NOT_RESERVED_SLUG + r"[^/]+"
    # Matched a segment at a time, so `$` is the segment's end (werkzeug guesses otherwise from
    # the "/" in the regex, and /api/articles/feed/favorite would name an article "feed").
    part_isolating = True
