"""Helpers for conditional GETs: the ETag a read answers, and revalidating it."""

import hashlib


def etag_of(client, url: str, headers: dict | None = None) -> str:
    """The ETag of a plain 200 of `url` (asserted: quoted, and the hash of the body)."""
    response = client.get(url, headers=headers)
    assert response.status_code == 200, response.get_json()
    assert response.headers["ETag"] == f'"{body_hash(response.get_data())}"'
    return response.headers["ETag"]


def body_hash(body: bytes) -> str:
    return hashlib.blake2b(body, digest_size=16).hexdigest()


def revalidate(client, url: str, etag: str, headers: dict | None = None):
    return client.get(url, headers={**(headers or {}), "If-None-Match": etag})


def remembered_etag_of(client, url: str, headers: dict | None = None) -> str:
    """The ETag of `url`, revalidated once (a 304), so that the service remembers it."""
    etag = etag_of(client, url, headers)
    assert revalidate(client, url, etag, headers).status_code == 304
    return etag


def assert_changed(client, url: str, etag: str, headers: dict | None = None) -> None:
    """The old ETag of `url` is stale now: a full 200 with a new ETag."""
    response = revalidate(client, url, etag, headers)
    assert response.status_code == 200, response.status_code
    assert response.headers["ETag"] != etag
