"""Facts about the calling client, for session metadata, the activity log and the access log.

Outside a request (an admin command sending a signal) there is no client: both are None.
"""

from flask import has_request_context, request

from api.fast_paths import unproxied


def client_ip() -> str | None:
    """The client's address; behind proxies, as ProxyFix resolved it from TRUSTED_PROXY_HOPS."""
    return unproxied(request).remote_addr if has_request_context() else None


def client_user_agent() -> str | None:
    if not has_request_context():
        return None
    return (request.user_agent.string or "")[:512]
