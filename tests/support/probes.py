"""Instruments for tests: how many SQL statements a request ran, which signals it sent."""

from contextlib import contextmanager

from api.db import db


def count_queries(client, method: str, url: str, **kwargs):
    """Make one request; returns (response, SQL statements it ran), read from its database context."""
    return _request_and_read_g(client, method, url, lambda: db.context().query_count, **kwargs)


def count_queries_by_pool(client, method: str, url: str, **kwargs):
    """Make one request; returns (response, {pool name: SQL statements it ran there}), e.g.
    {"primary": 2, "replica1": 1}, read from its database context."""
    return _request_and_read_g(client, method, url, lambda: dict(db.context().queries_by_pool), **kwargs)


def _request_and_read_g(client, method: str, url: str, read, **kwargs):
    """`with client:` keeps the request's context alive after the response, so its `g` is readable."""
    with client:
        response = client.open(url, method=method, **kwargs)
        return response, read()


@contextmanager
def recorded(signal, app):
    """Collect the keyword arguments of every `signal` sent by `app` inside the block."""
    calls = []

    def receiver(sender, **kwargs):
        calls.append(kwargs)

    with signal.connected_to(receiver, app):
        yield calls
