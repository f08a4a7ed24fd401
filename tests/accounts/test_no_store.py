"""Responses that carry a session token or the caller's account send `Cache-Control: no-store`."""

import pytest

from tests.support.factories import DEFAULT_PASSWORD, auth_header, login, register, unique


def test_registration_and_login_are_not_stored(api_client):
    name = unique()
    registered = api_client.post("/api/users", json={"user": {"username": name, "email": f"{name}@example.com",
                                                              "password": DEFAULT_PASSWORD}})
    assert registered.status_code == 201 and registered.headers["Cache-Control"] == "no-store"
    logged_in = login(api_client, f"{name}@example.com")
    assert logged_in.status_code == 200 and logged_in.headers["Cache-Control"] == "no-store"
    refused = login(api_client, f"{name}@example.com", "wrong-password")
    assert refused.status_code == 401 and refused.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize("method, path, body", [
    ("get", "/api/user", None),
    ("put", "/api/user", {"user": {"bio": "not for caches"}}),
    ("get", "/api/user/sessions", None),
    ("get", "/api/user/activity", None),
])
def test_the_callers_account_is_not_stored(api_client, method, path, body):
    user = register(api_client)
    response = getattr(api_client, method)(path, json=body, headers=auth_header(user["token"]))
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    unauthenticated = getattr(api_client, method)(path, json=body)
    assert unauthenticated.status_code == 401 and unauthenticated.headers["Cache-Control"] == "no-store"


def test_public_reads_may_be_stored(api_client):
    assert "no-store" not in api_client.get("/api/tags").headers.get("Cache-Control", "")
