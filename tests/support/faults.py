"""Fault injection for data-integrity tests: make a real function fail right after it has done
its real work, so that a test can check what a failure between two statements leaves behind.

Nothing is mocked: the wrapped function runs against the real database first, then raises
InjectedFault, exactly as if the process had failed between that statement and the next.

    fail_after(monkeypatch, db, "execute", calls=2)         # after the 2nd write statement
    fail_after(monkeypatch, articles_module, "insert_article")  # after a data function

Patch a function where it is looked up: `db` methods work everywhere (every caller goes through
the one `db` object); a function imported by name (`from api.data.x import f`) must be patched
in the importing module.
"""

import functools


class InjectedFault(Exception):
    """Raised on purpose by fail_after: a stand-in for a crash between two statements."""


def fail_after(monkeypatch, owner, name: str, *, calls: int = 1, error: Exception | None = None) -> None:
    """From its `calls`-th successful call on, `owner.name` runs for real and then raises
    InjectedFault (or `error`: e.g. the OperationalError of a connection lost at that point)."""
    real = getattr(owner, name)
    made = 0

    @functools.wraps(real)
    def then_fail(*args, **kwargs):
        nonlocal made
        result = real(*args, **kwargs)
        made += 1
        if made >= calls:
            raise error or InjectedFault(f"injected after call {made} of {name}")
        return result

    monkeypatch.setattr(owner, name, then_fail)
