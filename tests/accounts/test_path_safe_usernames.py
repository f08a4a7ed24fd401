"""Usernames are URL path segments (/api/profiles/{username}): "." and ".." are refused."""

import pytest

from tests.support.factories import DEFAULT_PASSWORD, auth_header, register, unique


@pytest.mark.parametrize("username", [".", ".."])
def test_dot_segments_are_refused_at_registration(api_client, username):
    email = f"{unique('dots')}@example.com"
    response = api_client.post("/api/users", json={"user": {"username": username, "email": email,
                                                            "password": DEFAULT_PASSWORD}})
    assert response.status_code == 422
    assert "cannot be '.' or '..'" in response.get_json()["errors"]["username"][0]


@pytest.mark.parametrize("username", [".", ".."])
def test_dot_segments_are_refused_as_a_new_username(api_client, username):
    user = register(api_client)
    response = api_client.put("/api/user", json={"user": {"username": username}}, headers=auth_header(user["token"]))
    assert response.status_code == 422
    assert "cannot be '.' or '..'" in response.get_json()["errors"]["username"][0]


@pytest.mark.parametrize("template", ["...{}", ".{}", "{}..", "a..{}"])
def test_names_with_dots_that_are_not_dot_segments_still_work(api_client, template):
    username = template.format(unique())
    register(api_client, username=username, email=f"{unique()}@example.com")
    assert api_client.get(f"/api/profiles/{username}").get_json()["profile"]["username"] == username

