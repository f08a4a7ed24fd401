"""CORS for the listed browser origins only, and security headers on every response."""

import pytest
from flask import Blueprint

from api import create_app
from api.cors import origin_allowed
from api.security_headers import set_page_policy
from settings import DevelopmentConfig, ProductionConfig
from tests.support.factories import auth_header, register

ALLOWED = "http://localhost:3000"
STRICT_POLICY = "default-src 'none'; frame-ancestors 'none'"


def preflight(client, origin: str, path: str = "/api/user", method: str = "GET"):
    return client.options(path, headers={
        "Origin": origin,
        "Access-Control-Request-Method": method,
        "Access-Control-Request-Headers": "Authorization, Content-Type",
    })


def test_preflight_from_a_listed_origin_allows_credentials_and_auth_headers(client):
    response = preflight(client, ALLOWED, "/api/users/login", "POST")
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == ALLOWED
    assert response.headers["Access-Control-Allow-Credentials"] == "true"
    allowed_headers = {h.strip().lower() for h in response.headers["Access-Control-Allow-Headers"].split(",")}
    assert {"authorization", "content-type"} <= allowed_headers
    assert "POST" in response.headers["Access-Control-Allow-Methods"]
    assert response.headers["Access-Control-Max-Age"] == "600"


def test_unlisted_origin_gets_no_cors_headers(client):
    response = preflight(client, "https://evil.example")
    assert "Access-Control-Allow-Origin" not in response.headers
    assert "Access-Control-Allow-Credentials" not in response.headers
    user = register(client)
    response = client.get("/api/user", headers={**auth_header(user["token"]), "Origin": "https://evil.example"})
    assert response.status_code == 200
    assert "Access-Control-Allow-Origin" not in response.headers


def test_cross_origin_request_exposes_request_id_and_varies_on_origin(client):
    response = client.get("/api/health", headers={"Origin": ALLOWED})
    assert response.headers["Access-Control-Allow-Origin"] == ALLOWED
    assert "X-Request-ID" in response.headers["Access-Control-Expose-Headers"]
    assert "Origin" in response.headers["Vary"]


def test_responses_that_read_the_session_vary_on_cookie_in_one_vary_header(client):
    """Cookie joins Origin when CORS varied already, and stands alone when it did not; a
    cacheable read varies on Authorization too (api/conditional_gets.py)."""
    user = register(client)
    cross_origin = client.get("/api/user", headers={**auth_header(user["token"]), "Origin": ALLOWED})
    same_origin = client.get("/api/user", headers=auth_header(user["token"]))
    cacheable = client.get("/api/articles", headers={"Origin": ALLOWED})

    assert cross_origin.headers.getlist("Vary") == ["Origin, Cookie"]
    assert same_origin.headers.getlist("Vary") == ["Cookie"]
    assert cacheable.headers.getlist("Vary") == ["Authorization, Cookie, Origin"]


def test_requests_without_origin_get_no_cors_headers(client):
    headers = client.get("/api/health").headers
    # keys(), not the Headers themselves: iterating werkzeug's Headers gives (name, value) pairs.
    assert not [name for name in headers.keys() if name.startswith("Access-Control")]  # noqa: SIM118


def flask_cors_hooks(application) -> list:
    # functools.wraps gives the fast path's wrapper flask-cors' name, and __wrapped__.
    return [hook for hook in application.after_request_funcs[None] if hook.__name__ == "cors_after_request"]


def test_flask_cors_is_skipped_without_origin_only_while_it_would_add_nothing(app, make_app):
    """api.fast_paths.only_for_cross_origin_requests wraps flask-cors' own hook (the one it
    registered, not ours); with CORS_ALWAYS_SEND on, flask-cors answers every request itself."""
    (wrapped,) = flask_cors_hooks(app)
    assert wrapped.__wrapped__.__module__ == "flask_cors.extension"
    (always,) = flask_cors_hooks(make_app(CORS_ALWAYS_SEND=True))
    assert not hasattr(always, "__wrapped__")


def test_allowed_origins_come_from_the_setting(make_app):
    client = make_app(CORS_ORIGINS=["https://app.example.org"]).test_client()
    assert preflight(client, "https://app.example.org").headers["Access-Control-Allow-Origin"] == "https://app.example.org"
    assert "Access-Control-Allow-Origin" not in preflight(client, ALLOWED).headers


def test_wildcard_origin_with_credentials_is_refused_at_startup(make_app):
    with pytest.raises(RuntimeError, match="CORS_ORIGINS"):
        make_app(CORS_ORIGINS=["*"])


@pytest.fixture
def app_for(test_settings):
    """Build the app of a real APP_ENV variant (text logs, as the suite's) on the test storage."""
    built = []

    def factory(config, **overrides):
        application = create_app(config, {**test_settings, "LOG_FORMAT": "text", "SECRET_KEY": "test", **overrides})
        built.append(application)
        return application

    yield factory
    for application in built:
        application.extensions["sql_pool"].close()


LOCAL_FRONT_ENDS = ["http://localhost:4100", "http://127.0.0.1:4100", "http://localhost:4200",
                    "http://localhost:5173", "http://127.0.0.1:8080", "http://localhost"]
