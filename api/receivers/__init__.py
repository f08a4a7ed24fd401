"""Signal receivers: each module does one job and connects itself in `connect_receivers`."""

from flask import Flask

from api.receivers import access_log, tags_cache


def connect_receivers(app: Flask) -> None:
    access_log.connect(app)
    tags_cache.connect(app)
