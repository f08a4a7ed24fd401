"""Build openapi/conduit.postman_collection.json from the committed OpenAPI document (`make postman`).

openapi-to-postmanv2 (pinned in package.json) turns each operation into a request; this script
then makes the collection run as it is, in Postman's runner or with newman, as often as wanted:

- one request per operation, in the order of a user's visit: register, log in, write, read,
  clean up, and end the sessions last (they would kill the token the others use);
- collection variables: `baseUrl`, and `token`, which the register and login requests set
  from `user.token`; every operation with a Token security requirement sends
  `Authorization: Token {{token}}`;
- working example bodies: the register request makes up a new user each run (and a second
  user to follow), and the requests pass the slug, comment and session ids along;
- a test on every request: the documented success status.

The converter's random parts (ids, example values and answers made up from the schemas) are
dropped, so the same document always gives the same file: tests/contract/test_postman.py fails when the
committed one is stale.
"""

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCUMENT = ROOT / "openapi" / "openapi.json"
COLLECTION = ROOT / "openapi" / "conduit.postman_collection.json"
CONVERTER = ROOT / "node_modules" / ".bin" / "openapi2postmanv2"
SCHEMA = "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"
BASE_URL = "http://127.0.0.1:8000"
PASSWORD = "postman-password"

# The visit, one operationId a step. Every operation of the document must appear exactly once.
FLOW = [
    "GetHealth", "GetTags",
    "CreateUser", "Login", "GetCurrentUser", "UpdateCurrentUser",
    "GetProfileByUsername", "FollowUserByUsername",
    "CreateArticle", "GetArticles", "GetArticlesFeed", "GetArticle", "UpdateArticle",
    "CreateArticleFavorite", "DeleteArticleFavorite",
    "CreateArticleComment", "GetArticleComments", "DeleteArticleComment",
    "UnfollowUserByUsername", "DeleteArticle", "ListActivity",
    "ListSessions", "RevokeSession", "RevokeOtherSessions", "Logout",
]

BODIES = {
    "CreateUser": {"user": {"username": "{{username}}", "email": "{{email}}", "password": "{{password}}"}},
    "Login": {"user": {"email": "{{email}}", "password": "{{password}}"}},
    "UpdateCurrentUser": {"user": {"bio": "I work at statefarm"}},
    "CreateArticle": {"article": {"title": "How to train your dragon {{run}}", "description": "Ever wonder how?",
                                  "body": "You have to believe.", "tagList": ["dragons", "postman"]}},
    "UpdateArticle": {"article": {"title": "How to train your dragon, revised {{run}}"}},
    "CreateArticleComment": {"comment": {"body": "Thank you so much!"}},
}

PATH_VARIABLES = {"username": "{{friendUsername}}", "slug": "{{slug}}", "id": "{{commentId}}",
                  "session_id": "{{otherSessionId}}"}
QUERY_VALUES = {"limit": "20", "offset": "0", "tag": "dragons", "author": "{{username}}"}
# Parameters left disabled whose made-up value would differ each build (the converter draws
# one from the schema's pattern): a fixed one instead, the document's example.
DISABLED_QUERY_VALUES = {"before": "AAAAAAAAAIQ"}

# Scripts that run before a request (pre-request) and after it (test), beside the status test.
MAKE_UP_USERS = """\
// A new user each run (and a second one to follow), so the collection runs again and again.
const run = Date.now().toString(36) + Math.random().toString(36).slice(2, 6);
pm.collectionVariables.set("run", run);
pm.collectionVariables.set("username", "postman_" + run);
pm.collectionVariables.set("email", "postman_" + run + "@example.com");
pm.collectionVariables.set("password", PASSWORD);
pm.collectionVariables.set("friendUsername", "postman_friend_" + run);
pm.sendRequest({
    url: pm.variables.replaceIn("{{baseUrl}}/api/users"),
    method: "POST",
    header: {"Content-Type": "application/json"},
    body: {mode: "raw", raw: JSON.stringify({user: {
        username: "postman_friend_" + run, email: "postman_friend_" + run + "@example.com",
        password: pm.collectionVariables.get("password")}})},
}, (error, response) => {
    if (error || response.code !== 201) { throw new Error("could not register the user to follow: " + (error || response.code)); }
});""".replace("PASSWORD", json.dumps(PASSWORD))

# Logging in again "from another device" (the token sent along, so no cookie session is ended):
# the session list then holds a session that the next requests can end.
LOG_IN_ELSEWHERE = """\
pm.sendRequest({
    url: pm.variables.replaceIn("{{baseUrl}}/api/users/login"),
    method: "POST",
    header: {"Content-Type": "application/json",
             "Authorization": pm.variables.replaceIn("Token {{token}}")},
    body: {mode: "raw", raw: pm.variables.replaceIn(
        JSON.stringify({user: {email: "{{email}}", password: "{{password}}"}}))},
}, (error, response) => {
    if (error || response.code !== 200) { throw new Error("could not log in again: " + (error || response.code)); }
});"""

PRE_REQUEST = {"CreateUser": MAKE_UP_USERS, "ListSessions": LOG_IN_ELSEWHERE}
AFTER = {
    "CreateUser": 'pm.collectionVariables.set("token", pm.response.json().user.token);',
    "Login": 'pm.collectionVariables.set("token", pm.response.json().user.token);',
    "CreateArticle": 'pm.collectionVariables.set("slug", pm.response.json().article.slug);',
    "UpdateArticle": '// A new title gives a new slug.\npm.collectionVariables.set("slug", pm.response.json().article.slug);',
    "CreateArticleComment": 'pm.collectionVariables.set("commentId", pm.response.json().comment.id);',
    "ListSessions": """\
// The session of the other login: the token is the current one.
const other = pm.response.json().sessions.find((session) => !session.current);
pm.collectionVariables.set("otherSessionId", other ? other.id : "none");""",
}


