from tests.support.factories import auth_header, follow, register, unique


def test_profile_shows_public_fields_and_not_following_to_anonymous(api_client):
    user = register(api_client)
    response = api_client.get(f"/api/profiles/{user['username']}")
    assert response.status_code == 200
    assert response.get_json() == {
        "profile": {"username": user["username"], "bio": None, "image": None, "following": False}
    }


def test_unknown_profile_is_404_in_the_error_format(api_client):
    response = api_client.get(f"/api/profiles/{unique('nobody')}")
    assert response.status_code == 404
    assert response.get_json()["errors"]["body"]


def test_malformed_username_is_422(api_client):
    response = api_client.get("/api/profiles/not%20a%20name")
    assert response.status_code == 422
    assert "username" in response.get_json()["errors"]


def test_bad_token_on_optional_auth_profile_is_401(api_client):
    user = register(api_client)
    response = api_client.get(f"/api/profiles/{user['username']}", headers=auth_header("not-a-session"))
    assert response.status_code == 401


def test_follow_shows_following_to_the_follower_only(api_client):
    followee, follower, stranger = register(api_client), register(api_client), register(api_client)
    assert follow(api_client, follower["token"], followee["username"])["following"] is True
    url = f"/api/profiles/{followee['username']}"
    assert api_client.get(url, headers=auth_header(follower["token"])).get_json()["profile"]["following"] is True
    assert api_client.get(url, headers=auth_header(stranger["token"])).get_json()["profile"]["following"] is False
    assert api_client.get(url).get_json()["profile"]["following"] is False


def test_follow_twice_is_still_following(api_client):
    followee, follower = register(api_client), register(api_client)
    follow(api_client, follower["token"], followee["username"])
    assert follow(api_client, follower["token"], followee["username"])["following"] is True


def test_unfollow_is_idempotent(api_client):
    followee, follower = register(api_client), register(api_client)
    follow(api_client, follower["token"], followee["username"])
    url = f"/api/profiles/{followee['username']}/follow"
    for _ in range(2):
        response = api_client.delete(url, headers=auth_header(follower["token"]))
        assert response.status_code == 200
        assert response.get_json()["profile"]["following"] is False
    profile = api_client.get(f"/api/profiles/{followee['username']}", headers=auth_header(follower["token"]))
    assert profile.get_json()["profile"]["following"] is False


def test_following_yourself_is_422(api_client):
    user = register(api_client)
    response = api_client.post(f"/api/profiles/{user['username']}/follow", headers=auth_header(user["token"]))
    assert response.status_code == 422
    assert response.get_json()["errors"]["username"] == ["You cannot follow yourself."]


def test_follow_unknown_user_is_404(api_client):
    user = register(api_client)
    for method in ("post", "delete"):
        response = getattr(api_client, method)(f"/api/profiles/{unique('nobody')}/follow",
                                               headers=auth_header(user["token"]))
        assert response.status_code == 404


def test_follow_and_unfollow_need_a_login(api_client):
    user = register(api_client)
    for method in ("post", "delete"):
        response = getattr(api_client, method)(f"/api/profiles/{user['username']}/follow")
        assert response.status_code == 401
        assert response.get_json()["errors"]["body"]
