"""Accounts: register, log in, log out, read and update the current user."""

from flask.views import MethodView

from api.auth import current_token, login_required
from api.login_limits import limit_failed_logins
from api.rate_limits import REGISTRATIONS, rate_limited
from api.security_headers import no_store
from api.services import accounts
from api.smorest import Blueprint
from schemas.users import (
    LoginUserRequestSchema,
    NewUserRequestSchema,
    UpdateUserRequestSchema,
    UserResponseSchema,
)

blp = Blueprint("users", __name__, url_prefix="/api", description="Registration, login and the current user.")


def user_envelope(user: dict) -> dict:
    return {"user": {**user, "token": current_token()}}


@blp.route("/users")
class Users(MethodView):
    @no_store
    @rate_limited(REGISTRATIONS)
    @blp.arguments(NewUserRequestSchema, description="The new account.")
    @blp.response(201, UserResponseSchema, headers={"Set-Cookie": "Set-Cookie"})
    @blp.alt_response(429, response="TooManyRequests")
    @blp.doc(operationId="CreateUser", security=[])
    def post(self, payload):
        """Register a new user

        Creates the account and logs it in: the response carries the session token, and the
        session cookie is set. Attempts per client address are rate-limited.
        """
        fields = payload["user"]
        return user_envelope(accounts.register(fields["email"], fields["username"], fields["password"]))


@blp.route("/users/login")
class Login(MethodView):
    @no_store
    @limit_failed_logins
    @blp.arguments(LoginUserRequestSchema, description="The credentials.")
    @blp.response(200, UserResponseSchema, headers={"Set-Cookie": "Set-Cookie"})
    @blp.alt_response(401, response="Unauthorized")
    @blp.alt_response(429, response="TooManyRequests")
    @blp.doc(operationId="Login", security=[])
    def post(self, payload):
        """Log in

        Starts a fresh session (a new token, never the one sent; the session of the cookie sent
        along is not ended, as a client may also hold it as a token). `remember: false` gives a
        browser-session cookie and the short server-side lifetime. A login beyond
        SESSION_MAX_PER_USER sessions ends the account's least recently used one. An unknown
        email and a wrong password get the same 401, after the same work. Failed attempts per
        account and client address are rate-limited.
        """
        credentials = payload["user"]
        return user_envelope(accounts.log_in(credentials["email"], credentials["password"],
                                             remember=credentials["remember"]))


@blp.route("/users/logout")
class Logout(MethodView):
    @login_required
    @blp.response(204)
    @blp.doc(operationId="Logout")
    def post(self):
        """Log out

        Ends the current session: its token and cookie stop working at once.
        """
        accounts.log_out()


@blp.route("/user")
class CurrentUser(MethodView):
    @no_store
    @login_required
    @blp.response(200, UserResponseSchema)
    # Listed by the RealWorld description for every operation; this one takes no input to refuse.
    @blp.alt_response(422, response="UnprocessableEntity")
    @blp.doc(operationId="GetCurrentUser")
    def get(self):
        """Get the current user

        The caller's account, with the token of the session this request came with.
        """
        return user_envelope(accounts.current_account())

    @no_store
    @login_required
    @blp.arguments(UpdateUserRequestSchema, description="The fields to change: at least one.")
    @blp.response(200, UserResponseSchema)
    @blp.alt_response(403, response="Forbidden")
    @blp.doc(operationId="UpdateCurrentUser")
    def put(self, payload):
        """Update the current user

        Send any of email, username, password, bio, image. A new password ends every other
        session of the user, including those of logins that used the old password while the
        change was being made; this one stays. Changing the password, or the email to another
        address, also needs `currentPassword`, unless this session logged in less than
        REAUTH_WINDOW_SECONDS (10 minutes) ago; otherwise 403.
        """
        return user_envelope(accounts.update_current_account(payload["user"]))