def operations(document: dict) -> dict[tuple[str, str], dict]:
    """(METHOD, path as the converter writes it) -> operationId, success status, secured."""
    found = {}
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            success = min(int(status) for status in operation["responses"] if status.startswith("2"))
            secured = any("Token" in requirement for requirement in operation.get("security", []))
            converted_path = "/".join(
                ":" + part[1:-1] if part.startswith("{") else part for part in path.strip("/").split("/"))
            found[(method.upper(), converted_path)] = {"id": operation["operationId"], "status": success,
                                                       "secured": secured}
    return found


def requests_of(items: list[dict]) -> list[dict]:
    """The converter's requests, out of their folders."""
    flat = []
    for item in items:
        flat.extend(requests_of(item["item"]) if "item" in item else [item])
    return flat


def script(kind: str, source: str) -> dict:
    return {"listen": kind, "script": {"type": "text/javascript", "exec": source.splitlines()}}


def json_body(body: dict) -> dict:
    return {"mode": "raw", "raw": json.dumps(body, indent=2),
            "options": {"raw": {"headerFamily": "json", "language": "json"}}}


def finish_request(item: dict, operation: dict) -> dict:
    """One converted request made runnable: variables, auth, body, scripts, one example answer."""
    request = item["request"]
    request.pop("name", None)
    url = request["url"]
    for variable in url.get("variable", []):
        variable["value"] = PATH_VARIABLES[variable["key"]]
    for parameter in url.get("query", []):
        parameter["value"] = QUERY_VALUES.get(parameter["key"],
                                              DISABLED_QUERY_VALUES.get(parameter["key"], parameter["value"]))
        parameter["disabled"] = parameter["key"] not in QUERY_VALUES
    for header in request.get("header", []):
        if header["key"] == "If-None-Match":  # there to try by hand; a run asks for full answers
            header["disabled"] = True
    if operation["secured"]:
        request["auth"] = {"type": "apikey", "apikey": [
            {"key": "key", "value": "Authorization", "type": "string"},
            {"key": "value", "value": "Token {{token}}", "type": "string"},
            {"key": "in", "value": "header", "type": "string"},
        ]}
    else:
        request["auth"] = {"type": "noauth"}
    if operation["id"] in BODIES:
        request["body"] = json_body(BODIES[operation["id"]])
    elif request.pop("body", None):
        raise SystemExit(f"{operation['id']} takes a body: give it a working example in BODIES")

    status = operation["status"]
    tests = f'pm.test("answers {status}", () => pm.response.to.have.status({status}));'
    events = [script("test", "\n".join(filter(None, [tests, AFTER.get(operation["id"])])))]
    if operation["id"] in PRE_REQUEST:
        events.insert(0, script("prerequest", PRE_REQUEST[operation["id"]]))
    # No example answers: the converter makes their bodies up at random from the schemas.
    return {"name": item["name"], "event": events, "request": request, "response": []}


def without_ids(value):
    """The converter gives every item and answer a random id: drop them for a stable file."""
    if isinstance(value, dict):
        return {key: without_ids(inner) for key, inner in value.items() if key not in ("id", "_postman_id")}
    if isinstance(value, list):
        return [without_ids(inner) for inner in value]
    return value


def build(converted: dict, document: dict) -> dict:
    known = operations(document)
    if sorted(FLOW) != sorted(operation["id"] for operation in known.values()):
        raise SystemExit("FLOW must name every operation of the document once: "
                         f"missing {sorted({o['id'] for o in known.values()} - set(FLOW))}, "
                         f"unknown {sorted(set(FLOW) - {o['id'] for o in known.values()})}")
    by_id = {}
    for item in requests_of(converted["item"]):
        request = item["request"]
        operation = known[(request["method"], "/".join(request["url"]["path"]))]
        by_id[operation["id"]] = finish_request(item, operation)
    info = document["info"]
    return without_ids({
        "info": {"name": info["title"], "schema": SCHEMA,
                 "description": "Generated from openapi/openapi.json by `make postman`. Run it in order "
                                "(Postman's runner, or `newman run`): it registers a new user, logs in and "
                                "keeps the token in the `token` variable. Set `baseUrl` to your server."},
        "item": [by_id[operation_id] for operation_id in FLOW],
        "variable": [{"key": "baseUrl", "value": BASE_URL, "type": "string"},
                     {"key": "token", "value": "", "type": "string"}],
    })


def convert(document_path: Path) -> dict:
    """openapi-to-postmanv2's collection of the document."""
    with tempfile.TemporaryDirectory() as directory:
        output = Path(directory) / "converted.json"
        subprocess.run([str(CONVERTER), "--spec", str(document_path), "--output", str(output),
                        "--options", "folderStrategy=Tags"], check=True, stdout=subprocess.DEVNULL)
        return json.loads(output.read_text())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=COLLECTION)
    args = parser.parse_args()
    document = json.loads(DOCUMENT.read_text())
    collection = build(convert(DOCUMENT), document)
    args.output.write_text(json.dumps(collection, indent=2, ensure_ascii=False) + "\n")
    print(f"wrote {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
