"""The deep pages of `make bench-growth`: how much of the first page's rps a page keeps as it
gets deeper, by offset and by keyset cursor (`?before=`).

Each row is one page asked again and again (for a tag: the same page of each of the 40 tags),
so its rps is that page's cost alone; a row's share is its rps over the first page's (`@0`) in
the same run. Each row also times a few of its requests sent one at a time (`alone_ms`): a page
slower than a wrk round completes nothing in it, and its rps of 0 hides how slow it is. Rows at
100,000 articles:

- list_anon@0, @10000, @99980: the whole list at offset 0, 10,000 and its last page;
  list_anon@cursor99980 is the `before` request that answers the same page as offset 99,980.
- list_tag@0, @10000, @99980: a tag has ~10,000 articles (3-5 of 40 tags each), so offset
  10,000 is near or past a tag's end and offset 99,980 is past every tag's end (an empty page,
  after walking all of the tag's links). The meaningful deepest page of a tag is its own last
  page: list_tag@last (offset = the tag's count - 20) and list_tag@cursor-last (the same page by
  cursor).
"""

import statistics
import time
from urllib.parse import quote

from bench.dataset import Dataset
from bench.scenarios import Request, Scenario

PAGE = 20
FIRST_PAGE = "@0"


def deep_page_scenarios(client, dataset: Dataset, offsets: tuple[int, ...]) -> list[Scenario]:
    """The rows above for `offsets` (the first 0, the last the deepest page of the whole list);
    `client.send` answers the lookups that place each cursor and each tag's last page."""
    deepest = offsets[-1]
    scenarios = [_fixed(f"list_anon@{offset}", [_page("", offset=offset)]) for offset in offsets]
    scenarios.append(_fixed(f"list_anon@cursor{deepest}", [_page("", before=_cursor_at(client, "", deepest))]))
    scenarios += [_fixed(f"list_tag@{offset}", [_page(_tag(tag), offset=offset) for tag in dataset.tags])
                  for offset in offsets]
    last_pages = {tag: max(_count(client, _tag(tag)) - PAGE, 0) for tag in dataset.tags}
    scenarios.append(_fixed("list_tag@last", [_page(_tag(tag), offset=last) for tag, last in last_pages.items()]))
    scenarios.append(_fixed("list_tag@cursor-last", [_page(_tag(tag), before=_cursor_at(client, _tag(tag), last))
                                                     for tag, last in last_pages.items()]))
    return scenarios


def first_page_of(name: str) -> str:
    """The row a row's share is taken of: list_tag@last -> list_tag@0."""
    return name.split("@")[0] + FIRST_PAGE


def articles_on_page(client, scenario: Scenario, dataset: Dataset) -> int:
    """How many articles the scenario's first request answers (0 past the end)."""
    return len(_get(client, scenario.requests(dataset)[0].path)["articles"])


def alone_ms(client, scenario: Scenario, dataset: Dataset, samples: int = 5) -> float:
    """The median time of the scenario's first `samples` requests sent one after another (after
    one unmeasured): what a page costs with no queue in front of it. Under wrk's 16 connections a
    page slower than a round completes no request at all, and its rps (0) says only that."""
    requests = scenario.requests(dataset)
    _get(client, requests[0].path)
    times = []
    for number in range(samples):
        started = time.perf_counter()
        _get(client, requests[number % len(requests)].path)
        times.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(times), 1)


def _fixed(name: str, requests: list[Request]) -> Scenario:
    """A scenario of requests placed once (the lookups ran), sent as they are."""
    def build(dataset: Dataset) -> list[Request]:
        return requests

    return Scenario(name, build)


def _tag(tag: str) -> str:
    return f"tag={quote(tag)}&"


def _page(query: str, *, offset: int = 0, before: str | None = None) -> Request:
    position = f"before={before}" if before else f"offset={offset}"
    return Request("GET", f"/api/articles?{query}limit={PAGE}&{position}")


def _get(client, path: str) -> dict:
    status, page = client.send("GET", path)
    if status != 200:
        raise RuntimeError(f"deep pages: GET {path} answered {status}: {page}")
    return page


def _count(client, query: str) -> int:
    return _get(client, f"/api/articles?{query}limit=1")["articlesCount"]


def _cursor_at(client, query: str, offset: int) -> str | None:
    """The `before` whose page is the page at `offset` (None at 0: the first page has none): the
    nextCursor of the one-article page just above it."""
    if offset == 0:
        return None
    cursor = _get(client, f"/api/articles?{query}limit=1&offset={offset - 1}")["nextCursor"]
    if cursor is None:
        raise RuntimeError(f"deep pages: nothing at offset {offset} of /api/articles?{query}")
    return cursor