NEVER_ALLOWED = ["https://evil.example", "http://localhost:4100.evil.example", "http://localhost.evil.example:4100",
                 "http://evil.example/http://localhost:4100", "https://localhost:4100", "http://127.0.0.2:4100", "null"]


@pytest.mark.parametrize("origin", LOCAL_FRONT_ENDS)
def test_development_allows_a_front_end_on_any_local_port_with_credentials(app_for, origin):
    client = app_for(DevelopmentConfig).test_client()
    response = preflight(client, origin, "/api/users/login", "POST")
    assert response.headers["Access-Control-Allow-Origin"] == origin
    assert response.headers["Access-Control-Allow-Credentials"] == "true"
    assert "Origin" in response.headers["Vary"]


@pytest.mark.parametrize("origin", NEVER_ALLOWED)
def test_development_still_refuses_other_origins(app_for, origin):
    client = app_for(DevelopmentConfig).test_client()
    assert "Access-Control-Allow-Origin" not in preflight(client, origin).headers


def test_production_allows_only_the_listed_origins(app_for):
    client = app_for(ProductionConfig, CORS_ORIGINS=["https://conduit.example.org"]).test_client()
    assert preflight(client, "https://conduit.example.org").headers["Access-Control-Allow-Origin"] == "https://conduit.example.org"
    for origin in LOCAL_FRONT_ENDS:
        assert "Access-Control-Allow-Origin" not in preflight(client, origin).headers


def test_production_allows_no_cross_origin_caller_by_default(app_for):
    client = app_for(ProductionConfig).test_client()
    for origin in [*LOCAL_FRONT_ENDS, ALLOWED]:
        assert "Access-Control-Allow-Origin" not in preflight(client, origin).headers


def test_production_refuses_a_wildcard_origin(app_for):
    with pytest.raises(RuntimeError, match="CORS_ORIGINS"):
        app_for(ProductionConfig, CORS_ORIGINS=["*"])


@pytest.mark.parametrize("config", [DevelopmentConfig, ProductionConfig])
def test_origin_allowed_answers_as_the_cors_headers_do(app_for, config):
    application = app_for(config, CORS_ORIGINS=["https://conduit.example.org", "http://localhost:3000"])
    client = application.test_client()
    for origin in [*LOCAL_FRONT_ENDS, *NEVER_ALLOWED, "https://conduit.example.org", "HTTPS://Conduit.Example.org",
                   "https://conduit.example.org.evil.example"]:
        granted = preflight(client, origin).headers.get("Access-Control-Allow-Origin") == origin
        assert origin_allowed(application, origin) is granted, origin
    assert origin_allowed(application, None) is False


@pytest.mark.parametrize("method, path, status", [
    ("get", "/api/health", 200),
    ("get", "/api/no-such-route", 404),
    ("get", "/api/user", 401),
    ("post", "/api/users/logout", 401),
])
def test_json_responses_carry_the_security_headers(client, method, path, status):
    response = getattr(client, method)(path)
    assert response.status_code == status
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Security-Policy"] == STRICT_POLICY
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_no_content_responses_carry_the_security_headers(client):
    user = register(client)
    response = client.delete("/api/user/sessions", headers=auth_header(user["token"]))
    assert response.status_code == 204
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "no-referrer"


def test_html_pages_keep_their_own_policy(make_app):
    app = make_app()
    pages = Blueprint("test-pages", __name__)
    pages.add_url_rule("/test-page", "page", lambda: "<!doctype html><script src='/x.js'></script>")
    pages.add_url_rule("/test-page-own-policy", "own",
                       lambda: ("<p>hi</p>", 200, {"Content-Security-Policy": "img-src 'self'"}))
    app.register_blueprint(pages)
    set_page_policy(app, "test-pages", "default-src 'self'")
    client = app.test_client()
    page = client.get("/test-page")
    assert page.mimetype == "text/html"
    assert page.headers["Content-Security-Policy"] == "default-src 'self'"
    assert page.headers["X-Content-Type-Options"] == "nosniff"
    assert client.get("/test-page-own-policy").headers["Content-Security-Policy"] == "img-src 'self'"


def test_oversized_body_is_413_json_with_the_same_headers(make_app):
    client = make_app(MAX_CONTENT_LENGTH=512).test_client()
    response = client.post("/api/users/login", json={"user": {"email": "a@b.io", "password": "x" * 2000}},
                           headers={"Origin": ALLOWED})
    assert response.status_code == 413
    assert response.is_json
    assert response.get_json()["errors"]["body"] == ["The request body is larger than 512 bytes."]
    assert response.headers["Content-Security-Policy"] == STRICT_POLICY
    assert response.headers["Access-Control-Allow-Origin"] == ALLOWED


@pytest.mark.parametrize("data, content_type, statuses", [
    ('{"user": {"email": ', "application/json", {400}),
    ("email=a@b.io&password=x", "application/x-www-form-urlencoded", {400, 415, 422}),
    ("<user/>", "text/xml", {400, 415, 422}),
])
def test_malformed_or_non_json_login_bodies_get_json_errors(client, data, content_type, statuses):
    response = client.post("/api/users/login", data=data, content_type=content_type)
    assert response.status_code in statuses
    assert response.is_json and response.get_json()["errors"]["body"]
