"""The activity log: one account_events row per security event, written from our signals.

The services announce what happened; this receiver decides what is worth recording, and takes
the IP and user agent from the request that caused it. Recording is part of the change it
records (REQUIRED): its errors reach the sender, and roll back the sender's transaction.
"""

from flask import Flask

from api.client import client_ip, client_user_agent
from api.data.account_events import insert_account_events
from api.signals import (
    password_changed,
    session_revoked,
    user_logged_in,
    user_logged_out,
    user_login_failed,
    user_registered,
)

EVENT_TYPE_BY_SIGNAL = {
    user_registered: "registered",
    user_logged_in: "login",
    user_login_failed: "login_failed",
    user_logged_out: "logout",
    password_changed: "password_changed",
    session_revoked: "session_revoked",
}


def _event_recorder(event_type: str):
    def record(sender: Flask, *, user: dict | None = None, session_ids=None, reason=None, **extra) -> None:
        if user is None:  # a failed login for an email no account has: nobody to tell
            return
        count = len(session_ids) if session_ids is not None else 1  # one event per session ended
        insert_account_events(user["id"], event_type, client_ip(), client_user_agent() or None,
                              reason=reason, count=count)

    record.__name__ = f"record_{event_type}"
    return record


REQUIRED = True
RECEIVERS = [(signal, _event_recorder(event_type)) for signal, event_type in EVENT_TYPE_BY_SIGNAL.items()]
