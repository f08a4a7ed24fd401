"""The flask-smorest Api: our error format for every error, and the API's security schemes."""

import flask_smorest
from werkzeug.exceptions import HTTPException

from api.errors import DEPENDENCY_ERRORS, dependency_error_response, http_exception_response
from schemas.errors import ErrorSchema


class ConduitApi(flask_smorest.Api):
    ERROR_SCHEMA = ErrorSchema

    def _register_error_handlers(self):
        self._app.register_error_handler(HTTPException, self.handle_http_exception)
        # Raised inside a view: answered directly. Raised elsewhere (e.g. while saving the
        # session), Flask wraps them in a 500 whose handler finds them again.
        for error_class in DEPENDENCY_ERRORS:
            self._app.register_error_handler(error_class, dependency_error_response)

    def handle_http_exception(self, error):
        return http_exception_response(error)



def register_security_schemes(spec) -> None:
    """The two ways to present a session: the RealWorld `Token` header and the session cookie."""
    spec.components.security_scheme(
        "Token",
        {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": 'The session token from `user.token`, sent as "Token <token>" (or "Bearer <token>").',
        },
    )
    spec.components.security_scheme(
        "Cookie",
        {
            "type": "apiKey",
            "in": "cookie",
            "name": "conduit_session",
            "description": "The session cookie set by registration and login.",
        },
    )


def path_arguments(blueprint: flask_smorest.Blueprint, schema):
    """Validate the URL's variables with `schema` (422 when malformed) and pass the loaded values
    to the view as keyword arguments, in place of Flask's raw strings."""
    return blueprint.arguments(schema, location="path", as_kwargs=True)
