"""The Conduit API application factory."""

import logging

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from api.cli import register_commands
from api.db import db
from api.receivers import connect_receivers
from api.redis_store import init_redis
from api.request_id import init_request_id
from api.resources import articles, comments, favorites, health, profiles, tags, users
from api.sessions import ConduitSessionExtension
from api.smorest import ConduitApi, register_security_schemes
from schemas.base import Timestamp
from settings import Config, config_for_environment

BLUEPRINTS = (users.blp, health.blp, profiles.blp, articles.blp, favorites.blp, comments.blp, tags.blp)


def create_app(config: type[Config] | None = None, overrides: dict | None = None) -> Flask:
    app = Flask(__name__)
    app.config.from_object(config or config_for_environment())
    app.config.update(overrides or {})
    _check_config(app)
    logging.basicConfig(level=app.config["LOG_LEVEL"], format="%(message)s")
    app.json.mimetype = "application/json; charset=utf-8"
    app.json.sort_keys = False
    if app.config["TRUSTED_PROXY_HOPS"]:
        hops = app.config["TRUSTED_PROXY_HOPS"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)

    db.init_app(app)
    init_redis(app)
    app.config["SESSION_REDIS"] = app.extensions["redis"]
    ConduitSessionExtension(app)

    smorest_api = ConduitApi(app)
    smorest_api.register_field(Timestamp, "string", "date-time")
    register_security_schemes(smorest_api.spec)
    for blueprint in BLUEPRINTS:
        smorest_api.register_blueprint(blueprint)

    init_request_id(app)
    connect_receivers(app)
    register_commands(app)
    return app


def _check_config(app: Flask) -> None:
    if app.config["APP_ENV"] == "production" and not app.config["SECRET_KEY"]:
        raise RuntimeError("SECRET_KEY must be set in production (APP_ENV=production)")
