"""Hostile input on the existing endpoints: oversized, deeply nested, wrongly typed, non-UTF-8
and malformed bodies, huge numbers and query strings, odd Unicode. Every answer is a 4xx in
the contract's JSON error shape (or a success for odd but valid text), never a 500 or HTML."""

import flask_smorest
import pytest

from api import smorest
from tests.support.factories import auth_header, register, unique


def assert_client_error(response, status: int) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    assert response.mimetype == "application/json"
    errors = response.get_json()["errors"]
    assert errors["body"] and all(isinstance(message, str) for message in errors["body"])
    return errors


def post_raw(client, path: str, data: bytes, content_type: str = "application/json", **kwargs):
    return client.post(path, data=data, content_type=content_type, **kwargs)


def test_every_resource_blueprint_uses_our_json_body_parser(app):
    smorest_blueprints = [bp for bp in app.blueprints.values() if isinstance(bp, flask_smorest.Blueprint)]

    assert smorest_blueprints
    for blueprint in smorest_blueprints:
        # flask-smorest's own Blueprint lets deep nesting, huge numbers and lone surrogates through as 500s.
        assert isinstance(blueprint, smorest.Blueprint), f"{blueprint.name}: use api.smorest.Blueprint"


def test_a_body_over_the_limit_is_413(client, app):
    oversized = b'{"user": {"bio": "' + b"x" * app.config["MAX_CONTENT_LENGTH"] + b'"}}'

    errors = assert_client_error(post_raw(client, "/api/users/login", oversized), 413)

    assert errors["body"] == [f"The request body is larger than {app.config['MAX_CONTENT_LENGTH']} bytes."]


@pytest.mark.parametrize("document", [
    b"[" * 200_000 + b"]" * 200_000,
    b'{"user": ' + b'{"a": ' * 100_000 + b"1" + b"}" * 100_001,
], ids=["arrays", "objects"])
def test_deeply_nested_json_is_400(client, document):
    errors = assert_client_error(post_raw(client, "/api/users", document), 400)

    assert errors["body"] == ["Invalid JSON body: it is nested too deeply."]


def test_moderately_nested_json_is_a_validation_error(client):
    nested = b'{"user": {"email": ' + b"[" * 500 + b"]" * 500 + b', "password": "x"}}'

    errors = assert_client_error(post_raw(client, "/api/users/login", nested), 422)

    assert errors["email"] == ["Not a valid string."]


@pytest.mark.parametrize("body, blamed", [
    ([], None),
    (None, None),
    ("user", None),
    (17, None),
    ({"user": []}, None),
    ({"user": "jake"}, None),
    ({"user": {"email": 5, "password": ["x"], "remember": "maybe"}}, {"email", "password", "remember"}),
    ({"user": {"email": {"$gt": ""}, "password": True}}, {"email", "password"}),
    ({"user": {"email": None, "password": None}}, {"email", "password"}),
])
def test_wrongly_typed_bodies_are_422(client, body, blamed):
    errors = assert_client_error(client.post("/api/users/login", json=body), 422)

    if blamed:
        assert blamed <= set(errors)


@pytest.mark.parametrize("data, reason", [
    (b'{"user": {"email": "\xff\xfe@example.com", "password": "x"}}', "it is not UTF-8"),
    ('{"user": {"email": "j\u00e9@example.com"}}'.encode("latin-1"), "it is not UTF-8"),
    ('{"user": {"email": "jake@example.com"}}'.encode("utf-16"), "it is not UTF-8"),
    (b'{"user": {"email": "\xe2\x82"}}', "it is not UTF-8"),
    (b'{"user": ', "Expecting value at line 1, column 10"),
    (b"{'user': {}}", "Expecting property name enclosed in double quotes at line 1, column 2"),
    (b'{"user": {"remember": ' + b"9" * 5000 + b"}}", "a number has too many digits"),
    (b'{"user": {"email": "a@example.com", "password": "\\ud800-lone-high"}}',
     "a string holds an unpaired UTF-16 surrogate"),
    (b'{"user": {"email": "\\udfff@example.com", "password": "long-enough"}}',
     "a string holds an unpaired UTF-16 surrogate"),
], ids=["invalid-bytes", "latin-1", "utf-16", "truncated-utf-8", "truncated-json", "single-quotes",
        "5000-digit-number", "lone-high-surrogate", "lone-low-surrogate"])
def test_unreadable_bodies_are_400_with_the_reason(client, data, reason):
    for path in ("/api/users", "/api/users/login"):
        errors = assert_client_error(post_raw(client, path, data), 400)

        assert errors["body"] == [f"Invalid JSON body: {reason}."]


def test_a_lone_surrogate_in_an_update_is_400_and_changes_nothing(client):
    user = register(client)

    response = client.put("/api/user", data=b'{"user": {"bio": "half an emoji: \\ud83d"}}',
                          content_type="application/json", headers=auth_header(user["token"]))

    assert_client_error(response, 400)
    assert client.get("/api/user", headers=auth_header(user["token"])).get_json()["user"]["bio"] is None


def test_odd_but_valid_unicode_is_stored_exactly(client):
    user = register(client)
    bio = "\u202eright-to-left\u202c \u200dzero\u200bwidth NUL:\u0000 e\u0301 \U0001f600 \ufeff \uffff"

    # Escaped as JSON's surrogate pairs, as ensure_ascii clients send it: a valid pair is fine.
    response = client.put("/api/user", json={"user": {"bio": bio}}, headers=auth_header(user["token"]))

    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.get_json()["user"]["bio"] == bio
    assert client.get("/api/user", headers=auth_header(user["token"])).get_json()["user"]["bio"] == bio


@pytest.mark.parametrize("username", ["jake\u200b", "\u0130stanbul", "ja ke", "\U0001f600", "a" * 65, ""])
def test_usernames_outside_the_allowed_alphabet_are_422(client, username):
    name = unique()
    response = client.post("/api/users", json={"user": {"username": username, "email": f"{name}@example.com",
                                                        "password": "long-enough-pw"}})

    assert "username" in assert_client_error(response, 422)


def test_huge_query_strings_and_headers_are_harmless(client):
    user = register(client)
    huge_value = "x" * 200_000
    many_parameters = "&".join(f"p{index}={index}" for index in range(5_000))

    health = client.get(f"/api/health?junk={huge_value}&{many_parameters}")
    current = client.get(f"/api/user?limit={'9' * 5000}", headers=auth_header(user["token"]))
    huge_token = client.get("/api/user", headers=auth_header("t" * 50_000))

    assert health.status_code == 200
    assert current.status_code == 200
    assert_client_error(huge_token, 401)


def test_a_body_in_the_wrong_content_type_is_a_422_not_a_guess(client):
    response = client.post("/api/users/login", data=b'{"user": {"email": "a@example.com", "password": "x"}}',
                           content_type="text/plain")

    assert assert_client_error(response, 422)["user"] == ["Missing data for required field."]
