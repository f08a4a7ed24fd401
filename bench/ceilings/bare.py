"""The bare ceiling: a fixed, realistic page of 20 articles from memory, at any /api path.

`gunicorn --config gunicorn.conf.py 'bench.ceilings.bare:create_app()'`
"""

import random
from datetime import datetime, timedelta

from flask import Flask

from api.seed_content import BENCH_SHAPE, plan_article
from bench.ceilings import json_response, list_item

PAGE_SIZE = 20


def fixed_page(total: int = 1000) -> dict:
    """A page like the service's first page of the bench data set (no I/O to build it)."""
    rng = random.Random(1)
    started = datetime(2026, 1, 1, 12, 0, 0, 123000)
    articles = []
    for number in range(total, total - PAGE_SIZE, -1):
        plan = plan_article(number, 50, BENCH_SHAPE, rng)
        row = {"slug": plan.title.lower().replace(" ", "-"), "title": plan.title, "description": plan.description,
               "favorites_count": len(plan.favoriters), "created_at": started + timedelta(seconds=number),
               "updated_at": started + timedelta(seconds=number), "author_username": f"bench-{plan.author + 1}",
               "author_bio": None, "author_image": None}
        articles.append(list_item(row, sorted(plan.tags)))
    return {"articles": articles, "articlesCount": total}


def create_app() -> Flask:
    app = Flask(__name__)
    page = fixed_page()

    @app.get("/api/<path:anything>")
    def any_page(anything):
        return json_response(page)

    return app
