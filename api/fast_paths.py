"""The micro-optimisations on the request path that earned their place, and nothing else.

Each one saves at least 2% of the instructions per request of some `make bench-instructions`
scenario against its plain version; the figure beside each is instructions per request,
plain → with it (callgrind, deterministic to ~0.2%; docs/performance.md has the whole table
and the code each was measured on). Those that saved less were
written plainly: webargs reading Flask's request proxy, the X-Request-ID header through
werkzeug, `Vary: Cookie` through werkzeug's header set, logging's caller lookup
(`logging._srcfile`), and the proxies read by the request id, CSRF, conditional GETs, the
security headers and the Redis helpers.
"""

from functools import wraps
from types import FunctionType
from typing import Any, TypeVar, cast

from flask import Flask, Request, Response, request
from flask.typing import AfterRequestCallable
from werkzeug.datastructures import Headers


class FlaskRememberingSyncFunctions(Flask):
    """Flask, remembering which of its hooks and views are coroutine functions.

    profile_auth 1,887k → 1,840k (2.5%); profile 1,620k → 1,589k (1.9%).

    Flask asks `inspect.iscoroutinefunction` of every hook and view it calls, on every request
    (15 times for a profile read). Ours are plain functions that never change once registered,
    so the answer is kept per function, through `ensure_sync`, which Flask documents as the
    method to override. Bound methods (a MethodView's handler, made anew per request) are
    still asked each time.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._sync_functions = {}

    def ensure_sync(self, func):
        if type(func) is not FunctionType:
            return super().ensure_sync(func)
        sync = self._sync_functions.get(func)
        if sync is None:
            sync = self._sync_functions[func] = super().ensure_sync(func)
        return sync


T = TypeVar("T")


def unproxied(proxy: T) -> T:
    """The object behind one of Flask's proxies (`g`, `request`, `current_app`, `session`), for
    code that runs on every request: on Python 3.11 each attribute read through a werkzeug proxy
    first fails on the proxy itself, building an AttributeError message, then forwards
    (`g.get(name)` ~2.2 µs here, through the object 0.4 µs).

    api.auth reading the session and `g` once per function: profile 1,888k → 1,834k (2.8%);
    profile_auth 2,075k → 2,031k (2.1%). The database context and the pool (api/db_context.py,
    api/db.py, api/db_routing.py): profile 1,651k → 1,610k (2.5%). The access log and the facts
    it reads (api/receivers/access_log.py, api/receivers/request_facts.py, api/client.py, the
    log filter): profile 1,644k → 1,604k (2.4%).
    """
    return cast(Any, proxy)._get_current_object()


# The two below together, in api.sessions.presented_session_id: profile (anonymous: neither
# header) 1,888k → 1,830k (3.1%). werkzeug's header and cookie lookups raise and catch an
# exception for every absent name, and parse the Cookie header of a request that has none.


def authorization_header(request: Request) -> str | None:
    """`request.headers.get("Authorization")`, read from the WSGI environ."""
    return request.environ.get("HTTP_AUTHORIZATION")


def request_cookie(request: Request, name: str) -> str | None:
    """`request.cookies.get(name)`, without parsing cookies when the request sent none."""
    return request.cookies.get(name) if "HTTP_COOKIE" in request.environ else None


def present_header_names(headers: Headers) -> set[str]:
    """The lower-cased names of `headers`, in one pass: then an absent header is appended with
    `add`. `Headers.setdefault` and `in` scan the headers per name and raise a KeyError inside
    for every absent one.

    api.security_headers (four headers on every response): profile 1,878k → 1,788k (4.8%);
    profile_auth 2,077k → 1,974k (5.0%); tags 1,456k → 1,362k (6.5%).
    """
    return {name.lower() for name, _value in headers}


def only_for_cross_origin_requests(cors_hook: AfterRequestCallable) -> AfterRequestCallable:
    """flask-cors' after_request hook, not called for a request without an Origin header, to
    which it adds no header (with CORS_ALWAYS_SEND off; api.cors wraps it only then). It still
    matches the path, looks for two absent headers and logs three debug lines first.

    profile 2,002k → 1,936k (3.3%).
    """

    @wraps(cors_hook)
    def cors_when_asked(response: Response) -> Any:
        if "HTTP_ORIGIN" not in request.environ:
            return response
        return cors_hook(response)

    return cors_when_asked
