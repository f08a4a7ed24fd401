"""Logging for the whole process: one handler on the root logger, writing JSON or text to stderr.

Every record made while a request is handled carries that request's id, so an error's
traceback and the request's access line can be matched. Nothing here ever logs request
headers, cookies or bodies: log lines are built from chosen fields only (see receivers/access_log).
"""

import logging

from flask import g, has_request_context
from pythonjsonlogger.json import JsonFormatter

from api.fast_paths import unproxied

LOG_FORMATS = ("json", "text")
# Our handler is found (and replaced) by this name, so building several apps in one process
# (the test suite does) never stacks handlers.
HANDLER_NAME = "conduit"
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"


class RequestIdFilter(logging.Filter):
    """Stamp records made during a request with its id (a handler filter sees every logger's records)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if has_request_context() and not hasattr(record, "request_id"):
            record.request_id = unproxied(g).get("request_id")
        return True


def build_formatter(log_format: str) -> logging.Formatter:
    """The formatter of LOG_FORMAT: one JSON object per line, or a readable line of text."""
    if log_format == "json":
        # Extra fields of a record (request_id, method, route, ...) become keys of their own;
        # a traceback stays inside its line as the "traceback" string.
        return JsonFormatter(
            "%(levelname)s %(name)s %(message)s",
            rename_fields={"levelname": "level", "name": "logger", "exc_info": "traceback"},
            timestamp="time",
        )
    if log_format == "text":
        return logging.Formatter(TEXT_FORMAT, defaults={"request_id": "-"})
    raise ValueError(f"LOG_FORMAT={log_format!r}: expected one of {', '.join(LOG_FORMATS)}")


def configure_logging(config) -> None:
    """Route every logger through our one stderr handler at LOG_LEVEL, in LOG_FORMAT."""
    skip_unused_record_fields()
    root = logging.getLogger()
    root.setLevel(str(config["LOG_LEVEL"]).upper())  # ValueError for an unknown level
    handler = logging.StreamHandler()
    handler.name = HANDLER_NAME
    handler.setFormatter(build_formatter(config["LOG_FORMAT"]))
    handler.addFilter(RequestIdFilter())
    for previous in [existing for existing in root.handlers if existing.name == HANDLER_NAME]:
        root.removeHandler(previous)
    root.addHandler(handler)


def skip_unused_record_fields() -> None:
    """Stop every LogRecord from collecting thread and process names, which neither format
    prints: the public switches of the logging HOWTO's "Optimization" section (the access log
    writes a record per request). A format that adds %(threadName)s or %(processName)s must
    turn them back on."""
    logging.logThreads = False
    logging.logProcesses = False
    logging.logMultiprocessing = False


def gunicorn_logconfig(log_format: str, log_level: str) -> dict:
    """gunicorn's `logconfig_dict`: its error log in our format; its access log off (ours replaces it).

    The app's own handler is installed by create_app in each worker.
    """
    level = log_level.upper()
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"conduit": {"()": build_formatter, "log_format": log_format}},
        "handlers": {
            "gunicorn_errors": {"class": "logging.StreamHandler", "formatter": "conduit", "stream": "ext://sys.stderr"},
        },
        "root": {"level": level, "handlers": []},
        "loggers": {
            "gunicorn.error": {"level": level, "handlers": ["gunicorn_errors"], "propagate": False},
            # gunicorn still builds its access record per request once a logconfig is given;
            # with no handler and a WARNING level it is dropped at once.
            "gunicorn.access": {"level": "WARNING", "handlers": [], "propagate": False},
        },
    }
