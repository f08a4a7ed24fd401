"""The flask-smorest Api: our error format for every error, and the document's shared parts."""

import flask_smorest
from werkzeug.exceptions import HTTPException

from api.errors import DEPENDENCY_ERRORS, dependency_error_response, http_exception_response
from api.openapi import DOCUMENT_OPTIONS, CommonResponsesPlugin, register_components


class ConduitApi(flask_smorest.Api):
    # Every status an operation can answer is listed: no catch-all "default" response.
    DEFAULT_ERROR_RESPONSE_NAME = None

    def _init_spec(self, **options):
        super()._init_spec(extra_plugins=[CommonResponsesPlugin()], **DOCUMENT_OPTIONS, **options)
        register_components(self.spec, cookie_name=self._app.config["SESSION_COOKIE_NAME"])

    def _register_responses(self):
        """flask-smorest's error responses are named after HTTPStatus; ours come from
        api.openapi.register_components, with names that stay put."""

    def _register_pagination_header(self):
        """Unused: our lists page with ?limit=&offset= and carry their own count."""

    def _register_error_handlers(self):
        self._app.register_error_handler(HTTPException, self.handle_http_exception)
        # Raised inside a view: answered directly. Raised elsewhere (e.g. while saving the
        # session), Flask wraps them in a 500 whose handler finds them again.
        for error_class in DEPENDENCY_ERRORS:
            self._app.register_error_handler(error_class, dependency_error_response)

    def handle_http_exception(self, error):
        return http_exception_response(error)


def path_arguments(blueprint: flask_smorest.Blueprint, schema):
    """Validate the URL's variables with `schema` (422 when malformed) and pass the loaded values
    to the view as keyword arguments, in place of Flask's raw strings."""
    return blueprint.arguments(schema, location="path", as_kwargs=True)
