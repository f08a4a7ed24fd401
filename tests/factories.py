"""Small builders of test data, through the public API. Names are unique per call, so tests
never collide with each other's data in the shared test database."""

import uuid

DEFAULT_PASSWORD = "correct-horse-battery"


def unique(prefix: str = "u") -> str:
    return f"{prefix}{uuid.uuid4().hex[:10]}"


def auth_header(token: str) -> dict:
    return {"Authorization": f"Token {token}"}


def register(client, *, username: str | None = None, email: str | None = None,
             password: str = DEFAULT_PASSWORD) -> dict:
    """Register a user; returns the response's `user` (with its token). Asserts success."""
    username = username or unique()
    email = email or f"{username}@example.com"
    response = client.post("/api/users", json={"user": {"username": username, "email": email, "password": password}})
    assert response.status_code == 201, response.get_json()
    return response.get_json()["user"]


def login(client, email: str, password: str = DEFAULT_PASSWORD, *, headers: dict | None = None, **extra):
    """POST /api/users/login; `extra` goes into the user object (e.g. remember=False)."""
    return client.post("/api/users/login", headers=headers,
                       json={"user": {"email": email, "password": password, **extra}})
