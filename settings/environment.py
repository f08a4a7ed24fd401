"""Typed readers for environment variables, the single source of configuration.

A `.env` file in the working directory is loaded first; real environment variables win over it.
"""

import os
from datetime import timedelta
from typing import overload

from dotenv import load_dotenv

load_dotenv(override=False)

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


@overload
def env_str(name: str, default: str) -> str: ...
@overload
def env_str(name: str, default: None) -> str | None: ...
def env_str(name: str, default: str | None) -> str | None:
    return os.environ.get(name, default)


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    return default if raw is None or raw.strip() == "" else int(raw)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ValueError(f"{name}={raw!r} is not a boolean (use true/false)")


def env_seconds(name: str, default: timedelta) -> timedelta:
    """A duration given in whole seconds."""
    raw = os.environ.get(name)
    return default if raw is None or raw.strip() == "" else timedelta(seconds=int(raw))


def env_list(name: str, default: list[str]) -> list[str]:
    """A comma-separated list; blank items are dropped."""
    raw = os.environ.get(name)
    if raw is None:
        return list(default)
    return [item.strip() for item in raw.split(",") if item.strip()]
