"""Which browser origins may call the API with credentials: one answer for flask-cors and for
every other check that asks (an Origin check of unsafe cookie-authenticated requests)."""

import re

from flask import Flask
from flask_cors import CORS

from api.fast_paths import only_for_cross_origin_requests

# Any front-end served from this machine, on any port (development only): RealWorld front-ends
# use 4100, 4200, 3000, 5173, 8080, ... Anchored at the end, as flask-cors only calls match().
ANY_LOCAL_PORT = re.compile(r"http://(localhost|127\.0\.0\.1)(:[0-9]{1,5})?\Z", re.IGNORECASE)


def allowed_origin_patterns(config) -> list[re.Pattern]:
    """CORS_ORIGINS as whole-origin, case-insensitive patterns, plus any local port when
    CORS_ANY_LOCAL_PORT is on."""
    patterns = [re.compile(re.escape(origin.rstrip("/")) + r"\Z", re.IGNORECASE) for origin in config["CORS_ORIGINS"]]
    if config["CORS_ANY_LOCAL_PORT"]:
        patterns.append(ANY_LOCAL_PORT)
    return patterns


def origin_allowed(app: Flask, origin: str | None) -> bool:
    """True when `origin` (an Origin header's value) may call the API with credentials."""
    return bool(origin) and any(pattern.match(origin) for pattern in app.extensions["cors_origin_patterns"])


def init_cors(app: Flask) -> None:
    """flask-cors on /api/* for the allowed origins; its other CORS_* settings it reads itself."""
    if "*" in app.config["CORS_ORIGINS"]:
        # flask-cors would echo any origin with credentials allowed: every site could act as the user.
        raise RuntimeError("CORS_ORIGINS must list origins, not '*': session cookies are sent cross-origin")
    patterns = app.extensions["cors_origin_patterns"] = allowed_origin_patterns(app.config)
    # Registered first, so it runs after flask-cors' own hook (Flask runs them in reverse order).
    app.after_request(_one_vary_header)
    CORS(app, resources={r"/api/*": {"origins": patterns}})
    if not app.config["CORS_ALWAYS_SEND"]:
        hooks = app.after_request_funcs[None]
        hooks[-1] = only_for_cross_origin_requests(hooks[-1])  # flask-cors' hook, just registered


def _one_vary_header(response):
    """flask-cors adds `Vary: Origin` as a header of its own beside one a view set (a conditional
    GET's); werkzeug's `response.vary`, which the session adds Cookie through later, reads and
    rewrites the first Vary header only, and would drop the other. So: one header."""
    values = response.headers.getlist("Vary")
    if len(values) > 1:
        response.headers["Vary"] = ", ".join(values)
    return response
