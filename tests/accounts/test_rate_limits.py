"""Rate limits: failed logins per account and IP, registrations per IP; 429 with Retry-After.
(Reserving failed-login slots, the per-IP budget and Redis outages: tests/accounts/test_login_limits.py.)

Every test builds its own app with limits switched on and uses client addresses of its own,
so counters never leak between tests (they live in Redis under the run's key prefix).
"""

import time

from tests.support.factories import DEFAULT_PASSWORD, login, register, unique
from tests.support.limits import assert_too_many, client_at, limited_app, unique_ip


def test_failed_logins_over_the_limit_get_429_even_with_the_right_password(make_app):
    app = limited_app(make_app, RATELIMIT_LOGIN="3 per 15 minutes")
    user = register(app.test_client())
    attacker = client_at(app, unique_ip())
    for _ in range(3):
        assert login(attacker, user["email"], "wrong-password").status_code == 401
    blocked = login(attacker, user["email"], DEFAULT_PASSWORD)
    assert_too_many(blocked, "Too many failed logins")
    assert 0 < int(blocked.headers["Retry-After"]) <= 15 * 60


def test_successful_logins_do_not_count(make_app):
    app = limited_app(make_app, RATELIMIT_LOGIN="2 per 15 minutes")
    user = register(app.test_client())
    ip = unique_ip()
    for _ in range(4):
        assert login(client_at(app, ip), user["email"]).status_code == 200
    for _ in range(2):
        assert login(client_at(app, ip), user["email"], "wrong-password").status_code == 401
    assert login(client_at(app, ip), user["email"]).status_code == 429


def test_limit_is_per_account_and_ip(make_app):
    app = limited_app(make_app, RATELIMIT_LOGIN="2 per 15 minutes")
    target, bystander = register(app.test_client()), register(app.test_client())
    attacker_ip = unique_ip()
    for _ in range(2):
        login(client_at(app, attacker_ip), target["email"], "wrong-password")
    assert login(client_at(app, attacker_ip), target["email"]).status_code == 429
    # The owner, from elsewhere, still gets in; the attacker's address may still try other accounts.
    assert login(client_at(app, unique_ip()), target["email"]).status_code == 200
    assert login(client_at(app, attacker_ip), bystander["email"], "wrong-password").status_code == 401


def test_respelling_the_email_shares_the_accounts_limit(make_app):
    app = limited_app(make_app, RATELIMIT_LOGIN="2 per 15 minutes")
    user = register(app.test_client(), email=f"{unique('spell')}@example.com")
    ip = unique_ip()
    for _ in range(2):
        login(client_at(app, ip), user["email"], "wrong-password")
    local, domain = user["email"].split("@")
    for respelled in (user["email"].upper(), user["email"] + "  ", f"{local}\u200b@{domain}",
                      f"{local[0]}\u0301{local[1:]}@{domain}"):
        assert login(client_at(app, ip), respelled, "wrong-password").status_code == 429, respelled


def test_unknown_emails_are_limited_like_real_ones(make_app):
    """Otherwise the 429 would tell which emails have an account."""
    app = limited_app(make_app, RATELIMIT_LOGIN="2 per 15 minutes")
    ip = unique_ip()
    email = f"{unique('ghost')}@example.com"
    assert [login(client_at(app, ip), email, "guess-one-two").status_code for _ in range(3)] == [401, 401, 429]


def test_login_limit_resets_when_its_window_has_passed(make_app):
    app = limited_app(make_app, RATELIMIT_LOGIN="1 per 1 second")
    user = register(app.test_client())
    ip = unique_ip()
    assert login(client_at(app, ip), user["email"], "wrong-password").status_code == 401
    assert login(client_at(app, ip), user["email"], "wrong-password").status_code == 429
    time.sleep(1.2)
    assert login(client_at(app, ip), user["email"], "wrong-password").status_code == 401


def test_registrations_are_limited_per_ip_counting_failures_too(make_app):
    app = limited_app(make_app, RATELIMIT_REGISTER="2 per hour")
    ip = unique_ip()
    register(client_at(app, ip))
    duplicate = client_at(app, ip).post("/api/users", json={"user": {"username": "x y", "email": "bad"}})
    assert duplicate.status_code == 422
    name = unique()
    blocked = client_at(app, ip).post(
        "/api/users", json={"user": {"username": name, "email": f"{name}@example.com", "password": DEFAULT_PASSWORD}})
    assert_too_many(blocked, "Too many registrations")
    register(client_at(app, unique_ip()))  # another address is not affected


def test_preflight_requests_do_not_count(make_app):
    app = limited_app(make_app, RATELIMIT_REGISTER="1 per hour")
    ip = unique_ip()
    for _ in range(3):
        assert client_at(app, ip).options("/api/users").status_code == 200
    register(client_at(app, ip))


def test_limits_are_off_when_disabled(make_app):
    app = make_app(RATELIMIT_ENABLED=False, RATELIMIT_LOGIN="1 per hour")
    user = register(app.test_client())
    ip = unique_ip()
    assert {login(client_at(app, ip), user["email"], "wrong-password").status_code for _ in range(3)} == {401}


def test_limits_without_redis_never_500(make_app):
    # PROPAGATE_EXCEPTIONS=False as in production: TESTING would re-raise the session store's
    # error from the end of the request instead of answering it.
    app = limited_app(make_app, REDIS_URL="redis://127.0.0.1:1/0", RATELIMIT_REGISTER="1 per hour",
                      PROPAGATE_EXCEPTIONS=False)
    # Logins answer 503 before any password check (tests/accounts/test_login_limits.py); registration
    # is counted in this worker's memory and needs Redis for its session: 503, not a 500.
    name = unique()
    response = client_at(app, unique_ip()).post(
        "/api/users", json={"user": {"username": name, "email": f"{name}@example.com", "password": DEFAULT_PASSWORD}})
    assert response.status_code == 503
    assert "Retry-After" in response.headers
