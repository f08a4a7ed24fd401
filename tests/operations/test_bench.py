"""The bench machinery on a tiny data set (not timed), so that `make bench` cannot rot:
seeding over the API and in bulk, every scenario's requests, and the ceilings' responses,
which must be the service's own."""

import json

import pytest

from bench.ceilings import bare, one_query
from bench.dataset import seed_over_api, top_up_in_bulk
from bench.deep_pages import alone_ms, articles_on_page, deep_page_scenarios, first_page_of
from bench.http_client import FlaskClientJson
from bench.instructions import callgrind_total, request_environs, send_requests
from bench.load import merge_rounds
from bench.report import table, verdicts
from bench.scenarios import BY_NAME, SCENARIOS, Request
from settings import TestConfig
from tests.support.factories import add_comment, create_article, register, unique


@pytest.fixture(scope="module")
def dataset(app):
    client = FlaskClientJson(app.test_client(use_cookies=False))
    return seed_over_api(client, users=4, articles=5, workers=1, progress=False)


@pytest.fixture(scope="module")
def one_query_client(test_settings):
    config = {name: getattr(TestConfig, name) for name in dir(TestConfig) if name.isupper()}
    return one_query.create_app({**config, **test_settings}).test_client()


def test_seeding_writes_the_planned_data_set(app, dataset):
    assert len(dataset.users) == 4 and len(dataset.slugs) == 5 and len(dataset.tags) == 40
    assert dataset.follows == 4 * 3 and dataset.comments >= 5
    top_up_in_bulk(app, dataset, 9, progress=False)
    assert dataset.bulk_articles == 4
    total = sum(app.test_client().get(f"/api/articles?author={user['username']}").get_json()["articlesCount"]
                for user in dataset.users)
    assert total == 9


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda scenario: scenario.name)
def test_every_scenario_request_succeeds(app, dataset, scenario, tmp_path):
    client = app.test_client(use_cookies=False)
    service_file, ceiling_file = scenario.write_files(dataset, tmp_path, FlaskClientJson(client))
    for number, line in enumerate(service_file.read_text().splitlines()[:4]):
        request = Request.from_line(line)  # the format bench/wrk/requests.lua reads
        response = client.open(request.path, method=request.method, headers=request.headers(),
                               json=json.loads(request.body.replace("{n}", f"test-{number}")) if request.body else None)
        if scenario.revalidates:
            assert response.status_code == 304 and request.header.startswith("If-None-Match: "), line
        else:
            assert 200 <= response.status_code < 300, (line, response.get_json())
    assert (ceiling_file is not None) == (scenario.target is not None)


def test_deep_page_rows_answer_the_page_their_offset_names(app, dataset):
    """bench-growth's deep pages on the tiny set: a cursor row answers its offset row's page."""
    client = FlaskClientJson(app.test_client(use_cookies=False))
    scenarios = {scenario.name: scenario for scenario in deep_page_scenarios(client, dataset, (0, 2, 4))}
    assert set(scenarios) == {"list_anon@0", "list_anon@2", "list_anon@4", "list_anon@cursor4", "list_tag@0",
                              "list_tag@2", "list_tag@4", "list_tag@last", "list_tag@cursor-last"}
    assert {first_page_of(name) for name in scenarios} == {"list_anon@0", "list_tag@0"}
    pages = {}
    for name, scenario in scenarios.items():
        requests = scenario.requests(dataset)
        assert len(requests) == (1 if name.startswith("list_anon") else len(dataset.tags))
        pages[name] = [client.send(request.method, request.path) for request in requests]
        assert all(status == 200 for status, _ in pages[name]), name
    assert pages["list_anon@cursor4"][0][1]["articles"] == pages["list_anon@4"][0][1]["articles"]
    assert [page["articles"] for _, page in pages["list_tag@cursor-last"]] == \
        [page["articles"] for _, page in pages["list_tag@last"]]
    deepest = pages["list_anon@4"][0][1]["articles"]
    assert articles_on_page(client, scenarios["list_anon@4"], dataset) == len(deepest) >= 1
    assert alone_ms(client, scenarios["list_tag@cursor-last"], dataset, samples=2) > 0


def _anonymous_reads(dataset) -> list[str]:
    slug, user = dataset.slugs[2], dataset.users[1]["username"]
    return ["/api/articles?limit=20&offset=0", "/api/articles?limit=3&offset=2", f"/api/articles?tag={dataset.tags[0]}",
            f"/api/articles/{slug}", f"/api/articles/{slug}/comments", f"/api/profiles/{user}", "/api/tags"]


def test_one_query_ceiling_answers_what_the_service_answers(app, dataset, one_query_client):
    service = app.test_client(use_cookies=False)
    for path in _anonymous_reads(dataset):
        ours, ceiling = service.get(path), one_query_client.get(path)
        assert ceiling.status_code == ours.status_code == 200, path
        # The ceiling's pages carry no nextCursor: the keyset cursor is the service's extension.
        ours_without_cursor = {key: value for key, value in ours.get_json().items() if key != "nextCursor"}
        assert ceiling.get_json() == ours_without_cursor, path
    assert one_query_client.get("/api/articles/no-such-slug").status_code == 404
    assert one_query_client.get("/api/articles?tag=no-such-tag").get_json() == {"articles": [], "articlesCount": 0}


