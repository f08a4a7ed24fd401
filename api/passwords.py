"""argon2id password hashing, with parameters from settings."""

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app


def _hasher() -> PasswordHasher:
    hasher = current_app.extensions.get("password_hasher")
    if hasher is None:
        config = current_app.config
        hasher = PasswordHasher(
            time_cost=config["ARGON2_TIME_COST"],
            memory_cost=config["ARGON2_MEMORY_COST"],
            parallelism=config["ARGON2_PARALLELISM"],
            type=Type.ID,
        )
        current_app.extensions["password_hasher"] = hasher
    return hasher


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """True when the hash was made with other parameters than the current settings."""
    return _hasher().check_needs_rehash(password_hash)


def burn_equal_time(password: str) -> None:
    """Verify against a dummy hash, so an unknown email costs as much as a wrong password."""
    dummy = current_app.extensions.get("password_dummy_hash")
    if dummy is None:
        dummy = current_app.extensions["password_dummy_hash"] = hash_password("not-a-real-password")
    verify_password(dummy, password)
