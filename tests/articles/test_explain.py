"""Every filter of the article list, and the feed, reads articles through an index (EXPLAIN).

MariaDB chooses plans from table statistics, and on a near-empty table a full scan is the
cheapest plan and proves nothing. So the module first gives the tables a realistic shape:
many users, articles, tags, favorites and follows, most of them unrelated to any one filter.
That filler is written with bulk SQL (thousands of rows through the API would cost minutes).
"""

import random

import pytest

from api.data.article_pages import ArticleFilters, article_count_sql, article_page_sql, query_args
from api.data.feed_pages import feed_page_sql
from api.db import db
from tests.support.factories import unique

# Filter name -> the access types that read only matching rows (no scan of a whole index).
SELECTIVE = {"const", "eq_ref", "ref", "range"}
# Tables the list queries read by an index on every row; `<derivedN>` is the page itself.
INDEXED_ALIASES = {"article", "author", "tag_filter", "tag_link", "author_filter", "favoriter",
                   "favorite_filter", "feed_follow", "viewer_follow", "viewer_favorite"}
FILTERS = {
    "tag": {"tag"},
    "author": {"author"},
    "favorited": {"favorited"},
    "tag+author": {"tag", "author"},
    "tag+favorited": {"tag", "favorited"},
    "author+favorited": {"author", "favorited"},
    "all three": {"tag", "author", "favorited"},
    "feed": {"followed_by"},
}


@pytest.fixture(scope="module")
def sample(app):
    """Filler rows plus one user whose name, tag, favorites and follows the filters use."""
    prefix = unique("explain")
    rng = random.Random(7)
    with app.app_context(), db.transaction():
        db.execute_many(
            "INSERT INTO users (email, username, password_hash, created_at, updated_at)"
            " VALUES (%s, %s, 'x', UTC_TIMESTAMP(3), UTC_TIMESTAMP(3))",
            [(f"{prefix}-{n}@example.com", f"{prefix}-{n}") for n in range(200)],
        )
        user_ids = [row["id"] for row in db.fetch_all("SELECT id FROM users WHERE username LIKE %s", (prefix + "-%",))]
        db.execute_many(
            "INSERT INTO articles (slug, title, description, body, author_id, created_at, updated_at)"
            " VALUES (%s, 't', 'd', 'b', %s, UTC_TIMESTAMP(3), UTC_TIMESTAMP(3))",
            [(f"{prefix}-{n}", rng.choice(user_ids)) for n in range(2000)],
        )
        article_ids = [row["id"]
                       for row in db.fetch_all("SELECT id FROM articles WHERE slug LIKE %s", (prefix + "-%",))]
        db.execute_many("INSERT INTO tags (name) VALUES (%s)", [(f"{prefix}-{n}",) for n in range(100)])
        tag_ids = [row["id"] for row in db.fetch_all("SELECT id FROM tags WHERE name LIKE %s", (prefix + "-%",))]
        db.execute_many("INSERT IGNORE INTO article_tags (article_id, tag_id) VALUES (%s, %s)",
                        [(article_id, rng.choice(tag_ids)) for article_id in article_ids])
        db.execute_many("INSERT IGNORE INTO favorites (user_id, article_id, created_at)"
                        " VALUES (%s, %s, UTC_TIMESTAMP(3))",
                        [(rng.choice(user_ids), rng.choice(article_ids)) for _ in range(3000)])
        db.execute_many("INSERT IGNORE INTO follows (follower_id, followee_id, created_at)"
                        " VALUES (%s, %s, UTC_TIMESTAMP(3))",
                        [(rng.choice(user_ids), rng.choice(user_ids)) for _ in range(1000)])
    with app.app_context():
        db.fetch_all("ANALYZE TABLE users, articles, tags, article_tags, favorites, follows")
        user_id = user_ids[0]
        return {"tag": f"{prefix}-0", "author": f"{prefix}-0", "favorited": f"{prefix}-0", "followed_by": user_id}


def plan_of(sql: str, args: dict) -> list[dict]:
    return db.fetch_all("EXPLAIN " + sql, args)


@pytest.mark.parametrize("signed_in", (True, False), ids=("viewer", "anonymous"))
@pytest.mark.parametrize("names", FILTERS.values(), ids=FILTERS.keys())
def test_filtered_pages_and_counts_read_only_matching_articles(app, sample, names, signed_in):
    filters = ArticleFilters(**{name: sample[name] for name in names})
    args = query_args(filters, viewer_id=sample["followed_by"] if signed_in else None, limit=20, offset=0)
    page_sql = article_page_sql(filters, for_viewer=signed_in)
    with app.app_context():
        for sql in (page_sql, article_count_sql(filters)):
            plan = plan_of(sql, args)
            for row in plan:
                if row["table"] in INDEXED_ALIASES:
                    assert row["type"] in SELECTIVE and row["key"], (names, row, plan)
        page_plan = plan_of(page_sql, args)
        assert any(row["table"] == "article" for row in page_plan)
        # The viewer's flags are joined for a signed-in viewer only.
        viewer_tables = {row["table"] for row in page_plan} & {"viewer_follow", "viewer_favorite"}
        assert viewer_tables == ({"viewer_follow", "viewer_favorite"} if signed_in else set()), page_plan


