"""Security headers on every response.

- every response: `X-Content-Type-Options: nosniff`, `Referrer-Policy` (REFERRER_POLICY) and
  `X-Frame-Options: DENY`;
- JSON responses (the whole API, errors included): CONTENT_SECURITY_POLICY, which allows
  nothing: a JSON body is never a page, so a browser that renders one runs and loads nothing.

Responses that carry a session token or the caller's account get `Cache-Control: no-store`
from the `@no_store` decorator of their view, errors included.

HTML pages (Swagger UI at /api/docs) need their own scripts and styles. The hook for them is
`set_page_policy(app, blueprint_name, policy)`: responses of that blueprint get `policy` as
their Content-Security-Policy instead. A view that sets the header itself keeps its own.
"""

from functools import wraps

from flask import Flask, Response, after_this_request, request

from api.fast_paths import present_header_names


def set_page_policy(app: Flask, blueprint_name: str, policy: str) -> None:
    """Send `policy` as the Content-Security-Policy of every response of a blueprint of pages."""
    app.extensions.setdefault("page_security_policies", {})[blueprint_name] = policy


def init_security_headers(app: Flask) -> None:
    # The settings are read once: they do not change while the app serves. The policies of
    # pages are looked up per response, so set_page_policy works after this too.
    always = (("X-Content-Type-Options", "nosniff"), ("Referrer-Policy", app.config["REFERRER_POLICY"]),
              ("X-Frame-Options", "DENY"))
    json_policy = app.config["CONTENT_SECURITY_POLICY"]
    page_policies = app.extensions.setdefault("page_security_policies", {})

    def add_security_headers(response):
        headers = response.headers
        present = present_header_names(headers)
        for name, value in always:
            if name.lower() not in present:
                headers.add(name, value)
        if "content-security-policy" not in present:
            policy = page_policies.get(request.blueprint)
            if policy is None and response.is_json:
                policy = json_policy
            if policy is not None:
                headers.add("Content-Security-Policy", policy)
        return response

    app.after_request(add_security_headers)


def no_store(view):
    """Every answer of the view, errors included, is kept by no cache (browser, proxy): it holds
    a session token or the caller's account. Put it above the auth decorator, so a 401 has it too."""

    @wraps(view)
    def never_stored(*args, **kwargs):
        after_this_request(_forbid_storing)
        return view(*args, **kwargs)

    return never_stored


def _forbid_storing(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"
    return response
