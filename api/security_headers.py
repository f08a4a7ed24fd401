"""Security headers on every response.

- every response: `X-Content-Type-Options: nosniff`, `Referrer-Policy` (REFERRER_POLICY) and
  `X-Frame-Options: DENY`;
- JSON responses (the whole API, errors included): CONTENT_SECURITY_POLICY, which allows
  nothing: a JSON body is never a page, so a browser that renders one runs and loads nothing.

HTML pages (Swagger UI at /api/docs) need their own scripts and styles. The hook for them is
`set_page_policy(app, blueprint_name, policy)`: responses of that blueprint get `policy` as
their Content-Security-Policy instead. A view that sets the header itself keeps its own.
"""

from flask import Flask, current_app, request


def set_page_policy(app: Flask, blueprint_name: str, policy: str) -> None:
    """Send `policy` as the Content-Security-Policy of every response of a blueprint of pages."""
    app.extensions.setdefault("page_security_policies", {})[blueprint_name] = policy


def add_security_headers(response):
    headers = response.headers
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", current_app.config["REFERRER_POLICY"])
    headers.setdefault("X-Frame-Options", "DENY")
    page_policy = current_app.extensions.get("page_security_policies", {}).get(request.blueprint)
    if page_policy is not None:
        headers.setdefault("Content-Security-Policy", page_policy)
    elif response.is_json:
        headers.setdefault("Content-Security-Policy", current_app.config["CONTENT_SECURITY_POLICY"])
    return response


def init_security_headers(app: Flask) -> None:
    app.after_request(add_security_headers)
