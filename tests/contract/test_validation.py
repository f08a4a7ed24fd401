"""Every validation rule of the account schemas answers 422 in the contract's error shape."""

import pytest

from tests.support.factories import DEFAULT_PASSWORD, auth_header, register, unique


def _new_user(**changes):
    username = unique()
    user = {"username": username, "email": f"{username}@example.com", "password": DEFAULT_PASSWORD}
    user.update(changes)
    return {key: value for key, value in user.items() if value is not ...}


@pytest.mark.parametrize("changes, field", [
    ({"email": ...}, "email"),
    ({"email": "not-an-email"}, "email"),
    ({"email": "a" * 250 + "@x.io"}, "email"),
    ({"username": ...}, "username"),
    ({"username": ""}, "username"),
    ({"username": "has space"}, "username"),
    ({"username": "x" * 65}, "username"),
    ({"username": 42}, "username"),
    ({"password": ...}, "password"),
    ({"password": "short"}, "password"),
    ({"password": "x" * 257}, "password"),
])
def test_registration_rule_violations_are_422_on_the_field(client, changes, field):
    response = client.post("/api/users", json={"user": _new_user(**changes)})
    assert response.status_code == 422
    errors = response.get_json()["errors"]
    assert list(errors) == [field, "body"]
    assert errors["body"] == [f"{field}: {message}" for message in errors[field]]


@pytest.mark.parametrize("changes, field", [
    ({"bio": "x" * 2001}, "bio"),
    ({"image": "not a url"}, "image"),
    ({"image": "ftp://example.com/a.png"}, "image"),
    ({"email": "nope"}, "email"),
    ({"password": "short"}, "password"),
])
def test_update_rule_violations_are_422_on_the_field(client, changes, field):
    user = register(client)
    response = client.put("/api/user", headers=auth_header(user["token"]), json={"user": changes})
    assert response.status_code == 422
    assert field in response.get_json()["errors"]


def test_update_with_nothing_to_change_is_422(client):
    user = register(client)
    response = client.put("/api/user", headers=auth_header(user["token"]), json={"user": {}})
    assert response.status_code == 422
    assert "at least one of" in response.get_json()["errors"]["body"][0]


def test_missing_envelope_is_422_on_it(client):
    response = client.post("/api/users", json={"username": "flat", "password": DEFAULT_PASSWORD})
    assert response.status_code == 422
    assert response.get_json()["errors"]["user"] == ["Missing data for required field."]


def test_unknown_fields_are_ignored(client):
    response = client.post("/api/users", json={"user": _new_user(token="ignored", admin=True)})
    assert response.status_code == 201


def test_malformed_json_is_400_json(client):
    response = client.post("/api/users", data='{"user": ', content_type="application/json")
    assert response.status_code == 400
    assert response.get_json() == {"errors": {"body": ["Invalid JSON body: Expecting value at line 1, column 10."]}}


def test_wrong_content_type_is_a_json_error(client):
    response = client.post("/api/users", data="user=x", content_type="application/x-www-form-urlencoded")
    assert response.status_code in (400, 415, 422)
    assert response.is_json and response.get_json()["errors"]["body"]


def test_body_that_is_not_an_object_is_422(client):
    response = client.post("/api/users", json=["a", "list"])
    assert response.status_code == 422
    assert response.get_json()["errors"]["body"]


def test_unknown_route_is_404_json(client):
    response = client.get("/api/no-such-thing")
    assert response.status_code == 404
    assert response.get_json() == {"errors": {"body": ["Not found."]}}


def test_wrong_method_is_405_json_with_allow(client):
    response = client.delete("/api/users/login")
    assert response.status_code == 405
    assert "POST" in response.headers["Allow"]
    assert response.get_json()["errors"]["body"] == ["Method not allowed."]


def test_body_over_the_limit_is_413_json(make_app):
    small = make_app(MAX_CONTENT_LENGTH=1024).test_client()
    response = small.post("/api/users", json={"user": _new_user(bio="x" * 4000)})
    assert response.status_code == 413
    assert response.get_json()["errors"]["body"] == ["The request body is larger than 1024 bytes."]
