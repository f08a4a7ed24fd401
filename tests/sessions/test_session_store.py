"""Sessions live in Redis under the configured prefix, with the configured lifetimes."""

from tests.support.factories import auth_header, login, register


def test_session_key_is_prefix_plus_token_with_long_lifetime(app, client, redis_client):
    user = register(client)
    key = app.config["SESSION_KEY_PREFIX"] + user["token"]
    ttl = redis_client.ttl(key)
    lifetime = app.config["PERMANENT_SESSION_LIFETIME"].total_seconds()
    assert lifetime - 60 <= ttl <= lifetime


def test_token_is_an_opaque_session_id_not_a_jwt(client):
    token = register(client)["token"]
    assert token.count(".") == 0 and len(token) >= 40


def test_remember_false_gives_browser_cookie_and_short_lifetime(app, client, redis_client):
    user = register(client)
    response = login(app.test_client(), user["email"], remember=False)
    assert response.status_code == 200
    cookie = response.headers["Set-Cookie"]
    assert "Expires" not in cookie and "Max-Age" not in cookie
    ttl = redis_client.ttl(app.config["SESSION_KEY_PREFIX"] + response.get_json()["user"]["token"])
    short = app.config["SESSION_SHORT_LIFETIME"].total_seconds()
    assert short - 60 <= ttl <= short


def test_login_never_reuses_a_presented_session_id(app, redis_client):
    user = register(app.test_client())
    attacker_planted = "planted-session-id-0123456789abcdef"
    browser = app.test_client()
    browser.set_cookie("conduit_session", attacker_planted)
    token = login(browser, user["email"]).get_json()["user"]["token"]
    assert token != attacker_planted
    assert redis_client.exists(app.config["SESSION_KEY_PREFIX"] + attacker_planted) == 0


def test_stale_cookie_is_401_and_cleared(app):
    browser = app.test_client()
    browser.set_cookie("conduit_session", "expired-or-revoked-session-id")
    response = browser.get("/api/user")
    assert response.status_code == 401
    assert "conduit_session=;" in response.headers["Set-Cookie"]
    assert browser.get("/api/user").get_json()["errors"]["body"][0].startswith("Authentication required")


def test_token_requests_get_no_cookie(app, client):
    user = register(client)
    response = app.test_client().get("/api/user", headers=auth_header(user["token"]))
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers


def test_reads_do_not_write_the_session_within_the_touch_interval(app, client, redis_client):
    user = register(client)
    key = app.config["SESSION_KEY_PREFIX"] + user["token"]
    before = redis_client.get(key)
    for _ in range(3):
        assert app.test_client().get("/api/user", headers=auth_header(user["token"])).status_code == 200
    assert redis_client.get(key) == before
