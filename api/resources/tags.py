"""Tags: every tag in use."""

from flask.views import MethodView

from api.services import tags
from api.smorest import Blueprint
from schemas.tags import TagsResponseSchema

blp = Blueprint("tags", __name__, url_prefix="/api", description="Tags in use.")


@blp.route("/tags")
class Tags(MethodView):
    @blp.response(200, TagsResponseSchema)
    # Listed by the RealWorld description for every operation; this one takes no input to refuse.
    @blp.alt_response(422, response="UnprocessableEntity")
    @blp.doc(operationId="GetTags", security=[])
    def get(self):
        """Get tags

        Every tag on at least one article, the most used first (ties by name). Served from a
        Redis cache that every change to an article's tags invalidates; from MySQL when Redis
        is down.
        """
        return {"tags": tags.tags_in_use()}
