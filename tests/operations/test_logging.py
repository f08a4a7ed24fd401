import pytest

from api.data.users import fetch_user_by_email
from tests.support.factories import DEFAULT_PASSWORD, auth_header, login, register, unique
from tests.support.logs import access_lines, captured_log, json_lines


@pytest.fixture
def json_app(make_app):
    return make_app(LOG_FORMAT="json")


def test_request_logs_one_json_line_with_route_template_and_context(json_app):
    client = json_app.test_client()
    user = register(client)
    with captured_log() as log:
        response = client.get("/api/user", headers={**auth_header(user["token"]), "X-Request-ID": "req-abc.1"})
    assert response.status_code == 200
    (line,) = access_lines(log)
    assert line["request_id"] == "req-abc.1" == response.headers["X-Request-ID"]
    assert line["level"] == "INFO"
    assert line["time"].endswith("+00:00")
    assert (line["method"], line["route"], line["status"]) == ("GET", "/api/user", 200)
    assert line["sql_queries"] == 1  # the user row behind the session
    with json_app.app_context():
        assert line["user_id"] == fetch_user_by_email(user["email"])["id"]
    assert line["client_ip"] == "127.0.0.1"
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] >= 0


def test_unmatched_path_is_not_logged_as_a_route(json_app):
    client = json_app.test_client()
    with captured_log() as log:
        assert client.get("/api/no-such-thing/secret-looking-path").status_code == 404
    (line,) = access_lines(log)
    assert line["route"] is None and line["status"] == 404
    assert "secret-looking-path" not in log.getvalue()


def test_client_ip_comes_from_the_trusted_proxy(make_app):
    app = make_app(LOG_FORMAT="json", TRUSTED_PROXY_HOPS=1)
    with captured_log() as log:
        app.test_client().get("/api/health", headers={"X-Forwarded-For": "198.51.100.7"})
    assert access_lines(log)[0]["client_ip"] == "198.51.100.7"


def test_unhandled_error_logs_its_traceback_and_request_id_in_one_line(make_app):
    app = make_app(LOG_FORMAT="json", PROPAGATE_EXCEPTIONS=False)

    def explode():
        raise RuntimeError("boom-marker")

    app.add_url_rule("/explode", view_func=explode)
    with captured_log() as log:
        response = app.test_client().get("/explode")
    assert response.status_code == 500
    assert response.get_json()["errors"]["body"] == ["Internal server error."]
    lines = json_lines(log)  # every line, the traceback's included, is one JSON object
    (error,) = [line for line in lines if line["level"] == "ERROR"]
    assert error["request_id"] == response.headers["X-Request-ID"]
    assert "Traceback" in error["traceback"] and "RuntimeError: boom-marker" in error["traceback"]
    (access,) = [line for line in lines if line["logger"] == "conduit.access"]
    assert access["status"] == 500 and access["request_id"] == error["request_id"]


def test_text_format_is_one_readable_line_with_the_request_id(make_app):
    app = make_app(LOG_FORMAT="text")
    with captured_log() as log:
        response = app.test_client().get("/api/health")
    (line,) = [line for line in log.getvalue().splitlines() if "conduit.access" in line]
    assert f"[{response.headers['X-Request-ID']}] GET /api/health {response.status_code} " in line


@pytest.mark.parametrize("setting", [{"LOG_FORMAT": "xml"}, {"LOG_LEVEL": "LOUD"}])
def test_unknown_log_settings_are_refused(make_app, setting):
    with pytest.raises(ValueError):
        make_app(**setting)


def test_no_password_token_or_cookie_reaches_the_log(make_app):
    app = make_app(LOG_FORMAT="json", LOG_LEVEL="DEBUG")
    client = app.test_client()
    username, new_password = unique(), f"new-{unique('pw')}-secret"
    with captured_log() as log:
        register(client, username=username)
        logged_in = login(client, f"{username}@example.com")
        token = logged_in.get_json()["user"]["token"]
        cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"]).value
        assert client.get("/api/user", headers=auth_header(token)).status_code == 200
        changed = client.put("/api/user", json={"user": {"password": new_password}}, headers=auth_header(token))
        assert changed.status_code == 200
        assert client.post("/api/users/logout", headers=auth_header(token)).status_code == 204
        invalid = client.post("/api/users", json={"user": {"email": "not-an-email", "password": new_password}})
        assert invalid.status_code == 422
        assert client.get("/api/profiles-nowhere", headers=auth_header(token)).status_code == 404
    output = log.getvalue()
    assert len(access_lines(log)) == 7
    for secret in (DEFAULT_PASSWORD, new_password, token, cookie):
        assert secret not in output
    assert "authorization" not in output.lower() and "cookie" not in output.lower()
