"""Reading what the app logs: our root handler's output, swapped into a buffer for a while."""

import io
import json
import logging
from contextlib import contextmanager

from api.logging_setup import HANDLER_NAME


@contextmanager
def captured_log():
    """Collect everything the most recently built app's log handler writes (its real formatter)."""
    handler = next(h for h in logging.getLogger().handlers if h.name == HANDLER_NAME)
    buffer = io.StringIO()
    previous = handler.setStream(buffer)
    try:
        yield buffer
    finally:
        handler.setStream(previous)


def json_lines(buffer: io.StringIO) -> list[dict]:
    """Every line parsed as JSON (fails the test when a line is not one JSON object)."""
    return [json.loads(line) for line in buffer.getvalue().splitlines()]


def access_lines(buffer: io.StringIO) -> list[dict]:
    return [line for line in json_lines(buffer) if line["logger"] == "conduit.access"]
