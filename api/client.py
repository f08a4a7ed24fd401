"""Facts about the calling client, for session metadata and the activity log."""

from flask import request


def client_ip() -> str | None:
    """The client's address; behind proxies, as ProxyFix resolved it from TRUSTED_PROXY_HOPS."""
    return request.remote_addr


def client_user_agent() -> str:
    return (request.user_agent.string or "")[:512]
