"""The caller's login sessions: list them, end one, end all the others."""

from flask.views import MethodView

from api.auth import login_required
from api.security_headers import no_store
from api.services import sessions
from api.smorest import Blueprint
from schemas.pagination import PaginationQuerySchema
from schemas.sessions import SessionsResponseSchema

blp = Blueprint("sessions", __name__, url_prefix="/api",
                description="The caller's sessions: every login, where it was used, and ending it remotely.")


@blp.route("/user/sessions")
class Sessions(MethodView):
    @no_store
    @login_required
    @blp.arguments(PaginationQuerySchema, location="query")
    @blp.response(200, SessionsResponseSchema)
    @blp.doc(operationId="ListSessions")
    def get(self, page):
        """List the caller's sessions

        The caller's live sessions, newest first, a page at a time. `id` is a public id,
        useless as a token; `current` marks the session this request came with. A session ends
        at its `expiresAt`: its sliding expiry, or SESSION_ABSOLUTE_LIFETIME after its login,
        whichever comes first. An account holds at most SESSION_MAX_PER_USER sessions: a login
        beyond it ends the least recently used one.
        """
        return sessions.list_my_sessions(page["limit"], page["offset"])

    @login_required
    @blp.response(204)
    @blp.doc(operationId="RevokeOtherSessions")
    def delete(self):
        """End every other session

        Logs the caller out everywhere but here: the other sessions' tokens and cookies are
        refused from their next request on.
        """
        sessions.end_my_other_sessions()


@blp.route("/user/sessions/<session_id>", parameters=[
    {"in": "path", "name": "session_id", "description": "The session's public `id`, from the session list."},
])
class SessionById(MethodView):
    @login_required
    @blp.response(204)
    @blp.alt_response(404, response="NotFound")
    @blp.doc(operationId="RevokeSession")
    def delete(self, session_id):
        """End one session

        Ends one of the caller's own sessions (its token dies at once); the current one too,
        which is then a logout. Any other id, including another user's session, is a 404.
        """
        sessions.end_my_session(session_id)
