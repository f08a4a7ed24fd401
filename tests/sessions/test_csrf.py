"""CSRF defence in depth: unsafe requests not authenticated by the Authorization header are
refused (403, before the view runs) when their Origin, or Referer, is foreign."""

import pytest

from tests.support.factories import DEFAULT_PASSWORD, auth_header, register, unique

FOREIGN = "https://evil.example"
ALLOWED = "http://localhost:3000"  # one of the default CORS_ORIGINS
# A form post: no preflight, the browser sends it cross-origin with the (SameSite=Lax) cookie.
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


@pytest.fixture
def cookie_client(app):
    """A browser: a cookie jar holding a fresh user's session; also yields another user to follow."""
    browser = app.test_client()
    target = register(app.test_client(use_cookies=False))
    register(browser)
    return browser, target


def follow_with_cookie(browser, target, headers):
    return browser.post(f"/api/profiles/{target['username']}/follow", headers={**FORM, **headers}, data="x=1")


def assert_refused(response):
    assert response.status_code == 403
    body = response.get_json()
    assert body["errors"]["body"][0].startswith("Cross-site request refused")


@pytest.mark.parametrize("headers", [
    {"Origin": FOREIGN},
    {"Origin": "null"},  # sandboxed frames and some redirects
    {"Referer": f"{FOREIGN}/page"},
    {"Origin": FOREIGN, "Referer": "http://localhost/api/docs"},  # Origin wins
])
def test_cookie_authenticated_post_from_a_foreign_origin_is_refused(cookie_client, headers):
    browser, target = cookie_client
    assert_refused(follow_with_cookie(browser, target, headers))
    profile = browser.get(f"/api/profiles/{target['username']}").get_json()["profile"]
    assert profile["following"] is False  # the view did not run


@pytest.mark.parametrize("headers", [
    {},  # no Origin nor Referer: nothing to verify (curl, SDKs)
    {"Origin": "http://localhost"},  # this service (the test client's host)
    {"Referer": "http://localhost/api/docs"},  # Swagger UI, served here
    {"Origin": ALLOWED},
    {"Origin": ALLOWED.upper()},
])
def test_cookie_authenticated_post_from_this_service_or_an_allowed_origin_passes(cookie_client, headers):
    browser, target = cookie_client
    response = follow_with_cookie(browser, target, headers)
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["profile"]["following"] is True


@pytest.mark.parametrize("method, path", [
    ("put", "/api/user"), ("delete", "/api/user/sessions"), ("post", "/api/users/logout"),
])
def test_every_unsafe_method_is_checked(cookie_client, method, path):
    browser, _target = cookie_client
    response = getattr(browser, method)(path, headers={"Origin": FOREIGN}, json={"user": {"bio": "pwned"}})
    assert_refused(response)
    assert browser.get("/api/user").status_code == 200  # still logged in, bio unchanged
    assert browser.get("/api/user").get_json()["user"]["bio"] is None


def test_safe_methods_from_a_foreign_origin_are_not_refused(cookie_client):
    browser, _target = cookie_client
    assert browser.get("/api/user", headers={"Origin": FOREIGN}).status_code == 200


def test_token_authenticated_writes_pass_from_any_origin(api_client):
    follower, target = register(api_client), register(api_client)
    response = api_client.post(f"/api/profiles/{target['username']}/follow",
                               headers={**auth_header(follower["token"]), "Origin": FOREIGN})
    assert response.status_code == 200


def test_login_and_registration_from_a_foreign_origin_are_refused(app):
    """Login CSRF: a foreign page must not log the browser into an account it chose, with or
    without a session cookie already in the jar."""
    browser = app.test_client()
    user = register(app.test_client(use_cookies=False))
    credentials = {"user": {"email": user["email"], "password": DEFAULT_PASSWORD}}
    assert_refused(browser.post("/api/users/login", json=credentials, headers={"Origin": FOREIGN}))
    name = unique()
    new_user = {"user": {"username": name, "email": f"{name}@example.com", "password": DEFAULT_PASSWORD}}
    assert_refused(browser.post("/api/users", json=new_user, headers={"Origin": FOREIGN}))
    assert browser.get("/api/user").status_code == 401  # no session was started
    register(browser)
    assert_refused(browser.post("/api/users/login", json=credentials, headers={"Referer": f"{FOREIGN}/x"}))
    assert browser.post("/api/users/login", json=credentials, headers={"Origin": ALLOWED}).status_code == 200


def test_any_local_front_end_may_write_with_its_cookie_in_development(make_app):
    """The origins CORS allows are the ones the Origin check accepts (api/cors.py answers both)."""
    app = make_app(CORS_ANY_LOCAL_PORT=True)
    browser = app.test_client()
    register(browser)
    response = browser.put("/api/user", json={"user": {"bio": "from the React front-end"}},
                           headers={"Origin": "http://localhost:4100"})
    assert response.status_code == 200, response.get_json()
    assert response.headers["Access-Control-Allow-Origin"] == "http://localhost:4100"
