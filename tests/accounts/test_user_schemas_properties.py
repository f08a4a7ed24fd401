"""Properties of the account schemas (schemas/users.py), and of the endpoints that load them:
whatever arrives, the answer is the data or a validation error, never a crash."""

import json

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from marshmallow import ValidationError

from schemas.users import (
    PASSWORD_MAX_LENGTH,
    PASSWORD_MIN_LENGTH,
    LoginUserRequestSchema,
    NewUserRequestSchema,
    UpdateUserRequestSchema,
)
from tests.support.strategies import any_text, envelopes, http_documents, json_values, load_or_refuse

REQUEST_SCHEMAS = [NewUserRequestSchema, LoginUserRequestSchema, UpdateUserRequestSchema]
FIELD_NAMES = ["username", "email", "password", "bio", "image", "remember", "token"]

user_envelopes = envelopes("user", FIELD_NAMES)

# "." and ".." are no usable path segment: refused (tests/accounts/test_path_safe_usernames.py).
usernames = st.from_regex(r"[A-Za-z0-9_.-]{1,64}", fullmatch=True).filter(lambda name: name not in (".", ".."))
emails = st.from_regex(r"[a-z0-9]{1,20}(\.[a-z0-9]{1,10})?@[a-z0-9]{1,20}\.(com|org|io)", fullmatch=True)
passwords = st.text(min_size=PASSWORD_MIN_LENGTH, max_size=PASSWORD_MAX_LENGTH)


@pytest.mark.parametrize("schema_class", REQUEST_SCHEMAS, ids=lambda schema: schema.__name__)
@given(document=json_values | user_envelopes)
def test_any_json_loads_or_raises_a_validation_error(schema_class, document):
    loaded = load_or_refuse(schema_class, document)
    assert loaded is None or set(loaded) == {"user"}


@given(username=usernames, email=emails, password=passwords)
def test_valid_registrations_load_unchanged(username, email, password):
    loaded = NewUserRequestSchema().load({"user": {"username": username, "email": email, "password": password}})

    assert loaded == {"user": {"username": username, "email": email, "password": password}}


@given(username=usernames, email=emails, password=passwords,
       bad_character=st.characters(exclude_characters="_.-", exclude_categories=["Lu", "Ll", "Nd"]))
@example(username="jake", email="jake@example.com", password="long-enough", bad_character="\n")
def test_a_username_with_any_other_character_is_refused(username, email, password, bad_character):
    document = {"user": {"username": username + bad_character, "email": email, "password": password}}

    with pytest.raises(ValidationError) as refused:
        NewUserRequestSchema().load(document)

    assert set(refused.value.messages["user"]) == {"username"}


@given(password=st.text(max_size=PASSWORD_MIN_LENGTH - 1) | st.text(min_size=PASSWORD_MAX_LENGTH + 1))
def test_a_password_of_the_wrong_length_is_refused_on_registration_and_update(password):
    with pytest.raises(ValidationError) as registration:
        NewUserRequestSchema().load({"user": {"username": "jake", "email": "jake@example.com", "password": password}})
    with pytest.raises(ValidationError) as update:
        UpdateUserRequestSchema().load({"user": {"password": password}})

    assert set(registration.value.messages["user"]) == {"password"}
    assert set(update.value.messages["user"]) == {"password"}


@given(remember=st.none() | st.booleans())
def test_login_remembers_by_default(remember):
    credentials = {"email": "jake@example.com", "password": "x"}
    if remember is not None:
        credentials["remember"] = remember

    loaded = LoginUserRequestSchema().load({"user": credentials})

    assert loaded["user"]["remember"] is (True if remember is None else remember)


@given(image=st.from_regex(r"(ftp|file|javascript|data):[a-z/]{1,30}", fullmatch=True))
def test_an_update_refuses_images_that_are_not_http_urls(image):
    with pytest.raises(ValidationError) as refused:
        UpdateUserRequestSchema().load({"user": {"image": image}})

    assert set(refused.value.messages["user"]) == {"image"}


def test_an_update_must_change_something_and_an_empty_image_clears_it():
    with pytest.raises(ValidationError):
        UpdateUserRequestSchema().load({"user": {}})

    assert UpdateUserRequestSchema().load({"user": {"image": ""}}) == {"user": {"image": None}}


# Through HTTP: any document (surrogates included, as JSON escapes) is a 4xx JSON answer.
login_documents = http_documents | envelopes("user", FIELD_NAMES, st.none() | any_text | st.integers())


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(document=login_documents)
def test_login_answers_any_document_with_a_4xx_json_error(app, document):
    response = app.test_client().post("/api/users/login", data=json.dumps(document), content_type="application/json")

    assert 400 <= response.status_code < 500, response.get_data(as_text=True)
    assert response.get_json()["errors"]["body"]


@settings(max_examples=60, deadline=None)
@given(body=st.binary(max_size=200))
def test_registration_answers_any_bytes_with_a_4xx_json_error(app, body):
    response = app.test_client().post("/api/users", data=body, content_type="application/json")

    assert 400 <= response.status_code < 500, response.get_data(as_text=True)
    assert response.get_json()["errors"]["body"]
