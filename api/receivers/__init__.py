"""Signal receivers: each module does one job and connects itself in `connect_receivers`."""

from flask import Flask

from api.receivers import access_log, activity_log


def connect_receivers(app: Flask) -> None:
    access_log.connect(app)
    activity_log.connect(app)
