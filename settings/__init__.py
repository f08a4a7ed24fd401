"""Configuration, read once from the environment (and an optional `.env`).

Every setting has a documented default; the README's configuration table lists them all.
`APP_ENV` picks the variant: development (default), test or production.
"""

import os
import secrets
from datetime import timedelta
from urllib.parse import urlsplit, urlunsplit

from settings.environment import env_bool, env_int, env_list, env_seconds, env_str


class Config:
    APP_ENV = "development"
    DEBUG = False
    TESTING = False

    # --- server
    HOST = env_str("HOST", "127.0.0.1")
    PORT = env_int("PORT", 8000)
    # A secret is only needed to sign things Flask signs itself; sessions are server-side ids.
    # Production has no default: None there until set, and create_app refuses to start without it.
    SECRET_KEY: str | None = env_str("SECRET_KEY", None) or secrets.token_hex(32)
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
    # restart), before a transaction starts on it; 0 turns that off (tests/reliability/test_mysql_outage.py).
    DB_POOL_PING = env_int("DB_POOL_PING", 1)
    # Read replicas (api/db_routing.py): comma-separated mysql:// URLs, each given a pool built
    # like the primary's. Reads outside transactions go there, round robin; empty: all on the primary.
    DATABASE_REPLICA_URLS = env_list("DATABASE_REPLICA_URLS", [])
    # After a caller writes, their reads stay on the primary this long (read-your-writes);
    # keep it above the replicas' usual replication lag.
    REPLICA_STICKY_SECONDS = env_int("REPLICA_STICKY_SECONDS", 5)
    # A replica that failed is skipped this long (per worker process), then tried again.
    REPLICA_RETRY_SECONDS = env_int("REPLICA_RETRY_SECONDS", 10)

    # --- Redis: sessions, caches, rate limits
    REDIS_URL = env_str("REDIS_URL", "redis://127.0.0.1:6379/0")
    REDIS_SOCKET_TIMEOUT = env_int("REDIS_SOCKET_TIMEOUT", 2)
    # Prefix of every Redis key we own other than the sessions themselves.
    REDIS_KEY_PREFIX = env_str("REDIS_KEY_PREFIX", "conduit:")
    # Redis Sentinel (api/redis_store.py): comma-separated host:port of the sentinels, and the
    # name they monitor the primary under. Set, they replace REDIS_URL's host and port.
    REDIS_SENTINELS = env_list("REDIS_SENTINELS", [])
    REDIS_SENTINEL_SERVICE = env_str("REDIS_SENTINEL_SERVICE", "mymaster")
    # Redis Cluster: comma-separated host:port of some of its nodes (the client finds the rest).
    REDIS_CLUSTER_NODES = env_list("REDIS_CLUSTER_NODES", [])

    # How long a cached value, and a remembered ETag, may live (api/cache, api/conditional_gets.py):
    # it bounds how stale either gets if Redis could not be told of a change.
    CACHE_TTL_SECONDS = env_int("CACHE_TTL_SECONDS", 300)
    # Keep anonymous article list pages in Redis until the content changes (api/cache/list_pages.py).
    LIST_CACHE_ENABLED = env_bool("LIST_CACHE_ENABLED", False)

    # --- sessions (Flask-Session, Redis backend)
    SESSION_KEY_PREFIX = env_str("SESSION_KEY_PREFIX", "conduit:session:")
    SESSION_ID_LENGTH = 32
    PERMANENT_SESSION_LIFETIME = env_seconds("PERMANENT_SESSION_LIFETIME", timedelta(days=31))
    SESSION_SHORT_LIFETIME = env_seconds("SESSION_SHORT_LIFETIME", timedelta(days=1))
    # However often it is used, a session ends this long after its login (OWASP's absolute timeout).
    SESSION_ABSOLUTE_LIFETIME = env_seconds("SESSION_ABSOLUTE_LIFETIME", timedelta(days=90))
    # Live sessions per account; a login beyond it ends the account's least recently used one.
    SESSION_MAX_PER_USER = env_int("SESSION_MAX_PER_USER", 100)
    # Changing the password or email needs currentPassword, unless the session logged in this recently.
    REAUTH_WINDOW_SECONDS = env_int("REAUTH_WINDOW_SECONDS", 600)
    # Sliding expiry is applied when lastSeenAt is refreshed, at most this often per session,
    # so that plain reads do not write to Redis.
    SESSION_TOUCH_INTERVAL = env_seconds("SESSION_TOUCH_INTERVAL", timedelta(seconds=60))
    SESSION_REFRESH_EACH_REQUEST = False
    SESSION_COOKIE_NAME = env_str("SESSION_COOKIE_NAME", "conduit_session")
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", False)
    SESSION_COOKIE_SAMESITE = env_str("SESSION_COOKIE_SAMESITE", "Lax")

    # --- rate limits (Flask-Limiter, stored in Redis under REDIS_KEY_PREFIX + "ratelimit")
    # Off switch for every limit (the test suite turns them on per test).
    RATELIMIT_ENABLED = env_bool("RATELIMIT_ENABLED", True)
    # Failed logins per account (however its email is spelled) and client IP; successes are free.
    RATELIMIT_LOGIN = env_str("RATELIMIT_LOGIN", "10 per 15 minutes")
    # Failed logins from one client IP, whatever the email (password spraying: each unknown
    # email costs us a full argon2id hash).
    RATELIMIT_LOGIN_IP = env_str("RATELIMIT_LOGIN_IP", "50 per 15 minutes")
    # Registration attempts per client IP, successful or not (also slows email enumeration).
    RATELIMIT_REGISTER = env_str("RATELIMIT_REGISTER", "100 per hour")
    # Article, comment, favorite and follow writes per user, one bucket for them all.
    RATELIMIT_WRITES = env_str("RATELIMIT_WRITES", "120 per minute")
    # A moving window: no burst of twice the limit across a window boundary.
    RATELIMIT_STRATEGY = "moving-window"
    # Redis down: count in this worker's memory until it answers again (rechecked with backoff),
    # and never turn a storage error into a 500: the request goes on, and the session store
    # answers 503 if Redis is really gone.
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    RATELIMIT_SWALLOW_ERRORS = True

    # --- CORS (flask-cors reads these CORS_* settings itself); applies to /api/*
    # Browser origins allowed to call the API, with credentials (cookies); comma-separated.
    # Never "*": create_app refuses it, as any site could then act with the user's cookie.
    CORS_ORIGINS = env_list("CORS_ORIGINS", [
        "http://localhost:3000", "http://127.0.0.1:3000",
        "http://localhost:4200", "http://127.0.0.1:4200",
        "http://localhost:5173", "http://127.0.0.1:5173",
        "http://localhost:8080", "http://127.0.0.1:8080",
    ])
    # Also every http://localhost:<port> and http://127.0.0.1:<port> (any local front-end): on in
    # development only (api/cors.py); production allows exactly CORS_ORIGINS.
    CORS_ANY_LOCAL_PORT = False
    CORS_SUPPORTS_CREDENTIALS = True
    CORS_ALLOW_HEADERS = ["Authorization", "Content-Type", "X-Request-ID"]
    CORS_EXPOSE_HEADERS = ["X-Request-ID", "Retry-After"]
    # CORS headers only for requests that send an Origin (browsers), not for curl and SDKs.
    CORS_ALWAYS_SEND = False
    # Seconds a browser may cache a preflight answer.
    CORS_MAX_AGE = env_int("CORS_MAX_AGE", 600)

    # --- response security headers (api/security_headers.py)
    # The policy of every JSON response: it loads nothing and may not be framed. HTML pages
    # (Swagger UI) get theirs through api.security_headers.set_page_policy().
    CONTENT_SECURITY_POLICY = env_str("CONTENT_SECURITY_POLICY", "default-src 'none'; frame-ancestors 'none'")
    REFERRER_POLICY = env_str("REFERRER_POLICY", "no-referrer")

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
    # Swagger UI at /api/docs, its files served by api/docs_ui.py from the swagger-ui-bundle package.
    OPENAPI_SWAGGER_UI_PATH = "/docs"
    OPENAPI_SWAGGER_UI_URL = "/api/docs/assets/"
    OPENAPI_SWAGGER_UI_CONFIG = {
        "persistAuthorization": True,  # a token given to "Authorize" survives a reload
        "withCredentials": True,  # "try it out" sends the session cookie that logging in set
        "displayOperationId": True,
        "displayRequestDuration": True,
        "docExpansion": "list",
        "tryItOutEnabled": True,
        "validatorUrl": None,  # no badge from an outside validator: the page stays offline
    }

    # --- logging (api/logging_setup.py): one line per request, and every other record alike
    LOG_LEVEL = env_str("LOG_LEVEL", "INFO")
    # "text" reads well in a terminal; "json" (the production default) is one object per line.
    LOG_FORMAT = env_str("LOG_FORMAT", "text")

    # --- Prometheus metrics at GET /metrics (api/metrics.py); off unless enabled
    METRICS_ENABLED = env_bool("METRICS_ENABLED", False)
    # Scrapers from these networks (CIDR) are served without a token ...
    METRICS_ALLOWED_NETWORKS = env_list("METRICS_ALLOWED_NETWORKS", ["127.0.0.1/32", "::1/128"])
    # ... and any other caller that sends `Authorization: Bearer <METRICS_TOKEN>` (unset: none).
    METRICS_TOKEN = env_str("METRICS_TOKEN", None)


