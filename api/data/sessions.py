"""Sessions in Redis: a user's live sessions, found through the per-user index that
api/sessions.py keeps, and ending them.

The index is a sorted set of session ids scored by expiry time: expired ids are trimmed by
score before every read, and ids whose session key is gone (revoked elsewhere) are dropped
when listed. Nothing here scans the keyspace.

In a Redis Cluster a user's index and their sessions sit in different hash slots, so nothing
here is atomic across them, and nothing needs to be: the session key is the truth, the index
only points at it. Revoking deletes the session (the token dies there) and only then, in a
second round trip, its index entry: a failure in between leaves an entry that `list_sessions`
drops, never a live session the index forgot. Pipelines are non-transactional (a cluster
client splits them per node, in no set order), and several sessions are read with one GET
each in a pipeline, since MGET across slots fails in a cluster.
"""

import itertools
import re
import time

from flask import current_app

from api.sessions import UnreadableSession, public_session_id, session_interface, user_sessions_key


def _index_key(user_id: int) -> str:
    return user_sessions_key(current_app.config["REDIS_KEY_PREFIX"], user_id)


def _client():
    return session_interface().client


def _live_session_ids(user_id: int) -> list[str]:
    """The ids in the user's index that have not expired (expired ones are removed on the way)."""
    client, index = _client(), _index_key(user_id)
    pipe = client.pipeline(transaction=False)
    pipe.zremrangebyscore(index, "-inf", time.time())
    pipe.zrange(index, 0, -1)
    _, sids = pipe.execute()
    return [sid.decode() for sid in sids]


def list_sessions(user_id: int) -> list[dict]:
    """The user's live sessions, newest first: their data plus `sid` and `public_id`."""
    return _read_sessions(user_id, _live_session_ids(user_id))


def _read_sessions(user_id: int, sids: list[str]) -> list[dict]:
    """The data of the sessions `sids` that are still alive (newest first); index entries of
    the others are dropped."""
    if not sids:
        return []
    client = _client()
    interface = session_interface()
    pipe = client.pipeline(transaction=False)
    for sid in sids:
        pipe.get(interface.store_key(sid))
    payloads = pipe.execute()
    decode = interface.serializer.decode
    sessions, gone = [], []
    for sid, payload in zip(sids, payloads):
        try:
            data = decode(payload) if payload is not None else None
        except UnreadableSession:
            data = None  # refused when presented (api/sessions.py), so not a live session either
        if data is None:
            gone.append(sid)
            continue
        sessions.append({**data, "sid": sid, "public_id": public_session_id(sid)})
    if gone:
        client.zrem(_index_key(user_id), *gone)
    sessions.sort(key=lambda data: data.get("created_at", 0), reverse=True)
    return sessions


def find_session_id(user_id: int, public_id: str) -> str | None:
    """The token of the user's live session shown as `public_id`, or None (also for anyone
    else's session: only this user's index is searched)."""
    for sid in _live_session_ids(user_id):
        if public_session_id(sid) == public_id:
            return sid
    return None


def revoke_session(user_id: int | None, sid: str) -> None:
    """End one session: its token and cookie are refused from the next request on (an
    anonymous session, `user_id` None, is in no index)."""
    client = _client()
    client.delete(session_interface().store_key(sid))
    if user_id is not None:
        client.zrem(_index_key(user_id), sid)


def revoke_sessions_except(user_id: int, keep_sid: str | None) -> list[str]:
    """End every live session of the user but `keep_sid` (None: all); returns the public ids
    of the sessions that were still alive and are now ended."""
    return _revoke_sessions(user_id, [sid for sid in _live_session_ids(user_id) if sid != keep_sid])


def revoke_least_recently_used(user_id: int, keep_sid: str, limit: int) -> list[str]:
    """Hold the user to `limit` live sessions: end the least recently used ones beyond it
    (never `keep_sid`); returns the public ids ended. Costs one round trip while under it."""
    sids = _live_session_ids(user_id)
    if len(sids) <= limit:
        return []
    others = [item for item in _read_sessions(user_id, sids) if item["sid"] != keep_sid]
    others.sort(key=lambda data: data.get("last_seen_at", 0))
    excess = len(others) + 1 - limit
    return _revoke_sessions(user_id, [item["sid"] for item in others[:excess]])


def _revoke_sessions(user_id: int, doomed: list[str]) -> list[str]:
    if not doomed:
        return []
    client = _client()
    store_key = session_interface().store_key
    pipe = client.pipeline(transaction=False)
    for sid in doomed:
        pipe.delete(store_key(sid))
    deleted = pipe.execute()
    client.zrem(_index_key(user_id), *doomed)
    # An index entry whose key was already gone (revoked by a racing request) ended nothing here.
    return [public_session_id(sid) for sid, existed in zip(doomed, deleted) if existed]


def purge_expired_session_ids() -> tuple[int, int]:
    """Trim expired ids from every user's index under our REDIS_KEY_PREFIX; returns (indexes, ids removed)."""
    client, now = _client(), time.time()
    # SCAN only our own indexes (never the whole keyspace's other tenants), a page at a time.
    pattern = user_sessions_key(_glob_escape(current_app.config["REDIS_KEY_PREFIX"]), "*")
    index_keys = client.scan_iter(match=pattern, count=500)
    indexes = removed = 0
    while batch := list(itertools.islice(index_keys, 500)):
        pipe = client.pipeline(transaction=False)
        for key in batch:
            pipe.zremrangebyscore(key, "-inf", now)
        removed += sum(pipe.execute())
        indexes += len(batch)
    return indexes, removed


def _glob_escape(text: str) -> str:
    """`text` as a literal inside a Redis MATCH pattern."""
    return re.sub(r"([*?\[\]\\])", r"\\\1", text)
