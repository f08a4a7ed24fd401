"""Slugs: URL-safe names of articles, made from their titles by python-slugify.

python-slugify transliterates (CJK, Greek, Cyrillic become ASCII words), so most titles give a
readable slug; a title with nothing to transliterate (emoji only) gets a random one. Uniqueness
is the database's job (the UNIQUE key on articles.slug): on a clash the writer retries with
`with_random_suffix`, so two articles created at the same moment never share a slug.
"""

import secrets

from slugify import slugify

# Leaves room for "-" and the suffix within the 255 characters of articles.slug.
SLUG_BASE_MAX_LENGTH = 200
SUFFIX_BYTES = 4
# Slugs that would be shadowed by a fixed route: GET /api/articles/feed is the feed.
RESERVED_SLUGS = {"feed"}


def slug_for_title(title: str) -> str:
    """The preferred slug of a title: "Hello, World!" -> "hello-world"."""
    slug = slugify(title, max_length=SLUG_BASE_MAX_LENGTH, word_boundary=True) or secrets.token_hex(SUFFIX_BYTES)
    return with_random_suffix(slug) if slug in RESERVED_SLUGS else slug


def with_random_suffix(slug: str) -> str:
    """Another slug for the same title: "hello-world" -> "hello-world-1f2e3d4c"."""
    return f"{slug}-{secrets.token_hex(SUFFIX_BYTES)}"
