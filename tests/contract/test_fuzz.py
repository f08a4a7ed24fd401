"""Schemathesis against the live service, both modes, a few examples per operation: no server
error, no undocumented status, content type, header or body, no invalid input accepted or valid
input refused (tests/support/fuzzing.py; `make fuzz` runs the same with more examples)."""


import pytest

from tests.support.fuzzing import MODES, run_schemathesis, seed_fixtures

pytestmark = pytest.mark.slow

EXAMPLES_PER_OPERATION = 10
HTTP_METHODS = {"get", "put", "post", "delete", "patch", "head", "options", "trace"}


@pytest.mark.parametrize("mode", MODES)
def test_fuzzing_finds_no_failure(mode, app, client, live_server):
    fixtures = seed_fixtures(app.test_client(use_cookies=False))
    paths = client.get("/api/openapi.json").get_json()["paths"]
    operations = sum(len(HTTP_METHODS & set(path_item)) for path_item in paths.values())

    result = run_schemathesis(live_server, mode, fixtures, max_examples=EXAMPLES_PER_OPERATION)
    print(result.summary())  # shown with -s or -rA: the cases this run sent

    assert result.clean, result.output
    assert result.operations == operations, result.output
    assert result.cases >= operations * EXAMPLES_PER_OPERATION, result.output
