"""One access-log line per request, written when Flask sends request_finished.

The line is built from chosen fields only: never headers, cookies, query strings or bodies,
so no password, token or cookie can reach the log. The route is the URL rule's template
(`/api/profiles/<username>`), not the path.
"""

import logging

from flask import g, request, request_finished

from api.client import client_ip
from api.db import db
from api.fast_paths import unproxied
from api.receivers.request_facts import request_duration_seconds, route_template

logger = logging.getLogger("conduit.access")


def log_request(sender, response, **extra) -> None:
    duration = request_duration_seconds()
    duration_ms = round(duration * 1000, 2) if duration is not None else None
    method, route, status = unproxied(request).method, route_template(), response.status_code
    logger.info(
        "%s %s %s %sms",
        method,
        route or "(no route)",
        status,
        duration_ms,
        extra={
            "method": method,
            "route": route,
            "status": status,
            "duration_ms": duration_ms,
            "sql_queries": db.context().query_count,
            "user_id": unproxied(g).get("current_user_id"),
            "client_ip": client_ip(),
        },
    )


RECEIVERS = [(request_finished, log_request)]
