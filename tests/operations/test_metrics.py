import pytest
from prometheus_client import REGISTRY

from tests.support.factories import auth_header, login, register
from tests.support.scrape import scrape

HEALTH_OK = {"method": "GET", "route": "/api/health", "status": "200"}


@pytest.fixture
def metrics_app(make_app):
    return make_app(METRICS_ENABLED=True, METRICS_TOKEN="scrape-token-123")


def test_metrics_are_not_served_unless_enabled(client):
    response = client.get("/metrics")
    assert response.status_code == 404
    assert response.get_json()["errors"]["body"] == ["Not found."]


def test_requests_are_not_measured_unless_enabled(make_app, metrics_app):
    def health_requests() -> float:
        return REGISTRY.get_sample_value("conduit_http_requests_total", HEALTH_OK) or 0

    before = health_requests()
    assert make_app(METRICS_ENABLED=False).test_client().get("/api/health").status_code == 200
    assert health_requests() == before
    assert metrics_app.test_client().get("/api/health").status_code == 200
    assert health_requests() == before + 1


def test_metrics_are_refused_to_other_networks_without_the_token(metrics_app):
    client = metrics_app.test_client()
    outside = {"REMOTE_ADDR": "203.0.113.5"}
    refused = client.get("/metrics", environ_base=outside)
    assert refused.status_code == 403
    assert "allowed networks" in refused.get_json()["errors"]["body"][0]
    wrong = client.get("/metrics", environ_base=outside, headers={"Authorization": "Bearer not-the-token"})
    assert wrong.status_code == 403
    scrape(client, environ_base=outside, headers={"Authorization": "Bearer scrape-token-123"})


def test_metrics_networks_are_a_setting(make_app):
    client = make_app(METRICS_ENABLED=True, METRICS_ALLOWED_NETWORKS=["203.0.113.0/24"]).test_client()
    assert client.get("/metrics").status_code == 403  # loopback is no longer listed
    scrape(client, environ_base={"REMOTE_ADDR": "203.0.113.77"})


def test_malformed_metrics_network_fails_at_start(make_app):
    with pytest.raises(ValueError):
        make_app(METRICS_ENABLED=True, METRICS_ALLOWED_NETWORKS=["10.0.0.300/8"])


def test_requests_are_counted_and_timed_by_route_template(metrics_app):
    client = metrics_app.test_client()
    before = scrape(client)
    for _ in range(3):
        assert client.get("/api/health").status_code == 200
    client.get("/api/no-such-route/12345")
    after = scrape(client)
    assert after.value("conduit_http_requests_total", **HEALTH_OK) - before.value(
        "conduit_http_requests_total", **HEALTH_OK) == 3
    assert after.value("conduit_http_request_duration_seconds_count", **HEALTH_OK) - before.value(
        "conduit_http_request_duration_seconds_count", **HEALTH_OK) == 3
    unmatched = {"method": "GET", "route": "(unmatched)", "status": "404"}
    assert after.value("conduit_http_requests_total", **unmatched) - before.value(
        "conduit_http_requests_total", **unmatched) == 1


def test_sql_queries_per_request_are_observed(metrics_app):
    client = metrics_app.test_client()
    user = register(client)
    before = scrape(client)
    assert client.get("/api/user", headers=auth_header(user["token"])).status_code == 200
    after = scrape(client)
    for suffix, expected in (("count", 1), ("sum", 1)):  # one request, one query (the user row)
        name = f"conduit_sql_queries_per_request_{suffix}"
        assert after.value(name, route="/api/user") - before.value(name, route="/api/user") == expected


def test_pool_gauges_show_the_connection_back_in_the_pool(metrics_app):
    client = metrics_app.test_client()
    client.get("/api/health")  # borrows a connection and gives it back
    scraped = scrape(client)
    assert scraped.value("conduit_db_pool_connections", state="in_use") == 0
    assert scraped.value("conduit_db_pool_connections", state="idle") == 1


def test_logins_and_logouts_are_counted(metrics_app):
    client = metrics_app.test_client()
    user = register(client)
    before = scrape(client)
    token = login(client, user["email"]).get_json()["user"]["token"]
    assert client.post("/api/users/logout", headers=auth_header(token)).status_code == 204
    after = scrape(client)
    assert after.value("conduit_session_logins_total") - before.value("conduit_session_logins_total") == 1
    assert after.value("conduit_session_logouts_total") - before.value("conduit_session_logouts_total") == 1


@pytest.mark.parametrize(
    ("setting", "request_args", "dependency"),
    [
        ({"REDIS_URL": "redis://127.0.0.1:1/0"}, ("/api/user", {"headers": auth_header("x" * 32)}), "redis"),
        ({"DATABASE_URL": "mysql://root@127.0.0.1:1/nowhere"}, ("/api/health", {}), None),
        ({"DATABASE_URL": "mysql://root@127.0.0.1:1/nowhere"},
         ("/api/users/login", {"json": {"user": {"email": "a@b.example", "password": "x"}}}), "mysql"),
    ],
)
def test_dependency_errors_answered_503_are_counted(make_app, setting, request_args, dependency):
    client = make_app(METRICS_ENABLED=True, **setting).test_client()
    before = scrape(client)
    path, options = request_args
    response = client.post(path, **options) if "json" in options else client.get(path, **options)
    assert response.status_code == 503
    after = scrape(client)
    for name in ("mysql", "redis"):
        increase = after.value("conduit_dependency_errors_total", dependency=name) - before.value(
            "conduit_dependency_errors_total", dependency=name)
        assert increase == (1 if name == dependency else 0)  # /api/health reports, it does not fail
