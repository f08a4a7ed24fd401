"""Conditional GETs: every cacheable read sends an ETag, and `If-None-Match` with it gets
`304 Not Modified` with no body, for one Redis read and no SQL.

The ETag is worked out before the view runs, from what decides the body: the generations of
the caches whose writes change it (api/cache: each article, tag, favorite, follow, profile and
comment change bumps one after its commit), the caller (the body shows their `favorited` and
`following`), and the URL with its query. The reader reads the generations before MySQL and
writers bump after their commit, so an ETag is never newer than the content it labels: a body
read just before a change carries the generation that change retires. A bump that Redis missed
(down during the write) is caught up by CACHE_TTL_SECONDS, as for cache entries: the ETag also
names the TTL period it was made in. `If-None-Match: *` matches any current answer, so it gets
its 304 only after the view found one (an unknown slug stays a 404).

No ETag (a plain 200) when the generations cannot be read (Redis down), nor when the body came
from a read replica: a replica may lag behind the generation read first, so nothing dates its
snapshot (with replicas configured, only reads sent to the primary get ETags).

Why not flask-smorest's `@blp.etag` / `blp.set_etag` (0.47.0), which its docs offer for this:
its 304 carries no ETag (`set_etag` raises NotModified before it stores it), where RFC 9110
(15.4.5) asks for the ETag, Cache-Control and Vary a 200 would send; it compares If-None-Match
strongly (`etag in request.if_none_match`), so the `W/"..."` that a compressing proxy (nginx)
makes of our tag never matches, though If-None-Match uses the weak comparison (13.1.2); and
when `set_etag` was not called it hashes the dumped body, which we do not want with Redis down
and which a view returning a ready Response (the list cache) does not have. The matching and
headers are therefore the few lines below; the OpenAPI document gets the 304, If-None-Match
and the headers from `conditional_get` as from any other decorator.

The ETags are strong: one label always comes with the same bytes (orjson, fixed key order), and
the service compresses nothing. A proxy that compresses weakens them, which still matches.
"""

import hashlib
import logging
import time
from functools import wraps

from flask import Response, current_app, request
from redis.exceptions import RedisError

from api.auth import current_user_id
from api.cache import GenerationCache, current_generations
from api.db import db
from api.smorest import Blueprint

logger = logging.getLogger("conduit.conditional_gets")

# Anyone may keep the body, no one may reuse it without asking (a revalidation is cheap);
# a signed-in caller's is theirs alone.
SHARED_CACHE_CONTROL = "no-cache"
PRIVATE_CACHE_CONTROL = "private, no-cache"
PER_CALLER_VARY = ("Authorization", "Cookie")


def conditional_get(*caches: GenerationCache, per_caller: bool = True):
    """The GET view answers with an ETag from the generations of `caches` (whose bumps are every
    change its body shows) and with a bodiless 304 when If-None-Match holds it. `per_caller`:
    the body depends on who asks (put the auth decorator above this one: it names the caller)."""

    def decorator(view):
        @wraps(view)
        def answer_conditionally(*args, **kwargs):
            caller = current_user_id() if per_caller else None
            etag = current_etag(caches, caller)
            held = request.if_none_match
            # Weak comparison, as If-None-Match asks: a proxy may have made our tag weak.
            if etag is not None and (held.is_strong(etag) or held.is_weak(etag)):
                return _with_cache_headers(_not_modified(), etag, caller, per_caller)
            response = view(*args, **kwargs)
            if any(pool != "primary" for pool in db.context().queries_by_pool):
                etag = None  # read on a replica: see the module's docstring
            elif etag is not None and held.star_tag:
                # `*` matches any current answer, so only once the view has found one (no 404).
                response = _not_modified()
            return _with_cache_headers(response, etag, caller, per_caller)

        # If-None-Match is added by api.openapi to every operation that may answer 304: a list of
        # parameters given here would replace the view's own instead of joining them.
        headers = ("ETag", "Cache-Control", "Vary") if per_caller else ("ETag", "Cache-Control")
        return Blueprint.doc(
            responses={200: {"headers": {name: name for name in headers}}, 304: "NotModified"},
        )(answer_conditionally)

    return decorator


def current_etag(caches: tuple[GenerationCache, ...], caller: int | None) -> str | None:
    """The ETag of this request's answer as things stand; None when Redis cannot tell."""
    try:
        generations = current_generations(*caches)
    except RedisError as error:
        logger.warning("no ETag: the generations cannot be read: %s", error)
        return None
    period = int(time.time()) // current_app.config["CACHE_TTL_SECONDS"]
    label = b"|".join((*generations, str(caller).encode(), str(period).encode(), request.full_path.encode()))
    return hashlib.blake2b(label, digest_size=16).hexdigest()


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
