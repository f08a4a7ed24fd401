"""Tags: every tag in use."""

from flask.views import MethodView

from api.cache import tags_cache
from api.conditional_gets import conditional_get
from api.services import tags
from api.smorest import Blueprint
from schemas.tags import TagsResponseSchema

blp = Blueprint("tags", __name__, url_prefix="/api", description="Tags in use.")


@blp.route("/tags")
class Tags(MethodView):
    # The same for every caller; only a change to the tags of an article changes it.
    @conditional_get(tags_cache, per_caller=False)
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
