"""Signal receivers: each module does one job and lists its `RECEIVERS` as (signal, function).

Receivers observe (logs, metrics): each is connected through `safe_receiver`,
the one guard that keeps follow-up work from breaking the request (or command) that sent the
signal: a receiver that raises is logged with its traceback and counted, and the sender carries on.

A module whose work is part of what its sender promises says `REQUIRED = True` (the activity
log: the contract has its rows recorded by receivers). Its receivers are connected unguarded:
an error propagates into the sender, inside the sender's transaction where there is one, so the
change and its record are kept or undone together.
"""

import functools
import logging

from blinker import NamedSignal
from flask import Flask

from api.metrics import receiver_failures
from api.receivers import access_log, activity_log, metrics, request_facts

RECEIVER_MODULES = (request_facts, access_log, metrics, activity_log)

logger = logging.getLogger("conduit.receivers")


def safe_receiver(signal: NamedSignal, receiver):
    """`receiver`, wrapped so that an exception is logged and counted instead of raised."""
    name = f"{receiver.__module__}.{receiver.__qualname__}"

    @functools.wraps(receiver)
    def guarded(sender, **kwargs):
        try:
            return receiver(sender, **kwargs)
        except Exception:
            logger.exception("receiver %s of signal %s failed", name, signal.name)
            receiver_failures.labels(signal=signal.name, receiver=name).inc()
            return None

    return guarded


def connect_receiver(app: Flask, signal: NamedSignal, receiver):
    """Connect `receiver` to `signal` as sent by `app`; returns the connected wrapper (to disconnect)."""
    guarded = safe_receiver(signal, receiver)
    # weak=False: the wrapper exists only here and must live as long as the app.
    signal.connect(guarded, sender=app, weak=False)
    return guarded


def connect_receivers(app: Flask) -> None:
    for module in RECEIVER_MODULES:
        for signal, receiver in module.RECEIVERS:
            if getattr(module, "REQUIRED", False):
                signal.connect(receiver, sender=app, weak=False)
            else:
                connect_receiver(app, signal, receiver)
    if app.config["METRICS_ENABLED"]:
        for signal, receiver in metrics.REQUEST_RECEIVERS:
            connect_receiver(app, signal, receiver)