def test_unfiltered_page_walks_the_primary_key_newest_first(app, sample):
    filters = ArticleFilters()
    args = query_args(filters, viewer_id=None, limit=20, offset=0)
    with app.app_context():
        plan = plan_of(article_page_sql(filters, for_viewer=False), args)
        page_scan = [row for row in plan if row["select_type"] == "DERIVED" and row["table"] == "article"]
        # An index walk that stops after LIMIT rows, not a table scan plus filesort:
        assert page_scan and page_scan[0]["key"] == "PRIMARY", plan
        assert "filesort" not in (page_scan[0]["Extra"] or "")
        for row in plan:
            if row["table"] in INDEXED_ALIASES and row["select_type"] != "DERIVED":
                assert row["type"] in SELECTIVE, (row, plan)
        count_plan = plan_of(article_count_sql(filters), args)
        assert count_plan[0]["key"] is not None, count_plan  # counted on the smallest index


def test_tag_page_walks_the_tag_links_newest_first(app, sample):
    filters = ArticleFilters(tag=sample["tag"])
    args = query_args(filters, viewer_id=None, limit=20, offset=0)
    with app.app_context():
        plan = plan_of(article_page_sql(filters, for_viewer=False), args)
        derived = [row for row in plan if row["select_type"] == "DERIVED"]
        # The tag's links are read on the PK (tag_id, article_id) already in page order: no sort.
        assert any(row["table"] == "tag_link" and row["key"] == "PRIMARY" for row in derived), plan
        assert not any("filesort" in (row["Extra"] or "") or "temporary" in (row["Extra"] or "")
                       for row in derived), plan
        # Its count reads the tag's links alone: joining articles would read every clustered row.
        count_plan = plan_of(article_count_sql(filters), args)
        assert {row["table"] for row in count_plan} == {"tag_filter", "tag_link"}, count_plan


def test_feed_reads_each_followed_authors_newest_articles_only(app, sample):
    with app.app_context():
        authors = [row["followee_id"] for row in db.fetch_all(
            "SELECT followee_id FROM follows WHERE follower_id = %s", (sample["followed_by"],))]
        assert authors, "the sample user follows someone"
        args = {**{f"author_{number}": author for number, author in enumerate(authors)},
                "viewer_id": sample["followed_by"], "limit": 20, "offset": 0, "depth": 20}
        plan = plan_of(feed_page_sql(len(authors)), args)
        branches = [row for row in plan if row["select_type"] in ("DERIVED", "UNION") and row["table"] == "articles"]
        # Each branch is a backward walk of (author_id, id) that stops after `depth` rows: no sort.
        assert len(branches) == len(authors), plan
        for row in branches:
            assert row["key"] == "articles_author_newest" and "filesort" not in (row["Extra"] or ""), plan


@pytest.mark.parametrize("names", [set(), {"tag"}, {"author"}, {"favorited"}], ids=["none", "tag", "author",
                                                                                      "favorited"])
def test_a_page_after_a_cursor_starts_on_the_index_without_a_sort(app, sample, names):
    """`before` is a range on the key the page already walks: the walk starts at the cursor."""
    filters = ArticleFilters(**{name: sample[name] for name in names})
    with app.app_context():
        middle = db.fetch_present("SELECT MAX(id) DIV 2 AS id FROM articles", ())["id"]
        args = query_args(filters, viewer_id=None, limit=20, offset=0, before=middle)
        plan = plan_of(article_page_sql(filters, for_viewer=False, after_cursor=True), args)
        derived = [row for row in plan if row["select_type"] == "DERIVED"]
        assert not any("filesort" in (row["Extra"] or "") or "temporary" in (row["Extra"] or "")
                       for row in derived), plan
        for row in derived:
            if row["table"] in INDEXED_ALIASES:
                assert row["type"] in SELECTIVE and row["key"], (names, row, plan)
        if not names:  # the unfiltered page: a range on the primary key
            assert derived[0]["key"] == "PRIMARY" and derived[0]["type"] == "range", plan
        if names == {"tag"}:
            assert any(row["table"] == "tag_link" and row["key"] == "PRIMARY" and row["type"] == "range"
                       for row in derived), plan


def test_feed_after_a_cursor_starts_each_branch_at_the_cursor(app, sample):
    with app.app_context():
        authors = [row["followee_id"] for row in db.fetch_all(
            "SELECT followee_id FROM follows WHERE follower_id = %s", (sample["followed_by"],))]
        middle = db.fetch_present("SELECT MAX(id) DIV 2 AS id FROM articles", ())["id"]
        args = {**{f"author_{number}": author for number, author in enumerate(authors)},
                "viewer_id": sample["followed_by"], "limit": 21, "offset": 0, "depth": 21, "before": middle}
        plan = plan_of(feed_page_sql(len(authors), after_cursor=True), args)
        branches = [row for row in plan if row["select_type"] in ("DERIVED", "UNION") and row["table"] == "articles"]
        assert len(branches) == len(authors), plan
        for row in branches:
            assert row["key"] == "articles_author_newest" and row["type"] == "range", plan
            assert "filesort" not in (row["Extra"] or ""), plan
