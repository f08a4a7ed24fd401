"""Account events: the security log behind GET /api/user/activity."""

from api.db import db


def insert_account_events(user_id: int, event_type: str, ip: str | None, user_agent: str | None,
                          *, reason: str | None = None, count: int = 1) -> None:
    """Record `count` events of one type for a user (e.g. one per revoked session), in one statement."""
    db.execute_many(
        "INSERT INTO account_events (user_id, type, reason, ip, user_agent, created_at)"
        " VALUES (%s, %s, %s, %s, %s, UTC_TIMESTAMP(3))",
        [(user_id, event_type, reason, ip, user_agent)] * count,
    )


def fetch_account_events_page(user_id: int, limit: int, offset: int) -> list[dict]:
    """One page of a user's events, newest first."""
    return db.fetch_all(
        "SELECT type, reason, ip, user_agent, created_at FROM account_events"
        " WHERE user_id = %s ORDER BY id DESC LIMIT %s OFFSET %s",
        (user_id, limit, offset),
    )


def count_account_events(user_id: int) -> int:
    """How many events a user has in all."""
    return db.fetch_present("SELECT COUNT(*) AS events FROM account_events WHERE user_id = %s", (user_id,))["events"]
