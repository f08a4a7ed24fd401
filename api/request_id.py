"""X-Request-ID: the caller's, when it is sane, else a new one; kept on `g` and echoed back."""

import re
import uuid

from flask import Flask, g, request

SANE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


def assign_request_id() -> None:
    presented = request.headers.get("X-Request-ID", "")
    g.request_id = presented if SANE_REQUEST_ID.match(presented) else uuid.uuid4().hex


def echo_request_id(response):
    response.headers["X-Request-ID"] = g.get("request_id") or uuid.uuid4().hex
    return response


def init_request_id(app: Flask) -> None:
    app.before_request(assign_request_id)
    app.after_request(echo_request_id)
