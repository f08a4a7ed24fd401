"""GET /api/health: can this instance reach MySQL and Redis right now?"""

import time

from flask import current_app
from flask.views import MethodView

from api.db import db
from api.errors import DEPENDENCY_ERRORS
from api.redis_store import redis_client
from api.smorest import Blueprint
from schemas.health import HealthSchema

blp = Blueprint("health", __name__, url_prefix="/api", description="Liveness of the service and its dependencies.")


def _timed_check(check) -> dict:
    started = time.perf_counter()
    try:
        check()
    except DEPENDENCY_ERRORS as error:
        return {"status": "down", "error": type(error).__name__}
    return {"status": "ok", "latencyMs": round((time.perf_counter() - started) * 1000, 2)}


@blp.route("/health")
class Health(MethodView):
    @blp.response(200, HealthSchema)
    @blp.alt_response(503, schema=HealthSchema, description="MySQL or Redis is down.",
                      headers={"Retry-After": "Retry-After"})
    @blp.doc(operationId="GetHealth", security=[])
    def get(self):
        """Check the service's dependencies

        200 when MySQL and Redis both answer, else 503 (with Retry-After) and the same body,
        which says which one is down. Load balancers can poll it.
        """
        with db.reads_on_primary():  # the instance is healthy when it can write; replicas only stand in
            mysql = _timed_check(lambda: db.fetch_one("SELECT 1"))
        mysql["pool"] = db.pool_status()
        redis = _timed_check(lambda: redis_client().ping())
        healthy = mysql["status"] == redis["status"] == "ok"
        body = {"status": "ok" if healthy else "unavailable", "mysql": mysql, "redis": redis}
        if healthy:
            return body
        return body, 503, {"Retry-After": str(current_app.config["RETRY_AFTER_SECONDS"])}
