"""The Conduit API application factory."""

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from api.cli import register_commands
from api.cors import init_cors
from api.csrf import init_csrf
from api.db import db
from api.docs_ui import init_docs_ui
from api.fast_paths import FlaskRememberingSyncFunctions
from api.json_provider import OrjsonProvider
from api.logging_setup import configure_logging
from api.rate_limits import init_rate_limits
from api.receivers import connect_receivers
from api.redis_store import init_redis
from api.request_id import init_request_id
from api.resources import activity, articles, comments, favorites, health, profiles, sessions, tags, users
from api.resources.metrics import init_metrics_endpoint
from api.security_headers import init_security_headers
from api.sessions import init_sessions
from api.slugs import ArticleSlugConverter
from api.smorest import ConduitApi
from schemas.base import Timestamp
from settings import Config, config_for_environment

BLUEPRINTS = (
    users.blp, sessions.blp, activity.blp, profiles.blp, articles.blp, favorites.blp, comments.blp, tags.blp,
    health.blp,
)


def create_app(config: type[Config] | None = None, overrides: dict | None = None) -> Flask:
    app = FlaskRememberingSyncFunctions(__name__)
    app.config.from_object(config or config_for_environment())
    app.config.update(overrides or {})
    _check_config(app)
    configure_logging(app.config)
    app.json = OrjsonProvider(app)
    app.json.mimetype = "application/json; charset=utf-8"
    app.json.sort_keys = False
    # request.remote_addr is the client only as far as trusted proxies say so: X-Forwarded-*
    # is read from exactly TRUSTED_PROXY_HOPS proxies, and ignored when it is 0.
    if app.config["TRUSTED_PROXY_HOPS"]:
        hops = app.config["TRUSTED_PROXY_HOPS"]
        # Flask's documented way to add WSGI middleware; its typing declares wsgi_app a method only.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)  # type: ignore[method-assign]

    db.init_app(app)
    init_redis(app)
    app.config["SESSION_REDIS"] = app.extensions["redis"]
    init_sessions(app)

    app.url_map.converters["slug"] = ArticleSlugConverter
    smorest_api = ConduitApi(app)
    smorest_api.register_field(Timestamp, "string", "date-time")
    for blueprint in BLUEPRINTS:
        smorest_api.register_blueprint(blueprint)

    init_metrics_endpoint(app)
    init_rate_limits(app)
    init_cors(app)
    init_security_headers(app)
    init_docs_ui(app)
    init_request_id(app)
    init_csrf(app)
    connect_receivers(app)
    register_commands(app)
    return app


def _check_config(app: Flask) -> None:
    if app.config["APP_ENV"] == "production" and not app.config["SECRET_KEY"]:
        raise RuntimeError("SECRET_KEY must be set in production (APP_ENV=production)")
    if app.config["REDIS_SENTINELS"] and app.config["REDIS_CLUSTER_NODES"]:
        raise RuntimeError("Set REDIS_SENTINELS or REDIS_CLUSTER_NODES, not both")
