"""The one error format: `{"errors": {"<field>": [...], "body": [every message as a sentence]}}`.

Every error leaves through `ConduitApi.handle_http_exception`: our own `abort`s, webargs'
validation failures, werkzeug's 404/405/413, and dependency outages turned into 503.
"""

from http import HTTPStatus
from typing import NoReturn

import pymysql
import redis.exceptions
from dbutils.pooled_db import PooledDBError
from flask import current_app
from webargs.flaskparser import abort as webargs_abort  # flask_smorest.abort, with webargs' typing (NoReturn)
from werkzeug.exceptions import HTTPException, InternalServerError

from api.signals import announce, dependency_failed, write_conflicted

# Errors that mean "a dependency is unavailable", never "our code is broken".
DEPENDENCY_ERRORS = (
    pymysql.err.OperationalError,
    pymysql.err.InterfaceError,
    PooledDBError,
    redis.exceptions.ConnectionError,
    redis.exceptions.TimeoutError,
    redis.exceptions.BusyLoadingError,
    # Redis answers but refuses writes: full (maxmemory), or a replica after a failover.
    redis.exceptions.OutOfMemoryError,
    redis.exceptions.ReadOnlyError,
    redis.exceptions.MasterDownError,
    redis.exceptions.ClusterError,  # a Redis Cluster with slots uncovered, or retries exhausted
)

# MySQL's lock conflicts, raised as OperationalError like an outage: a deadlock (1213) and a
# lock wait timeout (1205). The transaction was refused, not the server lost: retry it.
WRITE_CONFLICT_CODES = frozenset((1205, 1213))


def is_write_conflict(error: BaseException) -> bool:
    return (isinstance(error, pymysql.err.OperationalError) and bool(error.args)
            and error.args[0] in WRITE_CONFLICT_CODES)


def abort(status: int, message: str, *, field: str | None = None, headers: dict | None = None) -> NoReturn:
    """Stop the request with the contract's error body; `field` names the input to blame."""
    if field:
        webargs_abort(status, errors={field: [message]}, headers=headers or {})
    webargs_abort(status, message=message, headers=headers or {})


def abort_for_dependency(name: str) -> NoReturn:
    """503 with Retry-After: `name` (mysql, redis) cannot be reached right now."""
    announce(dependency_failed, dependency=name, error=None)
    abort(
        503,
        f"The service is temporarily unavailable ({name} cannot be reached). Retry later.",
        headers={"Retry-After": str(current_app.config["RETRY_AFTER_SECONDS"])},
    )


def error_body(field_messages: dict[str, list[str]], general_messages: list[str]) -> dict:
    """Build the contract's error object from per-field messages and field-less ones.

    `body` holds every message as a sentence; a field that is itself called `body` (an
    article's or comment's) is reported there too, as "body: ...".
    """
    errors = {field: list(messages) for field, messages in field_messages.items() if field != "body"}
    sentences = [f"{field}: {message}" for field, messages in field_messages.items() for message in messages]
    errors["body"] = sentences + [message for message in general_messages if message not in sentences]
    return {"errors": errors}


def flatten_validation_messages(messages: dict) -> tuple[dict[str, list[str]], list[str]]:
    """Turn webargs' `{location: {envelope: {field: [...]}}}` into per-field and general lists."""
    fields: dict[str, list[str]] = {}
    general: list[str] = []
    for location, location_messages in messages.items():
        if isinstance(location_messages, list):
            general.extend(location_messages)
            continue
        for key, value in location_messages.items():
            # RealWorld bodies are envelopes ({"user": {...}}): blame the field inside, not the envelope.
            if location == "json" and isinstance(value, dict) and all(isinstance(k, str) for k in value):
                for field, field_messages in value.items():
                    _collect(fields, general, field, field_messages)
            else:
                _collect(fields, general, key, value)
    return fields, general


def _collect(fields: dict, general: list, field, messages) -> None:
    if field == "_schema":
        general.extend(_leaf_messages(messages))
    else:
        fields.setdefault(str(field), []).extend(_leaf_messages(messages))


def _leaf_messages(messages, prefix: str = "") -> list[str]:
    if isinstance(messages, str):
        return [f"{prefix}{messages}"]
    if isinstance(messages, list):
        return [m for item in messages for m in _leaf_messages(item, prefix)]
    if isinstance(messages, dict):  # e.g. tagList: {0: ["Not a valid string."]}
        return [m for key, item in messages.items() for m in _leaf_messages(item, f"{prefix}item {key}: ")]
    return [f"{prefix}{messages}"]


def http_exception_response(error: HTTPException):
    """The (body, status, headers) of any HTTPException, in the contract's format."""
    original = getattr(error, "original_exception", None)
    if isinstance(error, InternalServerError) and isinstance(original, DEPENDENCY_ERRORS):
        return dependency_error_response(original)
    data = getattr(error, "data", None) or {}
    if "messages" in data:  # webargs validation failure
        field_messages, general = flatten_validation_messages(data["messages"])
    else:
        field_messages, general = dict(data.get("errors") or {}), []
    if data.get("message"):
        general.append(data["message"])
    if not field_messages and not general:
        general.append(_default_message(error))
    headers = {k: v for k, v in error.get_headers() if k.lower() != "content-type"}
    if error.response is not None:  # a prepared response (Flask-Limiter's 429) lends its headers
        headers.update((k, v) for k, v in error.response.headers.items()
                       if k.lower() not in ("content-type", "content-length"))
    headers.update(data.get("headers") or {})
    return error_body(field_messages, general), error.code, headers


def dependency_error_response(error: Exception):
    if is_write_conflict(error):
        return write_conflict_response(error)
    name = "redis" if isinstance(error, redis.exceptions.RedisError) else "mysql"
    current_app.logger.warning("dependency unavailable: %s: %s", name, error)
    announce(dependency_failed, dependency=name, error=error)
    body = error_body({}, [f"The service is temporarily unavailable ({name} cannot be reached). Retry later."])
    return body, 503, {"Retry-After": str(current_app.config["RETRY_AFTER_SECONDS"])}


def write_conflict_response(error: Exception):
    """A write that still conflicted after its retries (api.db.retry_on_conflict): 503, retry it."""
    current_app.logger.warning("write conflict: %s", error)
    announce(write_conflicted, outcome="failed", error=error)
    body = error_body({}, ["The write conflicted with concurrent writes and was not applied. Retry it."])
    return body, 503, {"Retry-After": "1"}


def _default_message(error: HTTPException) -> str:
    # Flask hands error handlers only HTTPExceptions with a code (Flask.handle_http_exception
    # returns the others, routing exceptions, before looking for a handler).
    if error.code is None:
        raise AssertionError(f"an HTTPException without a code reached the error handler: {error!r}")
    if error.code == 404:
        return "Not found."
    if error.code == 405:
        return "Method not allowed."
    if error.code == 413:
        return f"The request body is larger than {current_app.config['MAX_CONTENT_LENGTH']} bytes."
    if error.code == 429 and error.description is not None:
        # Flask-Limiter puts the breached rule's message in the description (werkzeug's
        # TooManyRequests always has one: a None passed in keeps the class's default)
        return error.description
    if error.code == 500:
        return "Internal server error."
    return f"{HTTPStatus(error.code).phrase}."
