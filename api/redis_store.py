"""The Redis client shared by sessions, caches and rate limits, and our key naming."""

import redis
from flask import Flask, current_app


def build_redis_client(config) -> redis.Redis:
    """A client with short timeouts, so an outage becomes a quick 503 rather than a hang."""
    return redis.Redis.from_url(
        config["REDIS_URL"],
        socket_timeout=config["REDIS_SOCKET_TIMEOUT"],
        socket_connect_timeout=config["REDIS_SOCKET_TIMEOUT"],
        health_check_interval=30,
    )


def init_redis(app: Flask) -> None:
    app.extensions["redis"] = build_redis_client(app.config)


def redis_client() -> redis.Redis:
    return current_app.extensions["redis"]


def redis_key(*parts: object) -> str:
    """A key under REDIS_KEY_PREFIX, e.g. redis_key("user-sessions", 7) -> conduit:user-sessions:7."""
    return current_app.config["REDIS_KEY_PREFIX"] + ":".join(str(part) for part in parts)
