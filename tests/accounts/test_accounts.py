"""Registration, login, the current user, logout: formats and status codes of the contract."""

import os

import pytest

from tests.support.factories import DEFAULT_PASSWORD, auth_header, login, register, unique


def test_registration_returns_201_with_user_and_token(client):
    username = unique()
    response = client.post("/api/users", json={"user": {
        "username": username, "email": f"{username}@example.com", "password": DEFAULT_PASSWORD}})
    assert response.status_code == 201
    assert response.mimetype == "application/json"
    user = response.get_json()["user"]
    assert set(user) == {"email", "token", "username", "bio", "image"}
    assert user["username"] == username and user["bio"] is None and user["image"] is None
    assert len(user["token"]) >= 40


def test_registration_sets_session_cookie_with_safe_flags(client):
    username = unique()
    response = client.post("/api/users", json={"user": {
        "username": username, "email": f"{username}@example.com", "password": DEFAULT_PASSWORD}})
    cookie = response.headers["Set-Cookie"]
    token = response.get_json()["user"]["token"]
    assert cookie.startswith(f"conduit_session={token};")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Expires=" in cookie


def test_response_never_contains_password_or_hash(client):
    user = register(client)
    body = client.get("/api/user", headers=auth_header(user["token"])).get_data(as_text=True)
    assert DEFAULT_PASSWORD not in body and "argon2" not in body and "password" not in body


@pytest.mark.parametrize("field, make_duplicate", [
    ("email", lambda taken: {"username": unique(), "email": taken["email"].upper()}),
    ("username", lambda taken: {"username": taken["username"], "email": f"{unique()}@example.com"}),
])
def test_duplicate_email_or_username_is_422_on_that_field(client, field, make_duplicate):
    taken = register(client)
    response = client.post("/api/users", json={"user": {**make_duplicate(taken), "password": DEFAULT_PASSWORD}})
    assert response.status_code == 422
    errors = response.get_json()["errors"]
    assert errors[field] == ["has already been taken"]
    assert errors["body"] == [f"{field}: has already been taken"]


def test_login_with_any_email_case_returns_a_new_token(client):
    user = register(client)
    response = login(client, user["email"].upper())
    assert response.status_code == 200
    assert response.get_json()["user"]["username"] == user["username"]
    assert response.get_json()["user"]["token"] != user["token"]


def test_emails_that_differ_only_beyond_the_basic_plane_are_two_accounts(api_client):
    # utf8mb4_unicode_ci weighed every character beyond U+FFFF alike: these were one address.
    local = unique()
    first = register(api_client, email=f"{local}\U0001d400@example.com")
    second = register(api_client, email=f"{local}\U0001d401@example.com")

    for user in (first, second):
        response = login(api_client, user["email"])
        assert response.status_code == 200, response.get_json()
        assert response.get_json()["user"]["username"] == user["username"]
    assert login(api_client, f"{local}\U0001d402@example.com").status_code == 401


def test_unknown_email_and_wrong_password_get_the_same_401(client):
    user = register(client)
    wrong_password = login(client, user["email"], "not-the-password")
    unknown_email = login(client, f"{unique()}@example.com", "not-the-password")
    assert wrong_password.status_code == unknown_email.status_code == 401
    assert wrong_password.get_json() == unknown_email.get_json()
    assert wrong_password.get_json()["errors"]["body"] == ["Invalid email or password."]


def test_current_user_works_with_token_bearer_and_cookie(app):
    cookie_client = app.test_client()
    user = register(cookie_client)
    anonymous = app.test_client()
    assert anonymous.get("/api/user", headers=auth_header(user["token"])).status_code == 200
    assert anonymous.get("/api/user", headers={"Authorization": f"Bearer {user['token']}"}).status_code == 200
    assert cookie_client.get("/api/user").get_json()["user"]["token"] == user["token"]


@pytest.mark.parametrize("authorization", ["Token", "Token ", "Basic abc", "Token not-a-session", "Bearer x y"])
def test_bad_authorization_header_is_401(client, authorization):
    response = client.get("/api/user", headers={"Authorization": authorization})
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Token")
    assert response.get_json()["errors"]["body"]


def test_missing_credentials_is_401(client):
    response = client.get("/api/user")
    assert response.status_code == 401
    assert "Authentication required" in response.get_json()["errors"]["body"][0]


