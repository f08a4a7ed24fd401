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


def create_article(client, token: str, **fields) -> dict:
    """Create an article (unique title unless given); returns the response's `article`. Asserts success."""
    article = {"title": unique("Title "), "description": "A description", "body": "A body", **fields}
    response = client.post("/api/articles", json={"article": article}, headers=auth_header(token))
    assert response.status_code == 201, response.get_json()
    return response.get_json()["article"]


def add_comment(client, token: str, slug: str, body: str = "A comment") -> dict:
    """Comment on an article; returns the response's `comment`. Asserts success."""
    response = client.post(f"/api/articles/{slug}/comments", json={"comment": {"body": body}},
                           headers=auth_header(token))
    assert response.status_code == 200, response.get_json()
    return response.get_json()["comment"]


def follow(client, token: str, username: str) -> dict:
    """Follow a user; returns the response's `profile`. Asserts success."""
    response = client.post(f"/api/profiles/{username}/follow", headers=auth_header(token))
    assert response.status_code == 200, response.get_json()
    return response.get_json()["profile"]


def favorite(client, token: str, slug: str) -> dict:
    """Favorite an article; returns the response's `article`. Asserts success."""
    response = client.post(f"/api/articles/{slug}/favorite", headers=auth_header(token))
    assert response.status_code == 200, response.get_json()
    return response.get_json()["article"]
