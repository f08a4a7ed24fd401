"""GET /metrics: the Prometheus scrape, served to allowed networks or to the metrics token.

A plain Flask blueprint, registered only when METRICS_ENABLED: it serves operators'
scrapers, is no part of the API contract, and so stays out of the OpenAPI document.
"""

import hmac
import ipaddress

from flask import Blueprint, Flask, Response, current_app, request
from flask.views import MethodView

from api.errors import abort
from api.metrics import exposition

blp = Blueprint("metrics", __name__)


class Metrics(MethodView):
    def get(self):
        """The service's metrics in the Prometheus text format"""
        if not (_presents_metrics_token() or _comes_from_allowed_network()):
            abort(403, "Metrics are served only to the allowed networks or with the metrics token.")
        body, content_type = exposition()
        return Response(body, content_type=content_type)


blp.add_url_rule("/metrics", view_func=Metrics.as_view("metrics"))


def _presents_metrics_token() -> bool:
    expected = current_app.config["METRICS_TOKEN"]
    scheme, _, presented = request.headers.get("Authorization", "").partition(" ")
    return bool(expected) and scheme.lower() == "bearer" and hmac.compare_digest(
        presented.strip().encode(), expected.encode()
    )


def _comes_from_allowed_network() -> bool:
    try:
        address = ipaddress.ip_address(request.remote_addr or "")
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped  # a dual-stack socket reports IPv4 callers as ::ffff:a.b.c.d
    return any(address in network for network in current_app.extensions["metrics_allowed_networks"])


def init_metrics_endpoint(app: Flask) -> None:
    """Serve /metrics when METRICS_ENABLED; a malformed METRICS_ALLOWED_NETWORKS fails here, at start."""
    if not app.config["METRICS_ENABLED"]:
        return
    app.extensions["metrics_allowed_networks"] = [
        ipaddress.ip_network(network) for network in app.config["METRICS_ALLOWED_NETWORKS"]
    ]
    app.register_blueprint(blp)
