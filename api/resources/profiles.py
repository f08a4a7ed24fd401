"""Profiles: read a user's public profile, follow and unfollow."""

from flask.views import MethodView

from api.auth import current_user, current_user_id, login_optional, login_required
from api.data.profiles import fetch_profile, fetch_profile_with_id, follow, unfollow
from api.errors import abort
from api.signals import announce, profile_followed, profile_unfollowed
from api.rate_limits import WRITES, rate_limited
from api.smorest import Blueprint, path_arguments
from schemas.profiles import ProfilePathSchema, ProfileResponseSchema

blp = Blueprint("profiles", __name__, url_prefix="/api", description="Public profiles and follows.")


def found(profile: dict | None, username: str) -> dict:
    if profile is None:
        abort(404, f"No user is called {username!r}.", field="username")
    return profile


@blp.route("/profiles/<username>")
class Profile(MethodView):
    @login_optional
    @path_arguments(blp, ProfilePathSchema)
    @blp.response(200, ProfileResponseSchema)
    @blp.alt_response(404, response="NotFound")
    @blp.doc(operationId="GetProfileByUsername")
    def get(self, username):
        """Get a profile

        `following` says whether the caller follows the user (false when anonymous).
        """
        return {"profile": found(fetch_profile(username, current_user_id()), username)}


@blp.route("/profiles/<username>/follow")
class Follow(MethodView):
    @login_required
    @rate_limited(WRITES)
    @path_arguments(blp, ProfilePathSchema)
    @blp.response(200, ProfileResponseSchema)
    @blp.alt_response(404, response="NotFound")
    @blp.doc(operationId="FollowUserByUsername")
    def post(self, username):
        """Follow a user

        Idempotent: following twice is following. Following yourself is refused (422).
        """
        user = current_user()
        profile = found(fetch_profile_with_id(username), username)
        if profile["id"] == user["id"]:
            abort(422, "You cannot follow yourself.", field="username")
        if follow(user["id"], profile["id"]):
            announce(profile_followed, follower=user, followee=profile)
        return {"profile": {**profile, "following": True}}

    @login_required
    @rate_limited(WRITES)
    @path_arguments(blp, ProfilePathSchema)
    @blp.response(200, ProfileResponseSchema)
    @blp.alt_response(404, response="NotFound")
    @blp.doc(operationId="UnfollowUserByUsername")
    def delete(self, username):
        """Unfollow a user

        Idempotent: unfollowing someone you do not follow changes nothing.
        """
        user = current_user()
        profile = found(fetch_profile_with_id(username), username)
        if unfollow(user["id"], profile["id"]):
            announce(profile_unfollowed, follower=user, followee=profile)
        return {"profile": {**profile, "following": False}}
