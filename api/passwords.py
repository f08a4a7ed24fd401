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
        # Made with the hasher, so it costs what a real hash costs, and made now, so that the
        # first unknown email does not pay for making it (which would tell it apart).
        current_app.extensions["password_dummy_hash"] = hasher.hash("not-a-real-password")
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
    _hasher()  # makes the dummy hash along with the hasher
    verify_password(current_app.extensions["password_dummy_hash"], password)
