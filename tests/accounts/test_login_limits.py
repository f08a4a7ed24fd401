"""Failed-login budgets that hold: reserved before the password check (concurrent attempts
cannot overshoot), per client IP across accounts, and no password check while Redis is down."""

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

from api.signals import user_login_failed
from tests.support.factories import DEFAULT_PASSWORD, login, register, unique
from tests.support.limits import client_at, limited_app, unique_ip
from tests.support.probes import recorded


def concurrent_logins(app, count: int, email: str, password: str, ip: str) -> list:
    """`count` logins released at once from one address; their responses."""
    start = threading.Barrier(count)

    def attempt(_):
        client = client_at(app, ip)
        start.wait()
        return login(client, email, password)

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(attempt, range(count)))


def test_concurrent_wrong_passwords_get_at_most_the_limit_of_401s(make_app):
    app = limited_app(make_app, RATELIMIT_LOGIN="10 per 15 minutes")
    user = register(app.test_client())
    responses = concurrent_logins(app, 24, user["email"], "wrong-password", unique_ip())
    statuses = Counter(response.status_code for response in responses)
    assert statuses == {401: 10, 429: 14}
    assert all(int(response.headers["Retry-After"]) > 0 for response in responses if response.status_code == 429)


def test_concurrent_right_passwords_leave_the_budget_untouched(make_app):
    app = limited_app(make_app, RATELIMIT_LOGIN="3 per 15 minutes")
    user = register(app.test_client())
    ip = unique_ip()
    # As many at once as the budget holds: each reserves a slot while in flight (more would be
    # 429 on a machine slow enough to have them all in flight together), and gives it back.
    responses = concurrent_logins(app, 3, user["email"], DEFAULT_PASSWORD, ip)
    assert {response.status_code for response in responses} == {200}
    statuses = [login(client_at(app, ip), user["email"], "wrong-password").status_code for _ in range(4)]
    assert statuses == [401, 401, 401, 429]


def test_failed_logins_are_limited_per_ip_whatever_the_email(make_app):
    app = limited_app(make_app, RATELIMIT_LOGIN="10 per 15 minutes", RATELIMIT_LOGIN_IP="3 per 15 minutes")
    sprayer = unique_ip()
    victims = [register(app.test_client()) for _ in range(2)]
    emails = [victims[0]["email"], f"{unique('ghost')}@example.com", victims[1]["email"]]
    assert [login(client_at(app, sprayer), email, "Summer2026!").status_code for email in emails] == [401] * 3
    blocked = login(client_at(app, sprayer), f"{unique('ghost')}@example.com", "Summer2026!")
    assert blocked.status_code == 429
    assert blocked.get_json()["errors"]["body"][0].startswith("Too many failed logins from your address")
    assert int(blocked.headers["Retry-After"]) > 0
    # A spent address budget stops even the right password from there; elsewhere it works.
    assert login(client_at(app, sprayer), victims[0]["email"]).status_code == 429
    assert login(client_at(app, unique_ip()), victims[0]["email"]).status_code == 200


def test_successful_logins_do_not_spend_the_ip_budget(make_app):
    app = limited_app(make_app, RATELIMIT_LOGIN_IP="2 per 15 minutes")
    users = [register(app.test_client()) for _ in range(4)]
    ip = unique_ip()
    assert [login(client_at(app, ip), user["email"]).status_code for user in users] == [200] * 4
    assert login(client_at(app, ip), users[0]["email"], "wrong-password").status_code == 401


def down_redis_app(make_app, **settings):
    # PROPAGATE_EXCEPTIONS=False as in production: TESTING would re-raise the session store's error.
    return make_app(REDIS_URL="redis://127.0.0.1:1/0", PROPAGATE_EXCEPTIONS=False, **settings)


def assert_no_oracle_while_redis_is_down(app, user):
    with recorded(user_login_failed, app) as failures:
        right = login(client_at(app, unique_ip()), user["email"])
        wrong = login(client_at(app, unique_ip()), user["email"], "wrong-password")
        ghost = login(client_at(app, unique_ip()), f"{unique('ghost')}@example.com", "wrong-password")
    assert [right.status_code, wrong.status_code, ghost.status_code] == [503, 503, 503]
    assert right.get_json() == wrong.get_json() == ghost.get_json()
    assert all("Retry-After" in response.headers for response in (right, wrong, ghost))
    assert failures == []  # no password was checked


def test_login_answers_503_before_checking_the_password_when_redis_is_down(app, make_app):
    user = register(app.test_client())
    assert_no_oracle_while_redis_is_down(down_redis_app(make_app, RATELIMIT_ENABLED=True), user)


def test_login_without_limits_still_needs_redis_before_the_password_check(app, make_app):
    user = register(app.test_client())
    assert_no_oracle_while_redis_is_down(down_redis_app(make_app, RATELIMIT_ENABLED=False), user)
