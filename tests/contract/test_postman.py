"""The Postman collection: generated from the committed document, and it runs as it is."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
COLLECTION = ROOT / "openapi" / "conduit.postman_collection.json"
DOCUMENT = ROOT / "openapi" / "openapi.json"
NEWMAN = ROOT / "node_modules" / ".bin" / "newman"
RUNS = 2


def documented_success() -> dict[tuple[str, str], int]:
    """(METHOD, path) -> the lowest 2xx status the document gives the operation."""
    statuses = {}
    for path, methods in json.loads(DOCUMENT.read_text())["paths"].items():
        for method, operation in methods.items():
            if isinstance(operation, dict) and "responses" in operation:
                successes = [int(code) for code in operation["responses"] if code.startswith("2")]
                statuses[(method.upper(), path)] = min(successes)
    return statuses


def template_of(request: dict) -> tuple[str, str]:
    parts = ["{" + part[1:] + "}" if part.startswith(":") else part for part in request["url"]["path"]]
    return request["method"], "/" + "/".join(parts)


@pytest.mark.slow
def test_committed_collection_is_current(tmp_path):
    assert NEWMAN.exists(), "no node_modules: `make test` installs node, npm and them"
    fresh = tmp_path / "collection.json"
    subprocess.run([sys.executable, "scripts/postman_collection.py", "--output", str(fresh)],
                   cwd=ROOT, check=True, capture_output=True, timeout=120)
    assert json.loads(fresh.read_text()) == json.loads(COLLECTION.read_text()), \
        "openapi/conduit.postman_collection.json is stale: run `make postman` and commit it"


def test_collection_covers_every_operation_and_sends_the_token_where_required():
    collection = json.loads(COLLECTION.read_text())
    document = json.loads(DOCUMENT.read_text())
    requests = [item["request"] for item in collection["item"]]
    assert sorted(template_of(request) for request in requests) == sorted(documented_success())
    for request in requests:
        method, path = template_of(request)
        security = document["paths"][path][method.lower()].get("security", [])
        sends_token = request["auth"]["type"] == "apikey" and (
            {entry["key"]: entry["value"] for entry in request["auth"]["apikey"]}
            == {"key": "Authorization", "value": "Token {{token}}", "in": "header"})
        assert sends_token == any("Token" in requirement for requirement in security), (method, path)
    assert {variable["key"] for variable in collection["variable"]} >= {"baseUrl", "token"}


@pytest.mark.slow
def test_newman_runs_the_collection_twice_in_a_row_with_the_documented_statuses(live_server, tmp_path):
    assert NEWMAN.exists(), "no node_modules: `make test` installs node, npm and them"
    report = tmp_path / "report.json"
    result = subprocess.run(
        [str(NEWMAN), "run", str(COLLECTION), "--env-var", f"baseUrl={live_server}", "--iteration-count", str(RUNS),
         "--reporters", "cli,json", "--reporter-json-export", str(report), "--color", "off", "--disable-unicode"],
        check=False, cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]

    run = json.loads(report.read_text())["run"]
    items = json.loads(COLLECTION.read_text())["item"]
    expected = documented_success()
    # A request's own execution comes after those its pre-request script sent (pm.sendRequest).
    own = {}
    for execution in run["executions"]:
        own[(execution["cursor"]["iteration"], execution["cursor"]["position"])] = execution
    executions = list(own.values())
    assert [execution["item"]["name"] for execution in executions] == [item["name"] for item in items] * RUNS
    for execution, item in zip(executions, items * RUNS):
        operation = template_of(item["request"])
        assert execution["response"]["code"] == expected[operation], (operation, execution["response"]["code"])
        assert execution["assertions"] and not [a for a in execution["assertions"] if a.get("error")], operation
    assert run["failures"] == []
