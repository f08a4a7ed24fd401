"""Schemathesis hooks of the fuzz runs (tests/support/fuzzing.py loads them with SCHEMATHESIS_HOOKS).

They read the run's fixtures, a JSON file named by CONDUIT_FUZZ_FIXTURES (written by
tests/support/fuzzing.py before `st run` starts):

- authenticated mode: every request carries `Authorization: Token <token>` of a registered
  user. When the token dies (the fuzzer logged it out, or revoked it), schemathesis sees the
  401, asks `get` again and replays the request: a freshly registered user takes over, since the
  old one's email and password may have been changed by the fuzzer meanwhile;
- path parameters (slug, username, comment id) are, more often than not, ones of the seeded
  articles, users and comments, so that operations get past their 404 to the real work;
- the one failure dropped: a schema-valid request refused with 422 because of what is stored
  (an email or username already taken, following oneself). No schema can say that, and the
  contract wants 422 for it.
"""

import itertools
import json
import os
import uuid
from pathlib import Path

import requests
import schemathesis
from hypothesis import strategies as st

FIXTURES = json.loads(Path(os.environ["CONDUIT_FUZZ_FIXTURES"]).read_text(encoding="utf-8"))
# The seeded values each path parameter may take, by its name in the OpenAPI document.
KNOWN_PATH_VALUES = {
    "slug": FIXTURES["slugs"],
    "username": FIXTURES["usernames"],
    "id": FIXTURES["comment_ids"],
}


@schemathesis.hook
def flatmap_path_parameters(context, path_parameters):
    """The generated value or one of the seeded ones, for each parameter that names a resource."""
    choices = {
        name: st.sampled_from([value, *KNOWN_PATH_VALUES[name]]) if name in KNOWN_PATH_VALUES else st.just(value)
        for name, value in (path_parameters or {}).items()
    }
    return st.fixed_dictionaries(choices)


# The messages of the 422s that no document can foresee (api/resources/users.py, profiles.py).
STATE_CONFLICTS = {"has already been taken", "You cannot follow yourself."}


@schemathesis.hook
def filter_failure(context, failure, case, response):
    """Every failure counts, but "schema-valid request rejected" for a state conflict."""
    if failure.code != "ST202" or response.status_code != 422:
        return True
    errors = response.json()["errors"]
    messages = {message for field, field_messages in errors.items() if field != "body" for message in field_messages}
    return not (messages and messages <= STATE_CONFLICTS)


# Without a 401, the token is kept for the whole run (schemathesis refreshes a cached token
# after refresh_interval seconds by default).
TOKEN_LIFETIME = 24 * 3600

if FIXTURES["mode"] == "authenticated":

    @schemathesis.auth(refresh_interval=TOKEN_LIFETIME)
    class RegisteredUserToken:
        """The seeded user's token first; a newly registered user's after each 401."""

        def __init__(self):
            self.seeded_token = FIXTURES["token"]

        def get(self, case, context):
            # Called once, then again only after a 401 (under schemathesis' lock).
            token, self.seeded_token = self.seeded_token, None
            return token or register_spare_user()

        def set(self, case, token, context):
            case.headers = {**(case.headers or {}), "Authorization": f"Token {token}"}


_spare_numbers = itertools.count(1)


def register_spare_user() -> str:
    """Register a user the fuzzer has not touched yet; its token."""
    username = f"fuzz-spare-{next(_spare_numbers)}-{uuid.uuid4().hex[:8]}"
    response = requests.post(
        f"{FIXTURES['base_url']}/api/users", timeout=30,
        json={"user": {"username": username, "email": f"{username}@example.com", "password": FIXTURES["password"]}},
    )
    response.raise_for_status()
    return response.json()["user"]["token"]
