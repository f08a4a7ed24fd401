"""The Redis client shared by sessions, caches, rate limits and replica routing, and our key naming.

This is the one place that builds Redis clients. Three deployments, picked by settings:

- one server at REDIS_URL (the default);
- Redis Sentinel (REDIS_SENTINELS + REDIS_SENTINEL_SERVICE): the client asks the sentinels
  which server is the primary, and follows a failover on its next connection;
- Redis Cluster (REDIS_CLUSTER_NODES): the client learns the slot map from those nodes.

With Sentinel or Cluster, REDIS_URL still supplies the credentials (and, for Sentinel, the
database number); its host and port are ignored.

Multi-key operations in a cluster must stay within one hash slot. Each module that touches
several keys at once says how it copes: with a hash tag (api/cache), or by being correct
without cross-slot atomicity (sessions and their per-user index).
"""

import redis
from flask import Flask, current_app
from redis.cluster import ClusterNode, RedisCluster
from redis.connection import parse_url
from redis.sentinel import Sentinel

RedisClient = redis.Redis | RedisCluster


def build_redis_client(config) -> RedisClient:
    """A client with short timeouts, so an outage becomes a quick 503 rather than a hang."""
    timeouts = _timeouts(config)
    if config["REDIS_CLUSTER_NODES"]:
        nodes = [ClusterNode(host, port) for host, port in _addresses(config["REDIS_CLUSTER_NODES"])]
        return RedisCluster(startup_nodes=nodes, **timeouts, **_credentials(config))
    if config["REDIS_SENTINELS"]:
        sentinel = Sentinel(_addresses(config["REDIS_SENTINELS"]), sentinel_kwargs=timeouts, **timeouts)
        db = parse_url(config["REDIS_URL"]).get("db", 0)
        return sentinel.master_for(
            config["REDIS_SENTINEL_SERVICE"], db=db, health_check_interval=30, **_credentials(config),
        )
    return redis.Redis.from_url(config["REDIS_URL"], health_check_interval=30, **timeouts)


def rate_limit_storage(config, client: RedisClient) -> tuple[str, dict]:
    """Flask-Limiter's storage URI and options, reaching the same Redis as `client`."""
    options = {"key_prefix": config["REDIS_KEY_PREFIX"] + "ratelimit"}
    if config["REDIS_CLUSTER_NODES"]:
        # limits builds its RedisCluster itself (it takes no client): same nodes, same options.
        nodes = ",".join(f"{host}:{port}" for host, port in _addresses(config["REDIS_CLUSTER_NODES"]))
        return f"redis+cluster://{nodes}", {**options, **_timeouts(config), **_credentials(config)}
    # One server or Sentinel: limits' plain Redis storage borrows our client's connection pool
    # (a SentinelConnectionPool follows failovers); the URI only selects that storage class.
    if isinstance(client, RedisCluster):
        raise TypeError("a RedisCluster client without REDIS_CLUSTER_NODES (build_redis_client makes none)")
    return "redis://", {**options, "connection_pool": client.connection_pool}


def _timeouts(config) -> dict:
    seconds = config["REDIS_SOCKET_TIMEOUT"]
    return {"socket_timeout": seconds, "socket_connect_timeout": seconds}


def _credentials(config) -> dict:
    url = parse_url(config["REDIS_URL"])
    return {name: url[name] for name in ("username", "password") if url.get(name)}


def _addresses(items: list[str]) -> list[tuple[str, int]]:
    """["host:port", ...] -> [(host, port), ...]"""
    addresses = []
    for item in items:
        host, _, port = item.rpartition(":")
        if not host or not port.isdigit():
            raise ValueError(f"expected host:port, got {item!r}")
        addresses.append((host, int(port)))
    return addresses


def init_redis(app: Flask) -> None:
    app.extensions["redis"] = build_redis_client(app.config)


def redis_client() -> RedisClient:
    return current_app.extensions["redis"]


def redis_key(*parts: object) -> str:
    """A key under REDIS_KEY_PREFIX, e.g. redis_key("user-sessions", 7) -> conduit:user-sessions:7."""
    return current_app.config["REDIS_KEY_PREFIX"] + ":".join(str(part) for part in parts)


def delete_keys_under(client: redis.Redis, prefix: str) -> None:
    """Delete every key whose name starts with `prefix`: the throwaway keys of a test run, the
    bench, the soak or the fuzzer, never anything outside their own prefix. One server only."""
    keys = list(client.scan_iter(match=prefix + "*", count=1000))
    for start in range(0, len(keys), 500):
        client.delete(*keys[start:start + 500])