class DevelopmentConfig(Config):
    APP_ENV = "development"
    CORS_ANY_LOCAL_PORT = True


class TestConfig(Config):
    APP_ENV = "test"
    TESTING = True
    # Tests register many users from one address; rate-limit tests turn this on in their own app.
    RATELIMIT_ENABLED = False


class ProductionConfig(Config):
    APP_ENV = "production"
    SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", True)
    SECRET_KEY = env_str("SECRET_KEY", None)
    LOG_FORMAT = env_str("LOG_FORMAT", "json")
    # No browser origin but the service's own unless listed: the development defaults stay out.
    CORS_ORIGINS = env_list("CORS_ORIGINS", [])


CONFIGS = {"development": DevelopmentConfig, "test": TestConfig, "production": ProductionConfig}


def config_for_environment() -> type[Config]:
    """The Config variant named by APP_ENV."""
    name = env_str("APP_ENV", "development")
    try:
        return CONFIGS[name]
    except KeyError:
        raise ValueError(f"APP_ENV={name!r}: expected one of {sorted(CONFIGS)}") from None


def isolated_storage(database: str, redis_prefix: str) -> dict:
    """Overrides giving a test run, the bench, the soak or the fuzzer a database and Redis keys
    of their own, on the servers DATABASE_URL and REDIS_URL name (only the database name changes)."""
    base = urlsplit(os.environ.get("DATABASE_URL", Config.DATABASE_URL))
    return {
        "DATABASE_URL": urlunsplit(base._replace(path=f"/{database}")),
        "REDIS_KEY_PREFIX": redis_prefix,
        "SESSION_KEY_PREFIX": redis_prefix + "session:",
    }
