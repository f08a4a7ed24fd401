"""The caller's security activity log."""

from flask.views import MethodView

from api.auth import login_required
from api.security_headers import no_store
from api.services import accounts
from api.smorest import Blueprint
from schemas.activity import ActivityResponseSchema
from schemas.pagination import PaginationQuerySchema

blp = Blueprint("activity", __name__, url_prefix="/api",
                description="The caller's security events: logins, failed logins, password changes, revoked sessions.")


@blp.route("/user/activity")
class Activity(MethodView):
    @no_store
    @login_required
    @blp.arguments(PaginationQuerySchema, location="query")
    @blp.response(200, ActivityResponseSchema)
    @blp.doc(operationId="ListActivity")
    def get(self, page):
        """List the caller's security events

        Newest first: registered, login, login_failed (someone tried this account's email
        with a wrong password), logout, password_changed, session_revoked; each with the time,
        IP and user agent of the request that caused it.
        """
        return accounts.my_activity(page["limit"], page["offset"])
