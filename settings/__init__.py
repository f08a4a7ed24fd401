"""Configuration, read once from the environment (and an optional `.env`).

Every setting has a documented default; the README's configuration table lists them all.
`APP_ENV` picks the variant: development (default), test or production.
"""

import secrets
from datetime import timedelta

from settings.environment import env_bool, env_int, env_list, env_seconds, env_str


class Config:
    APP_ENV = "development"
    DEBUG = False
    TESTING = False

    # --- server
    HOST = env_str("HOST", "127.0.0.1")
    PORT = env_int("PORT", 8000)
    # A secret is only needed to sign things Flask signs itself; sessions are server-side ids.
    SECRET_KEY = env_str("SECRET_KEY", None) or secrets.token_hex(32)
    MAX_CONTENT_LENGTH = env_int("MAX_CONTENT_LENGTH", 1024 * 1024)
    # Seconds a client should wait after a 503 (dependency down) before retrying.
    RETRY_AFTER_SECONDS = env_int("RETRY_AFTER_SECONDS", 5)
    # How many reverse proxies in front of us may set X-Forwarded-For (0: trust none).
    TRUSTED_PROXY_HOPS = env_int("TRUSTED_PROXY_HOPS", 0)

    # --- MySQL / MariaDB and the DBUtils PooledDB (see settings/pool.py)
    DATABASE_URL = env_str("DATABASE_URL", "mysql://root@127.0.0.1:3306/conduit")
    DB_CONNECT_TIMEOUT = env_int("DB_CONNECT_TIMEOUT", 3)
    # Also bounds the handshake of a new connection. A hung (not down) MySQL costs a request
    # about 5 of these (checkout ping, reconnect, DBUtils' retry) before its 503: keep 5 x this
    # under gunicorn's timeout (60 s), or the worker is killed and the client gets no answer.
    DB_READ_TIMEOUT = env_int("DB_READ_TIMEOUT", 5)
    DB_POOL_MAX_CONNECTIONS = env_int("DB_POOL_MAX_CONNECTIONS", 8)
    DB_POOL_MIN_CACHED = env_int("DB_POOL_MIN_CACHED", 0)
    DB_POOL_MAX_CACHED = env_int("DB_POOL_MAX_CACHED", 8)
    DB_POOL_MAX_SHARED = env_int("DB_POOL_MAX_SHARED", 0)
    DB_POOL_BLOCKING = env_bool("DB_POOL_BLOCKING", True)
    DB_POOL_MAX_USAGE = env_int("DB_POOL_MAX_USAGE", 0)
    DB_POOL_SETSESSION = env_list("DB_POOL_SETSESSION", ["SET time_zone = '+00:00'"])
    # 1: ping each connection as it leaves the pool and reconnect a dead one (after a MySQL
    # restart), before a transaction starts on it; 0 turns that off (tests/test_mysql_outage.py).
    DB_POOL_PING = env_int("DB_POOL_PING", 1)

    # --- Redis: sessions, caches, rate limits
    REDIS_URL = env_str("REDIS_URL", "redis://127.0.0.1:6379/0")
    REDIS_SOCKET_TIMEOUT = env_int("REDIS_SOCKET_TIMEOUT", 2)
    # Prefix of every Redis key we own other than the sessions themselves.
    REDIS_KEY_PREFIX = env_str("REDIS_KEY_PREFIX", "conduit:")

    # --- sessions (Flask-Session, Redis backend)
    SESSION_TYPE = "redis"
    SESSION_KEY_PREFIX = env_str("SESSION_KEY_PREFIX", "conduit:session:")
    SESSION_ID_LENGTH = 32
    SESSION_SERIALIZATION_FORMAT = "msgpack"
    PERMANENT_SESSION_LIFETIME = env_seconds("PERMANENT_SESSION_LIFETIME", timedelta(days=31))
    SESSION_SHORT_LIFETIME = env_seconds("SESSION_SHORT_LIFETIME", timedelta(days=1))
    # Sliding expiry is applied when lastSeenAt is refreshed, at most this often per session,
    # so that plain reads do not write to Redis.
    SESSION_TOUCH_INTERVAL = env_seconds("SESSION_TOUCH_INTERVAL", timedelta(seconds=60))
    SESSION_REFRESH_EACH_REQUEST = False
    SESSION_COOKIE_NAME = env_str("SESSION_COOKIE_NAME", "conduit_session")
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", False)
    SESSION_COOKIE_SAMESITE = env_str("SESSION_COOKIE_SAMESITE", "Lax")

    # --- password hashing (argon2id); OWASP's minimum is m=19 MiB, t=2, p=1
    ARGON2_TIME_COST = env_int("ARGON2_TIME_COST", 2)
    ARGON2_MEMORY_COST = env_int("ARGON2_MEMORY_COST", 19456)
    ARGON2_PARALLELISM = env_int("ARGON2_PARALLELISM", 1)

    # --- flask-smorest / OpenAPI
    API_TITLE = "Conduit API"
    API_VERSION = "1.0.0"
    OPENAPI_VERSION = "3.0.3"
    OPENAPI_URL_PREFIX = "/api"
    OPENAPI_JSON_PATH = "openapi.json"

    # --- logging
    LOG_LEVEL = env_str("LOG_LEVEL", "INFO")


class DevelopmentConfig(Config):
    APP_ENV = "development"


class TestConfig(Config):
    APP_ENV = "test"
    TESTING = True


class ProductionConfig(Config):
    APP_ENV = "production"
    SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", True)
    SECRET_KEY = env_str("SECRET_KEY", None)


CONFIGS = {"development": DevelopmentConfig, "test": TestConfig, "production": ProductionConfig}


def config_for_environment() -> type[Config]:
    """The Config variant named by APP_ENV."""
    name = env_str("APP_ENV", "development")
    try:
        return CONFIGS[name]
    except KeyError:
        raise ValueError(f"APP_ENV={name!r}: expected one of {sorted(CONFIGS)}") from None
