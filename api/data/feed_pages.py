"""The feed's pages: the newest articles of the authors a user follows, read newest first.

The plain join (api/data/article_pages.py, filter `followed_by`) reads every article of every
followed author and sorts them all: ~20,000 rows for 10 prolific authors at 100,000 articles.
A page (with the one row that tells whether a next page exists) needs at most
`offset + limit + 1` articles of any one author, their newest (older than the cursor, if any),
so the feed takes each followed author's newest that many ids off the (author_id, id) index (one
UNION ALL branch per author, each a short backward index walk) and sorts only those. MariaDB
10.11 has no LATERAL join, so the followed authors are read first (one more statement); past
MAX_BRANCHES of them the page falls back to the plain join rather than build a huge statement.
"""

from api.data.article_pages import ArticleFilters, fetch_article_page, finish_page, query_args
from api.data.articles import select_articles
from api.db import db

MAX_BRANCHES = 100


def feed_page_sql(authors: int, *, after_cursor: bool = False) -> str:
    """The page query for `authors` followed authors (%(author_0)s ...), older than %(before)s
    when `after_cursor`, as %(viewer_id)s sees it."""
    older = " AND id < %(before)s" if after_cursor else ""
    branches = " UNION ALL ".join(
        f"(SELECT id FROM articles WHERE author_id = %(author_{number})s{older} ORDER BY id DESC LIMIT %(depth)s)"
        for number in range(authors))
    page_ids = f"SELECT newest.id FROM ({branches}) newest ORDER BY newest.id DESC LIMIT %(limit)s OFFSET %(offset)s"
    source = f"({page_ids}) page JOIN articles article ON article.id = page.id"
    return select_articles(source, for_viewer=True, with_body=False) + " ORDER BY article.id DESC"


def fetch_feed_page(user_id: int, *, limit: int, offset: int, before: int | None = None) -> dict:
    """One page of the user's feed, its total count and the next page's cursor, like fetch_article_page."""
    filters = ArticleFilters(followed_by=user_id)
    authors = [row["followee_id"] for row in
               db.fetch_all("SELECT followee_id FROM follows WHERE follower_id = %s", (user_id,))]
    if len(authors) > MAX_BRANCHES:
        return fetch_article_page(filters, viewer_id=user_id, limit=limit, offset=offset, before=before)
    rows = []
    if authors:
        args = {f"author_{number}": author for number, author in enumerate(authors)}
        page_args = query_args(filters, viewer_id=user_id, limit=limit, offset=offset, before=before)
        rows = db.fetch_all(feed_page_sql(len(authors), after_cursor=before is not None),
                            {**args, **page_args, "depth": page_args["offset"] + page_args["limit"]})
    return finish_page(rows, limit, filters)
