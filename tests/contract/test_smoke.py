from tests.support.factories import auth_header, register


def test_registered_user_reads_itself_by_token(client):
    user = register(client)
    response = client.get("/api/user", headers=auth_header(user["token"]))
    assert response.status_code == 200
    assert response.get_json()["user"]["username"] == user["username"]