def test_one_query_ceiling_sorts_and_empties_as_the_service(api_client, one_query_client):
    """Tags in the collation's order (which is not Python's: case, accents, emoji), an article
    without tags or comments, and a page past the end, which still carries the total."""
    author = register(api_client)["token"]
    shared = unique("shared")
    tagged = create_article(api_client, author, tagList=[shared, unique("zeta"), unique("Alpha"), unique("émile"),
                                                         "🐉" + unique()])
    untagged = create_article(api_client, author, tagList=[])
    add_comment(api_client, author, tagged["slug"])
    for path in (f"/api/articles?tag={shared}", f"/api/articles?tag={shared}&offset=5",
                 f"/api/articles/{tagged['slug']}", f"/api/articles/{untagged['slug']}",
                 f"/api/articles/{tagged['slug']}/comments", f"/api/articles/{untagged['slug']}/comments"):
        ours, ceiling = api_client.get(path), one_query_client.get(path)
        assert ceiling.status_code == ours.status_code == 200, path
        # The keyset cursor is the service's extension: the ceiling pays for no nextCursor.
        assert ceiling.get_json() == {key: value for key, value in ours.get_json().items() if key != "nextCursor"}, path
    assert one_query_client.get(f"/api/articles?tag={shared}&offset=5").get_json() == {"articles": [],
                                                                                      "articlesCount": 1}


def _shape(value):
    """Keys and types, recursively: what a client relies on."""
    if isinstance(value, dict):
        return {key: _shape(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_shape(value[0])] if value else []
    return type(value).__name__ if value is not None else "null"


def test_bare_ceiling_page_has_the_service_page_shape(app, dataset):
    ours = app.test_client().get("/api/articles?limit=20").get_json()
    page = bare.create_app().test_client().get("/api/articles").get_json()
    assert len(page["articles"]) == 20
    # An article with tags: an empty tagList has no item type to compare (other tests write such articles).
    assert _shape(page["articles"][0]) == _shape(next(item for item in ours["articles"] if item["tagList"]))
    assert _shape(page)["articlesCount"] == "int"


def test_rounds_merge_into_one_figure_per_server():
    rounds = [
        {"requests": 1000, "seconds": 4.0, "rps": 250.0, "p50_ms": 10.0, "p90_ms": 20.0, "p99_ms": 40.0,
         "max_ms": 90.0, "non_2xx": 0, "errors": 1},
        {"requests": 3000, "seconds": 4.0, "rps": 750.0, "p50_ms": 4.0, "p90_ms": 8.0, "p99_ms": 12.0,
         "max_ms": 30.0, "non_2xx": 2, "errors": 0},
        {"requests": 2800, "seconds": 4.0, "rps": 700.0, "p50_ms": 6.0, "p90_ms": 11.0, "p99_ms": 20.0,
         "max_ms": 50.0, "non_2xx": 0, "errors": 0},
    ]
    merged = merge_rounds(rounds)
    assert merged["requests"] == 6800 and merged["seconds"] == 12.0
    assert merged["rps"] == 700.0  # the median round: the round halved by outside load is dropped
    assert (merged["p50_ms"], merged["p90_ms"], merged["p99_ms"]) == (6.0, 11.0, 20.0)  # the median round's
    assert merged["max_ms"] == 90.0 and merged["non_2xx"] == 2 and merged["errors"] == 1
    assert merged["rounds_rps"] == [250.0, 750.0, 700.0]
    # With an even number of rounds, the mean of the middle two.
    assert merge_rounds([*rounds, {**rounds[2], "rps": 720.0}])["rps"] == 710.0


@pytest.mark.parametrize("name", ["article", "profile_auth"])
def test_instruction_counts_send_a_scenarios_requests_in_process(app, dataset, one_query_client, name, tmp_path):
    """What bench/instructions.py runs under callgrind: the request files sent to the WSGI apps."""
    service_file, ceiling_file = BY_NAME[name].write_files(dataset, tmp_path)
    service_statuses = send_requests(app, request_environs(service_file), 7)
    ceiling_statuses = send_requests(one_query_client.application, request_environs(ceiling_file), 7)
    assert service_statuses == ceiling_statuses == ["200 OK"] * 7


def test_callgrind_total_is_read_off_the_totals_line():
    profile = "# callgrind format\nversion: 1\nevents: Ir\nsummary: 0\nfn=(1) main\n3 120\ntotals: 1953427\n"
    assert callgrind_total(profile) == 1953427
    with pytest.raises(ValueError):
        callgrind_total("events: Ir\n")


def test_overload_scenarios_count_only_errors_against_them():
    """list_anon_512 and article_512 are reported, not targeted: a long queue (p99 far above p50)
    is what overload looks like; a failed request is still a failure."""
    slow = {"service": {"rps": 300.0, "p50_ms": 100.0, "p99_ms": 950.0, "non_2xx": 0, "errors": 0}}
    assert BY_NAME["list_anon_512"].connections == BY_NAME["article_512"].connections == 512
    assert verdicts("list_anon_512", slow) == [] and verdicts("list_anon", slow) == ["p99>3xp50"]
    failed = {"service": {**slow["service"], "errors": 3}}
    assert verdicts("article_512", failed) == ["errors"]
    assert "reported (512 connections)" in table({"article_512": slow})
