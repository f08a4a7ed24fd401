"""One access-log line per request, written when Flask sends request_finished.

The line is built from chosen fields only: never headers, cookies, query strings or bodies,
so no password, token or cookie can reach the log. The route is the URL rule's template
(`/api/profiles/<username>`), not the path.
"""

import logging
import time

from flask import g, request, request_finished, request_started

logger = logging.getLogger("conduit.access")


def stamp_request_start(sender, **extra) -> None:
    g.request_started_at = time.perf_counter()


def log_request(sender, response, **extra) -> None:
    started = g.get("request_started_at")
    duration_ms = round((time.perf_counter() - started) * 1000, 2) if started else None
    user = g.get("current_user")
    route = request.url_rule.rule if request.url_rule else None
    logger.info(
        "%s %s %s %sms",
        request.method,
        route or "(no route)",
        response.status_code,
        duration_ms,
        extra={
            "method": request.method,
            "route": route,
            "status": response.status_code,
            "duration_ms": duration_ms,
            "sql_queries": g.get("query_count", 0),
            "user_id": user["id"] if user else None,
            "client_ip": request.remote_addr,  # as ProxyFix resolved it (TRUSTED_PROXY_HOPS)
        },
    )


RECEIVERS = [(request_started, stamp_request_start), (request_finished, log_request)]
