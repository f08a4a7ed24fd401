"""Apps with rate limits switched on, clients at addresses of their own, and the 429 they get."""

import random


def unique_ip() -> str:
    return f"198.18.{random.randint(0, 255)}.{random.randint(1, 254)}"


def client_at(app, ip: str):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = ip
    return client


def limited_app(make_app, **limits):
    return make_app(RATELIMIT_ENABLED=True, **limits)


def assert_too_many(response, message_start: str):
    assert response.status_code == 429
    assert int(response.headers["Retry-After"]) >= 0
    body = response.get_json()
    assert list(body["errors"]) == ["body"]
    assert body["errors"]["body"][0].startswith(message_start)
