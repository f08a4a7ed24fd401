"""Server-side sessions: Flask-Session's Redis backend, reachable by cookie or by token.

Flask-Session 0.8 finds a session only through its cookie and stores every session with the
app-wide lifetime. Our interface extends it in four ways:

- `Authorization: Token <sid>` (or `Bearer <sid>`) finds the same session as the cookie;
- it records what it saw (credential presented, rejected, or Redis unreachable) so that
  `api.auth` can answer 401 or 503 instead of silently treating the caller as anonymous;
- a session's lifetime is its own: the long one, or the short one for `remember: false`;
- every write also lists the session in its user's index (a sorted set scored by expiry),
  so a user's sessions are listed and revoked without scanning the keyspace;
- a session is created once, when login or registration stores it (`store_now`); every later
  write only updates it (SET XX), so a request still in flight when its session is revoked
  cannot bring it back by saving it afterwards;
- a session dies at its sliding expiry or SESSION_ABSOLUTE_LIFETIME after its login, whichever
  comes first;
- what is read back from Redis is decoded as msgpack and nothing else: Flask-Session's own
  decoder falls back to `pickle.loads`, which would run the code of anyone who can write one
  key. A value that is not a msgpack map is a dead session (401), logged;
- the end-of-request save of a stored session (the lastSeenAt touch) never fails the request:
  the request's own writes are done by then, and a 503 would make the client repeat them;
- its client may be a RedisCluster (see api/redis_store.py), not only a redis.Redis.

In a Redis Cluster a session (`SESSION_KEY_PREFIX + token`, as the contract names it) and its
user's index live in different hash slots; nothing here needs them changed atomically (see
`_upsert_session` and api/data/sessions.py).
"""

import hashlib
import logging
import secrets
import time
from typing import Any, cast

import flask
import msgspec
from flask import Flask, Request, Response
from flask_session.base import Serializer
from flask_session.redis import RedisSession, RedisSessionInterface
from redis.exceptions import RedisError

from api.compat import init_server_side_session_interface
from api.fast_paths import authorization_header, request_cookie

logger = logging.getLogger("conduit.sessions")


class UnreadableSession(ValueError):
    """A value under a session key that is not a session we wrote."""


class SessionSerializer(Serializer):
    """msgpack maps in, msgpack maps out; anything else is refused, never unpickled."""

    def __init__(self):
        self._encoder = msgspec.msgpack.Encoder()
        self._decoder = msgspec.msgpack.Decoder(dict[str, Any])

    def encode(self, session) -> bytes:
        return self._encoder.encode(dict(session))

    def decode(self, serialized_data: bytes) -> dict:
        try:
            return self._decoder.decode(serialized_data)
        except msgspec.DecodeError as error:  # ValidationError (not a map) is a DecodeError too
            raise UnreadableSession(str(error)) from None


