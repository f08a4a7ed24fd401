"""Instruments for tests: how many SQL statements a request ran, which signals it sent."""

from contextlib import contextmanager

from flask import g


def count_queries(client, method: str, url: str, **kwargs):
    """Make one request; returns (response, SQL statements it ran), read from its `g.query_count`.

    `with client:` keeps the request's context alive after the response, so its `g` is readable.
    """
    with client:
        response = client.open(url, method=method, **kwargs)
        return response, g.get("query_count", 0)


@contextmanager
def recorded(signal, app):
    """Collect the keyword arguments of every `signal` sent by `app` inside the block."""
    calls = []

    def receiver(sender, **kwargs):
        calls.append(kwargs)

    with signal.connected_to(receiver, app):
        yield calls
