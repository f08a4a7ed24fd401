"""X-Request-ID: the caller's, when it is sane, else a new one; kept on `g` and echoed back."""

import random
import re

from flask import Flask, g, request

SANE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


def new_request_id() -> str:
    # 128 random bits as 32 hex digits. An id needs to be unique, not unpredictable: `random`'s
    # generator (seeded from the OS, and again in each forked worker) makes one without the
    # system call that os.urandom or uuid4 costs every request.
    return f"{random.getrandbits(128):032x}"


def assign_request_id() -> None:
    presented = request.headers.get("X-Request-ID")
    g.request_id = presented if presented and SANE_REQUEST_ID.match(presented) else new_request_id()


def echo_request_id(response):
    response.headers["X-Request-ID"] = g.get("request_id") or new_request_id()
    return response


def init_request_id(app: Flask) -> None:
    app.before_request(assign_request_id)
    app.after_request(echo_request_id)
