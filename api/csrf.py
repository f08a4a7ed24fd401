"""Cross-site request forgery, defence in depth behind SameSite=Lax (OWASP: verifying the
origin with standard headers).

An unsafe request (POST, PUT, PATCH, DELETE) that is not authenticated by the Authorization
header, and whose `Origin` (or, without one, `Referer`) is present and names neither this
service nor an allowed CORS origin, is refused with 403 before its view runs.

- A cookie-authenticated request is the forgery this is about: a page elsewhere can make the
  browser send the cookie (a form posting `x=1` needs no preflight).
- An anonymous one is refused too: those are login and registration, whose answer sets the
  session cookie, so a foreign page could log the browser into an account of its choosing
  (login CSRF). A page on a foreign origin could not read their answer anyway (CORS).
- The Authorization header is never attached by a browser on its own, so a token proves the
  caller chose to send it: such requests pass, from any origin.
A request without either header (curl, SDKs, old browsers) passes: nothing to verify.
"""

from urllib.parse import urlsplit

from flask import Flask, current_app, request

from api.cors import origin_allowed
from api.errors import abort
from api.sessions import session

UNSAFE_METHODS = frozenset(("POST", "PUT", "PATCH", "DELETE"))


def init_csrf(app: Flask) -> None:
    app.before_request(refuse_foreign_unsafe_requests)


def refuse_foreign_unsafe_requests() -> None:
    if request.method not in UNSAFE_METHODS or session.from_header:
        return
    origin = request.headers.get("Origin")
    origin = origin.rstrip("/").lower() if origin else _origin_of(request.headers.get("Referer"))
    if origin is None or origin == _own_origin() or origin_allowed(current_app, origin):
        return
    abort(403, "Cross-site request refused: its Origin is neither this service nor an allowed origin. "
               "Send the token in the Authorization header instead of the cookie.")


def _own_origin() -> str:
    return request.host_url.rstrip("/").lower()


def _origin_of(url: str | None) -> str | None:
    """scheme://host[:port] of a URL (a Referer); None when absent, "" when unusable (foreign)."""
    if not url:
        return None
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower() if parts.scheme and parts.netloc else ""

