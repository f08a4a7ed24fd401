"""The OpenAPI document: complete, valid, a superset of RealWorld's, and exported as it is built."""

import json
import os
import re
import subprocess
from pathlib import Path

import pytest
import yaml
from openapi_spec_validator import validate

from api.openapi import ERROR_MODEL, documentation_app
from tests.support.factories import auth_header

ROOT = Path(__file__).resolve().parents[2]
EXPORTED = ROOT / "openapi" / "openapi.json"
UPSTREAM = ROOT.parent / "shared" / "realworld" / "openapi.yml"
METHODS = ("get", "put", "post", "delete", "patch")


@pytest.fixture(scope="module")
def document(app):
    return app.test_client().get("/api/openapi.json").get_json()


def operations(document):
    for path, item in document["paths"].items():
        for method in METHODS:
            if method in item:
                yield path, method, item[method]


def component(document, ref: str) -> dict:
    section, name = ref.removeprefix("#/components/").split("/")
    return document["components"][section][name]


def test_exported_document_is_what_the_code_builds(tmp_path):
    written = tmp_path / "openapi.json"
    result = documentation_app().test_cli_runner().invoke(args=["openapi", "write", "--format=json", str(written)])
    assert result.exit_code == 0, result.output
    assert written.read_text() == EXPORTED.read_text(), (
        "openapi/openapi.json differs from the document the code builds: run `make openapi` and commit it")


def test_served_document_is_the_exported_one(document):
    exported = json.loads(EXPORTED.read_text())
    served_cookie = document["components"]["securitySchemes"]["Cookie"]
    exported["components"]["securitySchemes"]["Cookie"]["name"] = served_cookie["name"]
    assert document == exported


def test_document_is_valid_openapi(document):
    validate(document)


@pytest.mark.slow
def test_linter_reports_no_problem():
    redocly = ROOT / "node_modules" / ".bin" / "redocly"
    assert redocly.exists(), "no node_modules: `make test` installs node, npm and them"
    result = subprocess.run(
        [str(redocly), "lint", "--config", "openapi/redocly.yaml", "openapi/openapi.json"],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
        env={**os.environ, "REDOCLY_TELEMETRY": "off", "REDOCLY_SUPPRESS_UPDATE_NOTICE": "true"},
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_document_is_a_superset_of_realworld(document):
    if not UPSTREAM.exists():
        pytest.skip(f"the RealWorld description is not at {UPSTREAM}")
    upstream = yaml.safe_load(UPSTREAM.read_text())
    prefix = "/api" if upstream["servers"][0]["url"].endswith("/api") else ""
    missing = []
    for path, method, operation in operations(upstream):
        ours = document["paths"].get(prefix + path, {}).get(method)
        if ours is None:
            missing.append(f"{method.upper()} {prefix}{path}")
            continue
        assert ours["operationId"] == operation["operationId"]
        missing += [f"{method.upper()} {prefix}{path} {status}"
                    for status in operation["responses"] if status not in ours["responses"]]
    assert missing == []


def test_every_operation_is_documented(document):
    tags = {tag["name"]: tag.get("description") for tag in document["tags"]}
    operation_ids = [operation["operationId"] for _, _, operation in operations(document)]
    assert len(operation_ids) == len(set(operation_ids))
    for path, method, operation in operations(document):
        where = f"{method.upper()} {path}"
        assert operation["summary"] and operation["description"], where
        assert re.fullmatch(r"[A-Z][A-Za-z]+", operation["operationId"]), where
        assert operation["tags"] and all(tags.get(tag) for tag in operation["tags"]), where
        assert "security" in operation, where
        assert "503" in operation["responses"], where
        if "requestBody" in operation:
            assert operation["requestBody"]["content"]["application/json"]["schema"]["$ref"], where
            assert {"400", "413", "422"} <= set(operation["responses"]), where
        for status, response in operation["responses"].items():
            if "$ref" in response:
                response = component(document, response["$ref"])
            assert response["description"], (where, status)
            assert "X-Request-ID" in response["headers"], (where, status)
            content = response.get("content", {}).get("application/json")
            if status in ("204", "304"):  # no body
                assert content is None, where
            else:  # every body is a named, reusable schema
                assert content["schema"]["$ref"].startswith("#/components/schemas/"), (where, status)
            if status.startswith("4") or (status.startswith("5") and path != "/api/health"):
                assert content["schema"]["$ref"] == f"#/components/schemas/{ERROR_MODEL}", (where, status)
                assert content["example"]["errors"]["body"], (where, status)


def test_retry_after_and_cookies_are_documented(document):
    for _, _, operation in operations(document):
        for status in ("429", "503"):
            if status in operation["responses"]:
                response = operation["responses"][status]
                response = component(document, response["$ref"]) if "$ref" in response else response
                assert "Retry-After" in response["headers"]
    for path, status in (("/api/users", "201"), ("/api/users/login", "200")):
        assert "Set-Cookie" in document["paths"][path]["post"]["responses"][status]["headers"]
    assert "WWW-Authenticate" in document["components"]["responses"]["Unauthorized"]["headers"]


def _properties_without_example(document, schema: dict, seen: set) -> list[str]:
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[1]
        if name in seen:
            return []
        seen.add(name)
        return [f"{name}.{p}" for p in _properties_without_example(document, component(document, schema["$ref"]), seen)]
    missing = []
    for name, prop in schema.get("properties", {}).items():
        if "$ref" in prop or ("items" in prop and "$ref" in prop["items"]):
            missing += _properties_without_example(document, prop.get("items", prop), seen)
        elif "example" not in prop and name != "remember":
            missing.append(name)
    return missing


def test_bodies_have_examples(document):
    missing = []
    for _path, _method, operation in operations(document):
        bodies = [operation["requestBody"]] if "requestBody" in operation else []
        bodies += [r for s, r in operation["responses"].items() if s.startswith("2") and "content" in r]
        for body in bodies:
            missing += _properties_without_example(document, body["content"]["application/json"]["schema"], set())
    assert missing == []


def _call(client, method: str, path: str, headers: dict):
    url = re.sub(r"\{id\}", "1", re.sub(r"\{[a-z_]+\}", "no-such-thing", path))
    return client.open(url, method=method.upper(), json={}, headers=headers)


def test_documented_security_is_what_the_views_enforce(document, api_client):
    for path, method, operation in operations(document):
        security = operation["security"]
        bad_token = _call(api_client, method, path, auth_header("no-such-token"))
        anonymous = _call(api_client, method, path, {})
        where = f"{method.upper()} {path}: {security}"
        if not security:  # absent: credentials are not even looked at
            assert bad_token.status_code != 401 and anonymous.status_code != 401, where
            continue
        assert security[:2] == [{"Token": []}, {"Cookie": []}], where
        assert bad_token.status_code == 401, where
        if {} in security:  # optional
            assert anonymous.status_code != 401, where
        else:
            assert anonymous.status_code == 401, where
