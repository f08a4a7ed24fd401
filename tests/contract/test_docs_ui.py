"""Swagger UI at /api/docs: served entirely by this service, under a strict page policy, and usable
in a real browser (Debian's Chromium, driven by Playwright): the operations render, "Authorize"
with a token works, and so does "try it out" with the cookie that logging in sets."""

import json
import os
import re
from pathlib import Path

import pytest

from api.docs_ui import DOCS_PAGE_POLICY
from tests.support.factories import DEFAULT_PASSWORD, register

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def test_docs_page_loads_only_this_services_files(client):
    page = client.get("/api/docs")
    assert page.status_code == 200 and page.mimetype == "text/html"
    assert page.headers["Content-Security-Policy"] == DOCS_PAGE_POLICY
    html = page.get_data(as_text=True)
    urls = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert urls and all(url.startswith("/api/docs/") for url in urls), urls
    for url in urls:
        assert client.get(url).status_code == 200, url
    config = json.loads(re.search(r'<script id="swagger-ui-config" type="application/json">(.*?)</script>',
                                  html, re.DOTALL).group(1))
    assert config["url"] == "/api/openapi.json" and config["withCredentials"] and config["persistAuthorization"]


def test_docs_assets_refuse_paths_outside_the_bundle(client):
    assert client.get("/api/docs/assets/../__init__.py").status_code == 404
    assert client.get("/api/docs/assets/no-such-file.js").get_json()["errors"]["body"]


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"no Chromium at {CHROMIUM}: `make test` installs Debian's (scripts/provision-browser.sh)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def docs_page(browser, live_server):
    """A fresh browser context on /api/docs, with the problems it reports collected in `page.problems`."""
    context = browser.new_context()
    page = context.new_page()
    page.problems = []
    page.on("console", lambda message: message.type in ("error", "warning") and page.problems.append(message.text))
    page.on("pageerror", lambda error: page.problems.append(str(error)))
    page.on("requestfailed", lambda request: page.problems.append(f"failed: {request.url}"))
    page.goto(f"{live_server}/api/docs")
    page.wait_for_selector("#operations-articles-GetArticlesFeed", timeout=15_000)
    yield page
    context.close()


LIVE_RESPONSE_STATUS = ".live-responses-table tr.response .response-col_status"
LIVE_RESPONSE_BODY = ".live-responses-table tr.response .highlight-code code"


def execute(page, operation_id: str, tag: str, body: dict | None = None) -> tuple[str, str]:
    """Open an operation, fill its JSON body, press Execute: (status, response body) as shown."""
    block = page.locator(f"#operations-{tag}-{operation_id}")
    block.locator(".opblock-summary").click()
    if body is not None:
        block.locator("textarea.body-param__text").fill(json.dumps(body))
    block.locator("button.execute").click()
    status = block.locator(LIVE_RESPONSE_STATUS)
    status.wait_for(timeout=10_000)
    return status.inner_text().strip(), block.locator(LIVE_RESPONSE_BODY).inner_text()


@pytest.mark.slow
def test_swagger_ui_renders_every_operation_without_errors(docs_page, document_operation_ids):
    rendered = docs_page.locator(".opblock-summary-operation-id").all_inner_texts()
    assert sorted(rendered) == sorted(document_operation_ids)
    assert docs_page.problems == []


@pytest.fixture
def document_operation_ids(app):
    document = app.test_client().get("/api/openapi.json").get_json()
    return [operation["operationId"] for item in document["paths"].values()
            for method, operation in item.items() if method != "parameters"]


@pytest.mark.slow
def test_authorize_with_a_token_then_try_it_out(docs_page, api_client):
    user = register(api_client)
    docs_page.locator("button.authorize").first.click()
    token_form = docs_page.locator(".auth-container", has_text="Token (apiKey)")
    token_form.locator("input").fill(f"Token {user['token']}")
    token_form.locator("button.authorize").click()
    docs_page.locator("button.btn-done").first.click()

    status, body = execute(docs_page, "GetCurrentUser", "users")
    assert status == "200" and json.loads(body)["user"]["username"] == user["username"]
    assert docs_page.problems == []


@pytest.mark.slow
def test_log_in_with_try_it_out_then_the_cookie_works(docs_page, api_client):
    user = register(api_client)
    status, _ = execute(docs_page, "GetCurrentUser", "users")
    assert status == "401"

    status, _ = execute(docs_page, "Login", "users",
                        body={"user": {"email": user["email"], "password": DEFAULT_PASSWORD}})
    assert status == "200"
    # Execute again in the same block: the browser now sends the session cookie login set.
    block = docs_page.locator("#operations-users-GetCurrentUser")
    block.locator("button.execute").click()
    block.locator(LIVE_RESPONSE_STATUS, has_text="200").wait_for(timeout=10_000)
    assert json.loads(block.locator(LIVE_RESPONSE_BODY).inner_text())["user"]["username"] == user["username"]
    # The 401 before logging in is a failed request, not a page problem.
    assert [problem for problem in docs_page.problems if "401" not in problem] == []
