from api.receivers import connect_receiver
from api.signals import user_logged_in
from tests.support.factories import auth_header, login, register
from tests.support.logs import captured_log, json_lines
from tests.support.scrape import scrape


class ReceiverBroke(Exception):
    pass


def fail_on_login(sender, **extra):
    raise ReceiverBroke("receiver-failure-marker")


def test_failing_receiver_is_logged_and_counted_and_the_request_succeeds(make_app):
    app = make_app(METRICS_ENABLED=True, LOG_FORMAT="json")
    client = app.test_client()
    user = register(client)
    failures = {"signal": "user-logged-in", "receiver": "tests.operations.test_receivers.fail_on_login"}
    before = scrape(client).value("conduit_signal_receiver_failures_total", **failures)
    connected = connect_receiver(app, user_logged_in, fail_on_login)
    try:
        with captured_log() as log:
            response = login(client, user["email"])
    finally:
        user_logged_in.disconnect(connected, sender=app)
    assert response.status_code == 200
    assert client.get("/api/user", headers=auth_header(response.get_json()["user"]["token"])).status_code == 200
    (error,) = [line for line in json_lines(log) if line["level"] == "ERROR"]
    assert error["request_id"] == response.headers["X-Request-ID"]
    assert "fail_on_login" in error["message"] and "user-logged-in" in error["message"]
    assert "ReceiverBroke: receiver-failure-marker" in error["traceback"]
    assert scrape(client).value("conduit_signal_receiver_failures_total", **failures) - before == 1


def test_receivers_of_one_app_do_not_hear_another_apps_signals(make_app):
    quiet_app, failing_app = make_app(LOG_FORMAT="json"), make_app(LOG_FORMAT="json")
    connected = connect_receiver(failing_app, user_logged_in, fail_on_login)
    try:
        client = quiet_app.test_client()
        user = register(client)
        with captured_log() as log:
            assert login(client, user["email"]).status_code == 200
    finally:
        user_logged_in.disconnect(connected, sender=failing_app)
    assert [line for line in json_lines(log) if line["level"] == "ERROR"] == []
