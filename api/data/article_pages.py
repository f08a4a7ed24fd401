"""Pages of articles: the global list with its filters, and the feed.

A page is one statement whatever its size: a deferred join (the filtered ids are found on
indexes first, then only those rows get their author, their tags and the viewer's flags; see
api/data/articles.py), plus the total count. Counting is a scan of every matching index entry,
which grows with the table, so the total is cached in Redis per filter and recounted only after
the content cache's generation moved (api/cache): a page costs one SQL statement while nothing
changes, two right after a change. Every filter is a join on an
indexed key that matches at most one row per article, so filters combine (AND) without DISTINCT:

- tag:       tags.name (unique) -> article_tags PK (tag_id, article_id) -> articles PK
- author:    users.username (unique) -> articles (author_id, id), already newest first
- favorited: users.username (unique) -> favorites PK (user_id, article_id) -> articles PK
- feed:      follows PK (follower_id, followee_id) -> articles (author_id, id)

An unknown tag or username matches nothing: an empty page and a count of 0, not a 404.
The unfiltered list walks the primary key backwards and stops after the page. The feed's
`followed_by` join sorts every article of the followed authors; api/data/feed_pages.py avoids
that and uses this join only as its fallback (and for counting).

A page may start after a keyset cursor (`before`, an article id): `WHERE id < before` on the
same index, so reaching it costs what the first page costs, where OFFSET walks (and throws
away) every entry it skips: at 100,000 articles the last page by offset took 0.8 s of MariaDB
time against 1.3 ms for the first (docs/performance.md). An offset given with a cursor skips
that many more after it. Every page reads one row past its limit: that row only tells whether
a next page exists (`next_cursor`, the id of the page's last article, or None), so a walk ends
on its last full page instead of one empty page later.
"""

import hashlib
import json
from dataclasses import dataclass

from api.cache import content_cache
from api.data.articles import select_articles, shape_article
from api.db import db

FILTER_JOINS = {
    "tag": " JOIN article_tags tag_link ON tag_link.article_id = article.id"
           " JOIN tags tag_filter ON tag_filter.id = tag_link.tag_id AND tag_filter.name = %(tag)s",
    "author": " JOIN users author_filter ON author_filter.id = article.author_id"
              " AND author_filter.username = %(author)s",
    "favorited": " JOIN favorites favorite_filter ON favorite_filter.article_id = article.id"
                 " JOIN users favoriter ON favoriter.id = favorite_filter.user_id"
                 " AND favoriter.username = %(favorited)s",
    "followed_by": " JOIN follows feed_follow ON feed_follow.followee_id = article.author_id"
                   " AND feed_follow.follower_id = %(followed_by)s",
}


@dataclass(frozen=True)
class ArticleFilters:
    """Which articles a page shows; None means "any". `followed_by` (a user id) makes the feed."""

    tag: str | None = None
    author: str | None = None
    favorited: str | None = None
    followed_by: int | None = None

    def as_args(self) -> dict:
        """The filters by name, as statement arguments: a flat copy (`dataclasses.asdict` deep-copies
        every value, three times a page: 2% of a list page's instructions)."""
        return dict(vars(self))

    def joins(self) -> str:
        return "".join(FILTER_JOINS[name] for name, value in self.as_args().items() if value is not None)


def article_page_sql(filters: ArticleFilters, *, for_viewer: bool, after_cursor: bool = False) -> str:
    """The page query: newest first, older than %(before)s when `after_cursor`, LIMIT %(limit)s
    OFFSET %(offset)s, as %(viewer_id)s sees it (`for_viewer`) or as anyone does."""
    # With a tag, order (and start after the cursor) by the link's article_id (the same value):
    # the page is then read off the article_tags PK (tag_id, article_id) backwards, whatever
    # plan the optimizer picks.
    newest_first = "tag_link.article_id" if filters.tag is not None else "article.id"
    older = f" WHERE {newest_first} < %(before)s" if after_cursor else ""
    page_ids = (f"SELECT article.id FROM articles article{filters.joins()}{older}"
                f" ORDER BY {newest_first} DESC LIMIT %(limit)s OFFSET %(offset)s")
    source = f"({page_ids}) page JOIN articles article ON article.id = page.id"
    return select_articles(source, for_viewer=for_viewer, with_body=False) + " ORDER BY article.id DESC"


TAG_LINKS = ("SELECT COUNT(*) AS count FROM article_tags tag_link"
             " JOIN tags tag_filter ON tag_filter.id = tag_link.tag_id AND tag_filter.name = %(tag)s")


def article_count_sql(filters: ArticleFilters) -> str:
    """How many articles match the filters in all."""
    if filters == ArticleFilters(tag=filters.tag) and filters.tag is not None:
        # Every link has its article (foreign key, ON DELETE CASCADE), so count the tag's links
        # on their PK: joining the articles reads ~10,000 clustered rows (bodies and all) for
        # nothing, 320 ms instead of 2 ms at 100,000 articles.
        return TAG_LINKS
    return f"SELECT COUNT(*) AS count FROM articles article{filters.joins()}"


def query_args(filters: ArticleFilters, *, viewer_id: int | None, limit: int, offset: int,
               before: int | None = None) -> dict:
    """The arguments of both queries; the page reads one row more than `limit` (see finish_page)."""
    return {**filters.as_args(), "viewer_id": viewer_id, "limit": limit + 1, "offset": offset, "before": before}


def fetch_article_page(filters: ArticleFilters, *, viewer_id: int | None, limit: int, offset: int,
                       before: int | None = None) -> dict:
    """One page of articles (no bodies), the total count and the next page's cursor: the page
    and the count when it is not cached at the current generation."""
    args = query_args(filters, viewer_id=viewer_id, limit=limit, offset=offset, before=before)
    page_sql = article_page_sql(filters, for_viewer=viewer_id is not None, after_cursor=before is not None)
    return finish_page(db.fetch_all(page_sql, args), limit, filters)


def finish_page(rows: list[dict], limit: int, filters: ArticleFilters) -> dict:
    """The page of `rows` (read with LIMIT limit + 1, newest first): at most `limit` articles
    with their tags, the total count, and the cursor after the last one if more rows follow."""
    next_cursor = rows[limit - 1]["id"] if len(rows) > limit else None
    articles = [shape_article(row) for row in rows[:limit]]
    return {"articles": articles, "articles_count": count_articles(filters), "next_cursor": next_cursor}


def count_articles(filters: ArticleFilters) -> int:
    """How many articles match, from the cache when it is current."""
    digest = hashlib.sha256(json.dumps(filters.as_args()).encode()).hexdigest()[:32]
    count = content_cache.read_through(
        f"articles-count:{digest}",
        lambda: str(db.fetch_present(article_count_sql(filters), filters.as_args())["count"]).encode(),
    )
    return int(count)
