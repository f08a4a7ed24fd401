"""The feed's pages: the newest articles of the authors a user follows, read newest first.

The plain join (api/data/article_pages.py, filter `followed_by`) reads every article of every
followed author and sorts them all: ~20,000 rows for 10 prolific authors at 100,000 articles.
A page needs at most `offset + limit` articles of any one author, their newest, so the feed
takes each followed author's newest `offset + limit` ids off the (author_id, id) index (one
UNION ALL branch per author, each a short backward index walk) and sorts only those. MariaDB
10.11 has no LATERAL join, so the followed authors are read first (one more statement); past
MAX_BRANCHES of them the page falls back to the plain join rather than build a huge statement.
"""

from api.data.article_pages import ArticleFilters, count_articles, fetch_article_page
from api.data.articles import select_articles, shape_article
from api.db import db

MAX_BRANCHES = 100


def feed_page_sql(authors: int) -> str:
    """The page query for `authors` followed authors (%(author_0)s ...), as %(viewer_id)s sees it."""
    branches = " UNION ALL ".join(
        f"(SELECT id FROM articles WHERE author_id = %(author_{number})s ORDER BY id DESC LIMIT %(depth)s)"
        for number in range(authors))
    page_ids = f"SELECT newest.id FROM ({branches}) newest ORDER BY newest.id DESC LIMIT %(limit)s OFFSET %(offset)s"
    source = f"({page_ids}) page JOIN articles article ON article.id = page.id"
    return select_articles(source, for_viewer=True, with_body=False) + " ORDER BY article.id DESC"


def fetch_feed_page(user_id: int, *, limit: int, offset: int) -> dict:
    """One page of the user's feed and its total count, like fetch_article_page."""
    filters = ArticleFilters(followed_by=user_id)
    authors = [row["followee_id"] for row in
               db.fetch_all("SELECT followee_id FROM follows WHERE follower_id = %s", (user_id,))]
    if len(authors) > MAX_BRANCHES:
        return fetch_article_page(filters, viewer_id=user_id, limit=limit, offset=offset)
    rows = []
    if authors:
        args = {f"author_{number}": author for number, author in enumerate(authors)}
        rows = db.fetch_all(feed_page_sql(len(authors)), {
            **args, "viewer_id": user_id, "limit": limit, "offset": offset, "depth": offset + limit})
    return {"articles": [shape_article(row) for row in rows], "articles_count": count_articles(filters)}
