"""An unknown email costs a login the same work as a wrong password: one argon2 verification
with the same parameters. Counted, not timed, so the test cannot be flaky."""

import pytest
from argon2 import PasswordHasher

from tests.support.factories import login, register, unique


@pytest.fixture
def verified_hashes(monkeypatch):
    """Every hash that argon2 verifies during the test (the real verification still runs)."""
    seen = []
    real_verify = PasswordHasher.verify

    def spying_verify(self, hash, password):
        seen.append(hash if isinstance(hash, str) else hash.decode())
        return real_verify(self, hash, password)

    monkeypatch.setattr(PasswordHasher, "verify", spying_verify)
    return seen


def _parameters(argon2_hash: str) -> str:
    """'$argon2id$v=19$m=19456,t=2,p=1$salt$digest' -> 'argon2id$v=19$m=19456,t=2,p=1'."""
    return "$".join(argon2_hash.split("$")[1:4])


def test_unknown_email_verifies_a_dummy_hash_like_a_wrong_password(client, verified_hashes):
    user = register(client)
    assert login(client.application.test_client(), user["email"], "wrong-password").status_code == 401
    assert login(client.application.test_client(), f"{unique('nobody')}@example.com",
                 "wrong-password").status_code == 401
    wrong_password, unknown_email = verified_hashes
    assert _parameters(unknown_email) == _parameters(wrong_password)
    assert unknown_email != wrong_password
