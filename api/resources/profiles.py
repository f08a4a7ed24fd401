"""Profiles: read a user's public profile, follow and unfollow."""

from flask.views import MethodView

from api.auth import login_optional, login_required
from api.cache import content_cache
from api.conditional_gets import conditional_get
from api.rate_limits import WRITES, rate_limited
from api.services import social
from api.smorest import Blueprint, path_arguments
from schemas.profiles import ProfilePathSchema, ProfileResponseSchema

blp = Blueprint("profiles", __name__, url_prefix="/api", description="Public profiles and follows.")


@blp.route("/profiles/<username>")
class Profile(MethodView):
    @login_optional
    @conditional_get(content_cache)
    @path_arguments(blp, ProfilePathSchema)
    @blp.response(200, ProfileResponseSchema)
    @blp.alt_response(404, response="NotFound")
    @blp.doc(operationId="GetProfileByUsername")
    def get(self, username):
        """Get a profile

        `following` says whether the caller follows the user (false when anonymous).
        """
        return {"profile": social.read_profile(username)}


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
        return {"profile": social.follow_profile(username)}

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
        return {"profile": social.unfollow_profile(username)}
