"""Conditional GETs: every cacheable read sends an ETag, and `If-None-Match` with it gets
`304 Not Modified` with no body.

The ETag is the content: a hash of the exact bytes of the 200's body (which shows the caller's
`favorited` and `following`, so each caller has their own). Working it out needs nothing but
the body, so a plain 200 costs no Redis round trip; the label is exact for the bytes it comes
with; and it holds whatever served the body: Redis down, or a read replica (a lagging
replica's body simply hashes to an older ETag).

A request with If-None-Match first reads, in one Redis round trip and before any SQL, the
generations of the caches whose writes change the body (api/cache: each article, tag, favorite,
follow, profile and comment change bumps one after its commit) and the ETag remembered for this
caller and URL, stamped with the generations it was worked out under. While the stamp still
equals the generations, nothing the body shows has changed: a matching If-None-Match is a 304
with no SQL. Otherwise the view runs (on the primary, from a snapshot opened after that read),
its body's hash answers If-None-Match, and is remembered under the generations read *before*
the SQL. Writers bump after their commit, so a remembered ETag is never newer than what it
labels: a body read just before a change is remembered under the generation that change retires.
A bump that Redis missed (down during the write) is caught up when the remembered entry expires
(CACHE_TTL_SECONDS). With Redis down the revalidation still compares body hashes: a correct 304
or 200, with SQL. `If-None-Match: *` matches any current answer, so only once the view found one
or a current remembered ETag says it did (an unknown slug stays a 404).

Why not flask-smorest's `@blp.etag` / `blp.set_etag` (0.47.0), which its docs offer for this:
its 304 carries no ETag (`set_etag` raises NotModified before it stores it), where RFC 9110
(15.4.5) asks for the ETag, Cache-Control and Vary a 200 would send; it compares If-None-Match
strongly (`etag in request.if_none_match`), so the `W/"..."` that a compressing proxy (nginx)
makes of our tag never matches, though If-None-Match uses the weak comparison (13.1.2); it
hashes the dumped data, not the bytes sent, which a view returning a ready Response (the list
cache) does not have; and it remembers nothing, so each of its 304s costs the SQL and the dump.
The matching and headers are therefore the few lines below; the OpenAPI document gets the 304,
If-None-Match and the headers from `conditional_get` as from any other decorator.

The ETags are strong: one label always comes with the same bytes, and the service compresses
nothing. A proxy that compresses weakens them, which still matches.
"""

import hashlib
import logging
from collections.abc import Callable
from functools import wraps

from flask import Response, current_app, request
from redis.exceptions import RedisError

from api.auth import current_user_id
from api.cache import GenerationCache
from api.db import db
from api.smorest import Blueprint

logger = logging.getLogger("conduit.conditional_gets")

# Anyone may keep the body, no one may reuse it without asking (a revalidation is cheap);
# a signed-in caller's is theirs alone.
SHARED_CACHE_CONTROL = "no-cache"
PRIVATE_CACHE_CONTROL = "private, no-cache"
PER_CALLER_VARY = ("Authorization", "Cookie")


def conditional_get(*caches: GenerationCache, per_caller: bool = True):
    """The GET view answers with the hash of its body as ETag, and with a bodiless 304 when
    If-None-Match holds it; the ETag is remembered under the generations of `caches` (whose bumps
    are every change the body shows). `per_caller`: the body depends on who asks (put the auth
    decorator above this one: it names the caller)."""

    def decorator(view):
        @wraps(view)
        def answer_conditionally(*args, **kwargs):
            caller = current_user_id() if per_caller else None
            if request.if_none_match:
                response, etag = revalidate(lambda: view(*args, **kwargs), caches, caller)
            else:
                response = view(*args, **kwargs)
                etag = etag_of(response)
            return _with_cache_headers(response, etag, caller, per_caller)

        # If-None-Match is added by api.openapi to every operation that may answer 304: a list of
        # parameters given here would replace the view's own instead of joining them.
        headers = ("ETag", "Cache-Control", "Vary") if per_caller else ("ETag", "Cache-Control")
        return Blueprint.doc(
            responses={200: {"headers": {name: name for name in headers}}, 304: "NotModified"},
        )(answer_conditionally)

    return decorator


def etag_of(response: Response) -> str | None:
    """The ETag of a 200: the hash of its exact body. None for any other answer."""
    if response.status_code != 200:
        return None
    return hashlib.blake2b(response.get_data(), digest_size=16).hexdigest()


def remembered_etag_entry(caller: int | None) -> str:
    """The name of the entry that remembers the ETag of this request's answer to `caller`."""
    path = hashlib.blake2b(request.full_path.encode(), digest_size=16).hexdigest()
    return f"etag:{'anon' if caller is None else caller}:{path}"


def revalidate(render: Callable[[], Response], caches: tuple[GenerationCache, ...],
               caller: int | None) -> tuple[Response, str | None]:
    """The answer to a request with If-None-Match, and its ETag: a 304 from the remembered ETag
    while its stamp is current, else from the hash of the body `render()` makes."""
    held = request.if_none_match
    first, *others = caches
    entry = remembered_etag_entry(caller)
    try:
        stamp, remembered = first.read_stamped(entry, *others)
    except RedisError as error:
        logger.warning("no remembered ETag (Redis unavailable), comparing the body's: %s", error)
        stamp, remembered = None, None
    # Weak comparison, as If-None-Match asks: a proxy may have made our tag weak.
    if remembered is not None and held.contains_weak(remembered.decode()):
        return _not_modified(), remembered.decode()
    with db.reads_on_primary():  # not a replica's past, nor a snapshot older than `stamp`
        response = render()
    etag = etag_of(response)
    if etag is None:
        return response, None
    if stamp is not None:
        # Under the generations read before the SQL: a write the body missed bumps them after it.
        first.store_stamped(entry, stamp, etag.encode())
    if held.contains_weak(etag):
        return _not_modified(), etag
    return response, etag


def _not_modified() -> Response:
    response = current_app.response_class(status=304)
    del response.headers["Content-Type"]
    return response


def _with_cache_headers(response: Response, etag: str | None, caller: int | None, per_caller: bool) -> Response:
    if etag is not None:
        response.set_etag(etag)
    response.headers["Cache-Control"] = PRIVATE_CACHE_CONTROL if caller is not None else SHARED_CACHE_CONTROL
    if per_caller:
        response.vary.update(PER_CALLER_VARY)
    return response
