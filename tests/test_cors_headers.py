"""CORS for the listed browser origins only, and security headers on every response."""

import pytest
from flask import Blueprint

from api.security_headers import set_page_policy
from tests.factories import auth_header, register

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
    """Cookie joins Origin when CORS varied already, and stands alone when it did not."""
    user = register(client)
    cross_origin = client.get("/api/user", headers={**auth_header(user["token"]), "Origin": ALLOWED})
    same_origin = client.get("/api/articles")

    assert cross_origin.headers.getlist("Vary") == ["Origin, Cookie"]
    assert same_origin.headers.getlist("Vary") == ["Cookie"]


def test_requests_without_origin_get_no_cors_headers(client):
    assert not [name for name in client.get("/api/health").headers.keys() if name.startswith("Access-Control")]


def test_allowed_origins_come_from_the_setting(make_app):
    client = make_app(CORS_ORIGINS=["https://app.example.org"]).test_client()
    assert preflight(client, "https://app.example.org").headers["Access-Control-Allow-Origin"] == "https://app.example.org"
    assert "Access-Control-Allow-Origin" not in preflight(client, ALLOWED).headers


def test_wildcard_origin_with_credentials_is_refused_at_startup(make_app):
    with pytest.raises(RuntimeError, match="CORS_ORIGINS"):
        make_app(CORS_ORIGINS=["*"])


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
    pages.add_url_rule("/test-page-own-policy", "own", lambda: ("<p>hi</p>", 200, {"Content-Security-Policy": "img-src 'self'"}))
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