def test_update_user_changes_fields_and_keeps_token(client):
    user = register(client)
    response = client.put("/api/user", headers=auth_header(user["token"]), json={"user": {
        "bio": "I like to skateboard", "image": "https://example.com/me.png"}})
    assert response.status_code == 200
    updated = response.get_json()["user"]
    assert updated["bio"] == "I like to skateboard"
    assert updated["image"] == "https://example.com/me.png"
    assert updated["token"] == user["token"]


def test_update_user_empty_image_clears_it(client):
    user = register(client)
    headers = auth_header(user["token"])
    client.put("/api/user", headers=headers, json={"user": {"image": "https://example.com/a.png"}})
    response = client.put("/api/user", headers=headers, json={"user": {"image": ""}})
    assert response.status_code == 200
    assert response.get_json()["user"]["image"] is None


def test_update_password_then_login_with_new_password(client):
    user = register(client)
    response = client.put("/api/user", headers=auth_header(user["token"]),
                          json={"user": {"password": "a-brand-new-secret"}})
    assert response.status_code == 200
    assert login(client, user["email"], DEFAULT_PASSWORD).status_code == 401
    assert login(client, user["email"], "a-brand-new-secret").status_code == 200


def test_update_to_a_taken_username_is_422(client):
    first, second = register(client), register(client)
    response = client.put("/api/user", headers=auth_header(second["token"]),
                          json={"user": {"username": first["username"]}})
    assert response.status_code == 422
    assert response.get_json()["errors"]["username"] == ["has already been taken"]


def test_logout_kills_token_and_cookie_at_once(app):
    browser = app.test_client()
    user = register(browser)
    assert browser.post("/api/users/logout").status_code == 204
    assert browser.get("/api/user").status_code == 401
    assert app.test_client().get("/api/user", headers=auth_header(user["token"])).status_code == 401


def test_logout_by_token_leaves_other_sessions_alive(app):
    user = register(app.test_client())
    client = app.test_client()
    second = login(client, user["email"]).get_json()["user"]["token"]
    assert client.post("/api/users/logout", headers=auth_header(second)).status_code == 204
    assert client.get("/api/user", headers=auth_header(second)).status_code == 401
    assert client.get("/api/user", headers=auth_header(user["token"])).status_code == 200


def test_login_from_a_browser_replaces_its_cookie_and_leaves_the_previous_login_to_its_token(app):
    """Logging in never reuses the presented id; the previous session may still be held as a
    token (Postman keeps a cookie jar and a saved token), so it ends by logout or revocation."""
    browser = app.test_client()
    user = register(browser)
    new_token = login(browser, user["email"]).get_json()["user"]["token"]
    assert new_token != user["token"]
    assert browser.get("/api/user").get_json()["user"]["token"] == new_token
    assert app.test_client().get("/api/user", headers=auth_header(user["token"])).status_code == 200


def test_every_response_carries_a_request_id(client):
    generated = client.get("/api/health")
    assert len(generated.headers["X-Request-ID"]) == 32
    echoed = client.get("/api/health", headers={"X-Request-ID": "abc-123"})
    assert echoed.headers["X-Request-ID"] == "abc-123"
    insane = client.get("/api/health", headers={"X-Request-ID": "<script>" + "x" * 300})
    assert insane.headers["X-Request-ID"] != "<script>" + "x" * 300


def test_generated_request_ids_differ_between_forked_workers(client):
    """gunicorn forks its workers from one process: each must make ids of its own."""
    read_end, write_end = os.pipe()
    child = os.fork()
    if child == 0:
        try:
            os.write(write_end, client.get("/api/tags").headers["X-Request-ID"].encode())
        finally:
            os._exit(0)
    os.close(write_end)
    childs_id = os.read(read_end, 64).decode()
    os.waitpid(child, 0)
    os.close(read_end)
    parents_ids = {client.get("/api/tags").headers["X-Request-ID"] for _ in range(3)}

    assert len(childs_id) == 32 and int(childs_id, 16) >= 0
    assert len(parents_ids) == 3 and childs_id not in parents_ids


def test_health_reports_both_dependencies(client):
    response = client.get("/api/health")
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "ok"
    assert body["mysql"]["status"] == "ok" and body["redis"]["status"] == "ok"
    assert body["mysql"]["pool"]["max"] >= 1
