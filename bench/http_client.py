"""How the benchmark talks JSON to a server: over HTTP (stdlib, keep-alive) or to a Flask test client.

Both offer `send(method, path, body=None, token=None) -> (status, json)`, so the data set is
seeded and every scenario's request checked by the same code against either, and `etag(path,
token=None)`, the ETag a GET answers (for the revalidating scenarios).
"""

import http.client
import json
import threading
from typing import Protocol
from urllib.parse import urlsplit


class JsonClient(Protocol):
    def send(self, method: str, path: str, body: dict | None = None, token: str | None = None): ...

    def etag(self, path: str, token: str | None = None) -> str: ...


class HttpJsonClient:
    """One keep-alive connection per thread to `base_url` (http://host:port)."""

    def __init__(self, base_url: str, timeout: float = 30):
        parts = urlsplit(base_url)
        if parts.hostname is None:
            raise ValueError(f"{base_url!r} names no host")
        self.host, self.port, self.timeout = parts.hostname, parts.port, timeout
        self._local = threading.local()

    def send(self, method: str, path: str, body: dict | None = None, token: str | None = None):
        status, _, raw = self._exchange(method, path, body, token)
        return status, json.loads(raw) if raw else None

    def etag(self, path: str, token: str | None = None) -> str:
        status, headers, _raw = self._exchange("GET", path, None, token)
        return _etag(status, headers.get("ETag"), path)

    def _exchange(self, method: str, path: str, body: dict | None, token: str | None):
        headers = _headers(body, token)
        payload = None if body is None else json.dumps(body)
        for attempt in (1, 2):  # a keep-alive connection the server closed meanwhile is reopened once
            connection = self._connection()
            try:
                connection.request(method, path, body=payload, headers=headers)
                response = connection.getresponse()
                return response.status, response.headers, response.read()
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self._local.connection = None
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def _connection(self) -> http.client.HTTPConnection:
        connection = getattr(self._local, "connection", None)
        if connection is None:
            connection = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
            self._local.connection = connection
        return connection


class FlaskClientJson:
    """The same interface over a Flask test client (the fast test of the bench machinery)."""

    def __init__(self, test_client):
        self.test_client = test_client

    def send(self, method: str, path: str, body: dict | None = None, token: str | None = None):
        response = self.test_client.open(path, method=method, headers=_headers(body, token),
                                         data=None if body is None else json.dumps(body))
        return response.status_code, response.get_json(silent=True)

    def etag(self, path: str, token: str | None = None) -> str:
        response = self.test_client.get(path, headers=_headers(None, token))
        return _etag(response.status_code, response.headers.get("ETag"), path)


def _etag(status: int, etag: str | None, path: str) -> str:
    if status != 200 or not etag:
        raise RuntimeError(f"GET {path} answered {status} without an ETag")
    return etag


def _headers(body: dict | None, token: str | None) -> dict:
    headers = {}
    if body is not None:
        headers["Content-Type"] = "application/json"
    if token:
        headers["Authorization"] = f"Token {token}"
    return headers
