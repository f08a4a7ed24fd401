"""The SDKs generated from openapi/openapi.json work without hand edits.

The Python client is generated and installed (pip, from its own package metadata) into a
temporary directory, then runs the main flows against a live server; the TypeScript client is
generated and type-checked. Both through scripts/generate-sdk.sh, as `make sdk` does.
"""

import importlib
import subprocess
import sys
from http import HTTPStatus
from pathlib import Path

import pytest

from tests.support.factories import DEFAULT_PASSWORD, unique

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


def _run(command: list[str]) -> None:
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, f"{' '.join(command)} failed:\n{result.stdout}\n{result.stderr}"


@pytest.fixture(scope="module")
def sdk(tmp_path_factory):
    """The generated Python client package, installed into a temporary site directory."""
    work = tmp_path_factory.mktemp("python-sdk")
    _run(["bash", "scripts/generate-sdk.sh", "python", str(work / "source")])
    _run([sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-index",
          "--no-deps", "--no-build-isolation", "--target", str(work / "site"), str(work / "source")])
    sys.path.insert(0, str(work / "site"))
    try:
        yield importlib.import_module("conduit_api_client")
    finally:
        sys.path.remove(str(work / "site"))


def test_python_client_runs_the_main_flows(sdk, live_server):
    from conduit_api_client.api.articles import (
        create_article,
        delete_article,
        get_article,
        get_articles,
        get_articles_feed,
    )
    from conduit_api_client.api.comments import create_article_comment, get_article_comments
    from conduit_api_client.api.favorites import create_article_favorite
    from conduit_api_client.api.profiles import follow_user_by_username
    from conduit_api_client.api.users import create_user, get_current_user, login
    from conduit_api_client.models import (
        GenericErrorModel,
        LoginUser,
        LoginUserRequest,
        NewArticle,
        NewArticleRequest,
        NewComment,
        NewCommentRequest,
        NewUser,
        NewUserRequest,
    )

    def anonymous():
        # A fresh client each time: one cookie jar holds one session, as in a browser.
        return sdk.Client(base_url=live_server, raise_on_unexpected_status=True)

    def register_and_log_in(username: str):
        email = f"{username}@example.com"
        registered = create_user.sync(client=anonymous(), body=NewUserRequest(
            user=NewUser(username=username, email=email, password=DEFAULT_PASSWORD)))
        assert registered.user.username == username and registered.user.bio is None
        logged_in = login.sync(client=anonymous(), body=LoginUserRequest(
            user=LoginUser(email=email, password=DEFAULT_PASSWORD)))
        return sdk.AuthenticatedClient(base_url=live_server, token=logged_in.user.token, prefix="Token",
                                       raise_on_unexpected_status=True)

    author_name, reader_name, tag = unique("author"), unique("reader"), unique("sdk-tag-")
    author = register_and_log_in(author_name)
    reader = register_and_log_in(reader_name)
    assert get_current_user.sync(client=author).user.username == author_name

    article = create_article.sync(client=author, body=NewArticleRequest(article=NewArticle(
        title=unique("SDK article "), description="Made by the SDK", body="Generated, not hand-written.",
        tag_list=[tag, "sdk"]))).article
    assert sorted(article.tag_list) == sorted([tag, "sdk"]) and article.author.username == author_name

    listed = get_articles.sync(client=reader, tag=tag, author=author_name)
    assert listed.articles_count == 1 and [item.slug for item in listed.articles] == [article.slug]

    favorited = create_article_favorite.sync(client=reader, slug=article.slug).article
    assert favorited.favorited is True and favorited.favorites_count == 1

    comment = create_article_comment.sync(client=reader, slug=article.slug, body=NewCommentRequest(
        comment=NewComment(body="Thank you so much!"))).comment
    comments = get_article_comments.sync(client=author, slug=article.slug).comments
    assert [(c.id, c.author.username) for c in comments] == [(comment.id, reader_name)]

    assert follow_user_by_username.sync(client=reader, username=author_name).profile.following is True
    feed = get_articles_feed.sync(client=reader)
    assert article.slug in [item.slug for item in feed.articles]

    assert delete_article.sync_detailed(client=author, slug=article.slug).status_code == HTTPStatus.NO_CONTENT
    missing = get_article.sync(client=reader, slug=article.slug)
    assert isinstance(missing, GenericErrorModel) and missing.errors.body

    refused = login.sync(client=anonymous(), body=LoginUserRequest(
        user=LoginUser(email=f"{author_name}@example.com", password="wrong-password")))
    assert isinstance(refused, GenericErrorModel) and refused.errors.body == ["Invalid email or password."]


def test_typescript_client_type_checks():
    assert (ROOT / "node_modules" / ".bin" / "tsc").exists(), "no node_modules: `make test` installs node, npm and them"
    # Inside the repository, so that the client finds ./node_modules (build/ is git-ignored).
    _run(["bash", "scripts/generate-sdk.sh", "typescript", "build/sdk/typescript"])
