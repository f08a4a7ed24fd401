"""One structured access-log line per request, from Flask's request_started/request_finished."""

import json
import logging
import time

from flask import Flask, g, request, request_finished, request_started

logger = logging.getLogger("conduit.access")


def stamp_request_start(sender: Flask, **extra) -> None:
    g.request_started_at = time.perf_counter()


def log_request(sender: Flask, response, **extra) -> None:
    started = g.get("request_started_at")
    duration_ms = round((time.perf_counter() - started) * 1000, 2) if started else None
    user = g.get("current_user")
    logger.info(
        json.dumps(
            {
                "requestId": g.get("request_id"),
                "method": request.method,
                "path": request.path,
                "route": request.url_rule.rule if request.url_rule else None,
                "status": response.status_code,
                "durationMs": duration_ms,
                "queries": g.get("query_count", 0),
                "userId": user["id"] if user else None,
                "ip": request.remote_addr,
            }
        )
    )


def connect(app: Flask) -> None:
    # weak=False: the receivers are module functions and must live as long as the app.
    request_started.connect(stamp_request_start, app, weak=False)
    request_finished.connect(log_request, app, weak=False)