class ConduitSession(RedisSession):
    """A Redis session plus what was learned while opening it."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.credential_presented = False  # a cookie or token came with the request
        self.credential_rejected = False  # ... and it names no live session
        self.store_error: Exception | None = None  # Redis could not be asked
        self.from_header = False  # found through Authorization, so never answered with a cookie
        self.stored = False  # in Redis already: saving may update it but never recreate it
        self.discarded = False  # dropped by a failed login or registration: never saved, no cookie

    def restart(self, sid: str) -> None:
        """Continue as a brand-new session under `sid` (login): nothing presented is kept."""
        self.sid = sid
        self.from_header = False
        self.credential_rejected = False
        self.stored = False
        # Whether the old session could be read no longer matters: saving the new one (at the
        # end of the request) tells whether Redis is up, and answers 503 if it is not.
        self.store_error = None

    @property
    def public_id(self) -> str:
        return public_session_id(self.sid)


def public_session_id(sid: str) -> str:
    """The id shown in session lists: derived from the token, but useless as one."""
    return hashlib.sha256(sid.encode()).hexdigest()[:32]


def user_sessions_key(key_prefix: str, user_id: int | str) -> str:
    """The key of a user's session index; `user_id` may also be a glob ("*") matching every user's."""
    return f"{key_prefix}user-sessions:{user_id}"


class ConduitSessionInterface(RedisSessionInterface):
    session_class = ConduitSession

    def __init__(self, app: Flask, client, **options):
        # Any client, a RedisCluster too: Flask-Session's Redis constructor would swap it.
        init_server_side_session_interface(self, app, **options)
        self.client = client
        self.serializer = SessionSerializer()

    def open_session(self, app: Flask, request: Request) -> ConduitSession:
        sid, from_header = presented_session_id(app, request)
        if sid is None:
            return self._new_session()
        try:
            data = self._retrieve_session_data(self.store_key(sid)) if sid else None
        except RedisError as error:
            session = self._new_session(presented=True, from_header=from_header)
            session.store_error = error
            return session
        except UnreadableSession as error:
            logger.warning("refused session %s: its stored value is not a session (%s)",
                           public_session_id(sid), error)
            data = None
        if data is not None and self._past_absolute_end(data, time.time()):
            data = None
        if data is None:
            session = self._new_session(presented=True, from_header=from_header)
            session.credential_rejected = True
            return session
        session = self.session_class(data, sid=sid)
        session.credential_presented = True
        session.from_header = from_header
        session.stored = True
        return session

    def _new_session(self, *, presented: bool = False, from_header: bool = False) -> ConduitSession:
        # No id yet: most new sessions (anonymous reads) are never stored, and an id costs a
        # read of the OS's random source. `save_session` gives one to a new session it stores.
        session = self.session_class(sid=None, permanent=self.permanent)
        session.credential_presented = presented
        session.from_header = from_header
        return session

    def new_session_id(self) -> str:
        return secrets.token_urlsafe(self.sid_length)

    def store_key(self, sid: str) -> str:
        """The Redis key of session `sid` (SESSION_KEY_PREFIX + its token)."""
        return self.key_prefix + sid

    def save_session(self, app: Flask, session: ConduitSession, response: Response) -> None:
        if session.store_error is not None or session.discarded:
            return  # Redis is down, or the login failed: nothing to save, and no cookie to set
        if session.credential_rejected and not session.from_header and not session:
            # A stale cookie: tell the browser to drop it, so its next request is anonymous.
            response.delete_cookie(
                app.config["SESSION_COOKIE_NAME"],
                domain=self.get_cookie_domain(app),
                path=self.get_cookie_path(app),
            )
            return
        if not self.should_set_storage(app, session):
            # Nothing to store, so no cookie to set either (SESSION_REFRESH_EACH_REQUEST is off):
            # of Flask-Session's work only the Vary header is left, without its cookie settings.
            if session.accessed:
                response.vary.add("Cookie")
            return
        if session.sid is None:
            session.sid = self.new_session_id()
        try:
            super().save_session(app, session, response)
        except RedisError as error:
            if session.stored:
                # Only the touch (lastSeenAt, sliding expiry) or a deletion that the revocation
                # already made is left to write: the request's outcome does not depend on it.
                logger.warning("session %s not refreshed: %r", session.public_id, error)
                return
            # Flask turns this into a 500 whose handler answers 503, then saves the session
            # again while finalizing that error response: remember the outage so it does not.
            session.store_error = error
            raise

    def should_set_cookie(self, app: Flask, session: ConduitSession) -> bool:
        # API clients that authenticate by header get no cookie they did not ask for.
        return session.modified and not session.from_header

    def store_now(self, session: ConduitSession) -> None:
        """Create `session` in Redis now (see api.services.sessions.start_session); from here on it is only
        ever updated, so a revocation that deletes it is final."""
        self._upsert_session(self.app.permanent_session_lifetime, session, self.store_key(session.sid))
        session.stored = True

    def lifetime_seconds(self, session: ConduitSession) -> int:
        if session.permanent:
            return int(self.app.permanent_session_lifetime.total_seconds())
        return int(self.app.config["SESSION_SHORT_LIFETIME"].total_seconds())

    def _absolute_end(self, data) -> float | None:
        """When the session dies whatever its activity (None: no login time, nothing to end)."""
        created_at = data.get("created_at")
        if created_at is None:
            return None
        return created_at + self.app.config["SESSION_ABSOLUTE_LIFETIME"].total_seconds()

    def _past_absolute_end(self, data: dict, now: float) -> bool:
        absolute_end = self._absolute_end(data)
        return absolute_end is not None and now >= absolute_end

    def _upsert_session(self, session_lifetime, session: ConduitSession, store_id: str) -> None:
        now = time.time()
        ttl = self.lifetime_seconds(session)
        absolute_end = self._absolute_end(session)
        if absolute_end is not None:
            ttl = min(ttl, int(absolute_end - now))  # rounded down: Redis drops it in time
        if ttl <= 0:
            return  # at its absolute end: it dies rather than being written again
        expires_at = now + ttl
        session["expires_at"] = expires_at
        payload = self.serializer.encode(session)
        # XX (only if it still exists) for a session that was loaded: if it was revoked while
        # this request ran, it stays revoked.
        if not self.client.set(store_id, payload, ex=ttl, xx=session.stored):
            return
        user_id = session.get("user_id")
        if user_id is None:
            return
        # No MULTI (the two keys are in different cluster slots, and need not be): the session key
        # is the truth and the index only points at it, so a revocation or crash between the two
        # writes leaves at worst an index entry that listing drops later. The pipeline's two
        # commands touch the index alone.
        index = user_sessions_key(self.app.config["REDIS_KEY_PREFIX"], user_id)
        pipe = self.client.pipeline(transaction=False)
        pipe.zadd(index, {session.sid: expires_at})
        # The index outlives the longest session it can list.
        pipe.expire(index, int(self.app.permanent_session_lifetime.total_seconds()) + 60)
        pipe.execute()


def presented_session_id(app: Flask, request: Request) -> tuple[str | None, bool]:
    """The session id the caller presented, and whether it came from the Authorization header.

    An Authorization header that is not `Token x` / `Bearer x` counts as a presented, bad id ("").
    """
    authorization = authorization_header(request)
    if authorization is not None:
        scheme, _, token = authorization.strip().partition(" ")
        token = token.strip()
        if scheme.lower() in ("token", "bearer") and token and len(token) <= 128:
            return token, True
        return "", True
    cookie = request_cookie(request, app.config["SESSION_COOKIE_NAME"])
    if cookie:
        return cookie, False
    return None, False


# Flask types its `session` proxy as a SessionMixin and `app.session_interface` as a
# SessionInterface; in this app they are always the two classes above.
session = cast(ConduitSession, flask.session)


def session_interface() -> ConduitSessionInterface:
    """The running app's session interface, as the class it is."""
    return cast(ConduitSessionInterface, flask.current_app.session_interface)


def init_sessions(app: Flask) -> None:
    """Serve Flask's `session` from Redis through our interface, configured from SESSION_* settings."""
    config = app.config
    app.session_interface = ConduitSessionInterface(
        app,
        client=config["SESSION_REDIS"],
        key_prefix=config["SESSION_KEY_PREFIX"],
        use_signer=False,
        permanent=True,
        sid_length=config["SESSION_ID_LENGTH"],
    )
