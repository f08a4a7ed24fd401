"""Accounts: register, log in, log out, read and update the current user."""

from flask import session
from flask.views import MethodView

from api import session_registry
from api.auth import (
    credentials_still_valid,
    current_token,
    current_user,
    end_current_session,
    end_sessions_beyond_limit,
    login_required,
    require_proof_of_identity,
    session_discarded_on_failure,
    start_session,
)
from api.db import db
from api.data.users import (
    DuplicateUserError,
    fetch_user_by_email,
    fetch_user_by_id,
    insert_user,
    update_password_hash,
    update_user,
)
from api.errors import abort
from api.passwords import burn_equal_time, hash_password, needs_rehash, verify_password
from api.login_limits import limit_failed_logins
from api.rate_limits import REGISTRATIONS, rate_limited
from api.signals import (
    current_sender,
    password_changed,
    user_logged_in,
    user_logged_out,
    user_login_failed,
    user_registered,
    user_updated,
)
from api.security_headers import no_store
from api.smorest import Blueprint
from schemas.users import (
    LoginUserRequestSchema,
    NewUserRequestSchema,
    UpdateUserRequestSchema,
    UserResponseSchema,
)

blp = Blueprint("users", __name__, url_prefix="/api", description="Registration, login and the current user.")

INVALID_CREDENTIALS = "Invalid email or password."


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
        password_hash = hash_password(fields["password"])
        # The account and its "registered" event (written by a receiver) exist together or not at all.
        # Its session is stored before the commit: if Redis is down the account is rolled back
        # with a 503, so a retry succeeds instead of finding its email already taken; if the
        # commit fails, the session is deleted again and no cookie names the rolled-back account.
        with session_discarded_on_failure(), db.transaction():
            try:
                user_id = insert_user(fields["email"], fields["username"], password_hash)
            except DuplicateUserError as error:
                abort(422, "has already been taken", field=error.field)
            user = fetch_user_by_id(user_id)
            user_registered.send(current_sender(), user=user)
            start_session(user)
        return user_envelope(user)


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
        SESSION_MAX_PER_USER sessions ends the account's least recently used one. An unknown email and a wrong
        password get the same 401, after the same work. Failed attempts per account and client
        address are rate-limited.
        """
        credentials = payload["user"]
        # An authentication decision: read on the primary, which has every new account, password
        # and disabling (a replica may lag behind them).
        with db.reads_on_primary():
            user = fetch_user_by_email(credentials["email"])
        if user is None:
            burn_equal_time(credentials["password"])
            user_login_failed.send(current_sender(), email=credentials["email"], user=None)
            abort(401, INVALID_CREDENTIALS)
        if not verify_password(user["password_hash"], credentials["password"]) or user["disabled_at"]:
            user_login_failed.send(current_sender(), email=credentials["email"], user=user)
            abort(401, INVALID_CREDENTIALS)
        if needs_rehash(user["password_hash"]):
            update_password_hash(user["id"], hash_password(credentials["password"]))
        with session_discarded_on_failure():
            start_session(user, remember=credentials["remember"])
            # Stored, then checked again: a password change or `users disable` since the account
            # was read above either revoked this session or is seen here.
            if not credentials_still_valid(user):
                abort(401, INVALID_CREDENTIALS)
            end_sessions_beyond_limit(user)
        user_logged_in.send(current_sender(), user=user)
        return user_envelope(user)


@blp.route("/users/logout")
class Logout(MethodView):
    @login_required
    @blp.response(204)
    @blp.doc(operationId="Logout")
    def post(self):
        """Log out

        Ends the current session: its token and cookie stop working at once.
        """
        user = current_user()
        end_current_session()
        user_logged_out.send(current_sender(), user=user)


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
        return user_envelope(current_user())

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
        user = current_user()
        changes = dict(payload["user"])
        current_password = changes.pop("current_password", None)
        new_password = changes.pop("password", None)
        if new_password is not None or changes.get("email", user["email"]) != user["email"]:
            require_proof_of_identity(user, current_password)
        if new_password is not None:
            changes["password_hash"] = hash_password(new_password)
        # The new password, the end of the other sessions and the "password_changed" event go
        # together: if Redis cannot revoke, the password stays as it was (503, try again). The
        # UPDATE comes first and holds the account's row until the commit, so a login that
        # verified the old password either stored its session before the revocation below reads
        # the index, or waits in its check (api.auth.credentials_still_valid) and is refused.
        with db.transaction():
            try:
                update_user(user["id"], changes)
            except DuplicateUserError as error:
                abort(422, "has already been taken", field=error.field)
            user = fetch_user_by_id(user["id"])
            if new_password is not None:
                session_registry.revoke_sessions_except(user["id"], keep_sid=session.sid)
                password_changed.send(current_sender(), user=user)
        user_updated.send(current_sender(), user=user)
        return user_envelope(user)
