"""Sensitive changes (password, email) need a fresh proof of identity: the current password, or a
login within REAUTH_WINDOW_SECONDS. A token alone must not be enough to take an account over."""

import time
from datetime import timedelta

import pytest

from tests.support.factories import DEFAULT_PASSWORD, auth_header, login, register, unique

NEEDED = ("Changing the password or email needs proof that you are the account's owner: send your current"
          " password as currentPassword, or log in again (this session logged in too long ago).")


@pytest.fixture
def stale_app(make_app):
    """Every session is past the re-authentication window as soon as it starts."""
    return make_app(REAUTH_WINDOW_SECONDS=0)


def put_user(client, token: str, **fields):
    return client.put("/api/user", headers=auth_header(token), json={"user": fields})


@pytest.mark.parametrize("change", [{"password": "a-brand-new-password"}, {"email": "elsewhere@example.com"}])
def test_a_stale_session_cannot_change_password_or_email_without_the_current_password(stale_app, change):
    client = stale_app.test_client(use_cookies=False)
    user = register(client)
    if "email" in change:
        change = {"email": f"{unique()}@example.com"}

    response = put_user(client, user["token"], **change)

    assert response.status_code == 403
    assert response.get_json() == {"errors": {"body": [NEEDED]}}
    me = client.get("/api/user", headers=auth_header(user["token"])).get_json()["user"]
    assert me["email"] == user["email"]
    assert login(client, user["email"], DEFAULT_PASSWORD).status_code == 200


def test_the_current_password_proves_it(stale_app):
    client = stale_app.test_client(use_cookies=False)
    user = register(client)
    other = login(client, user["email"]).get_json()["user"]["token"]
    new_email = f"{unique()}@example.com"

    response = put_user(client, user["token"], password="a-brand-new-password", email=new_email,
                        currentPassword=DEFAULT_PASSWORD)

    assert response.status_code == 200, response.get_json()
    assert response.get_json()["user"]["email"] == new_email
    assert client.get("/api/user", headers=auth_header(other)).status_code == 401
    assert login(client, new_email, "a-brand-new-password").status_code == 200


def test_a_wrong_current_password_is_refused_even_within_the_window(client):
    user = register(client)
    response = put_user(client, user["token"], password="a-brand-new-password", currentPassword="not-my-password")
    assert response.status_code == 403
    assert response.get_json()["errors"]["currentPassword"] == ["is not the account's current password"]
    assert login(client, user["email"], DEFAULT_PASSWORD).status_code == 200


def test_a_fresh_login_may_change_them_without_the_current_password(make_app):
    client = make_app(REAUTH_WINDOW_SECONDS=600).test_client(use_cookies=False)
    user = register(client)
    assert put_user(client, user["token"], password="a-brand-new-password").status_code == 200


def test_profile_fields_and_the_same_email_need_no_proof(stale_app):
    """What RealWorld front-ends (and the upstream Postman collection) send after logging in."""
    client = stale_app.test_client(use_cookies=False)
    user = register(client)
    response = put_user(client, user["token"], email=user["email"], username=unique(), bio="new bio",
                        image="https://example.com/me.png")
    assert response.status_code == 200, response.get_json()


def test_the_window_counts_from_the_login_not_the_last_request(make_app):
    app = make_app(REAUTH_WINDOW_SECONDS=1, SESSION_TOUCH_INTERVAL=timedelta(0))
    client = app.test_client(use_cookies=False)
    user = register(client)
    time.sleep(0.6)
    assert client.get("/api/user", headers=auth_header(user["token"])).status_code == 200  # used, not re-proved
    time.sleep(0.6)
    assert put_user(client, user["token"], password="a-brand-new-password").status_code == 403


def test_current_password_alone_is_no_change(client):
    user = register(client)
    response = put_user(client, user["token"], currentPassword=DEFAULT_PASSWORD)
    assert response.status_code == 422


def test_a_wrong_current_password_counts_against_the_failed_login_limit(make_app):
    prefix = unique("conduit-test-reauth-") + ":"
    app = make_app(RATELIMIT_ENABLED=True, RATELIMIT_LOGIN="2 per 15 minutes",
                   REDIS_KEY_PREFIX=prefix, SESSION_KEY_PREFIX=prefix + "session:")
    client = app.test_client(use_cookies=False)
    user = register(client)
    statuses = [put_user(client, user["token"], password="a-brand-new-password", currentPassword=f"guess-{n}")
                .status_code for n in range(3)]
    assert statuses == [403, 403, 429]
    assert login(client, user["email"], DEFAULT_PASSWORD).status_code == 429  # the account's budget is spent
