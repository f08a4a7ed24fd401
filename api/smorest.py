"""flask-smorest, adapted: the Blueprint every resource uses (with a JSON body parser that turns
any unusable body into a 400), and the Api (our error format for every error, the document's
shared parts)."""

import json
import re

import flask_smorest
from webargs import core, flaskparser
from werkzeug.exceptions import HTTPException

from api.errors import DEPENDENCY_ERRORS, dependency_error_response, http_exception_response
from api.openapi import DOCUMENT_OPTIONS, CommonResponsesPlugin, SchemaExtraPlugin, register_components

# A \uD800-\uDFFF escape: the only way a JSON text can smuggle in a lone surrogate, which is
# no Unicode character, cannot be encoded as UTF-8, and would fail later (hashing, SQL) as a 500.
SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")
# The `doc` of the decode errors we raise ourselves, which have no position worth reporting.
UNPARSED_BODY = "<request body>"


class JsonBodyParser(flaskparser.FlaskParser):
    """webargs' parser, made strict: a body that json.loads chokes on, or whose text is not
    Unicode, is a 400 "Invalid JSON body" here, never an exception further on (a 500)."""

    def _raw_load_json(self, request):
        try:
            document = super()._raw_load_json(request)
        except json.JSONDecodeError:
            raise  # webargs' own 400 (or "no body" when the body is empty)
        except RecursionError:
            raise _invalid_json("it is nested too deeply") from None
        except ValueError:  # Python refuses integers of more than 4300 digits
            raise _invalid_json("a number has too many digits") from None
        if document is not core.missing and SURROGATE_ESCAPE.search(request.get_data(cache=True)):
            try:
                json.dumps(document, ensure_ascii=False).encode("utf-8")
            except (UnicodeEncodeError, RecursionError):
                raise _invalid_json("a string holds an unpaired UTF-16 surrogate") from None
        return document

    def _handle_invalid_json_error(self, error, request, *args, **kwargs):
        if isinstance(error, UnicodeDecodeError) or isinstance(error.__cause__, UnicodeDecodeError):
            reason = "it is not UTF-8"
        elif error.doc == UNPARSED_BODY:
            reason = error.msg
        else:
            reason = f"{error.msg} at line {error.lineno}, column {error.colno}"
        flaskparser.abort(400, exc=error, messages={"json": [f"Invalid JSON body: {reason}."]})


def _invalid_json(reason: str) -> json.JSONDecodeError:
    # A non-empty `doc`: webargs reads an empty one as "no body at all".
    return json.JSONDecodeError(reason, doc=UNPARSED_BODY, pos=0)


class Blueprint(flask_smorest.Blueprint):
    """The Blueprint of every resource module (tests check that each one is ours)."""

    ARGUMENTS_PARSER = JsonBodyParser()

    def arguments(self, schema, *args, **kwargs):
        # Given a Schema class, webargs builds an instance of it on every request, deep-copying
        # its fields each time; one instance, built here, serves every request (marshmallow
        # keeps no per-load state on it). flask-smorest already does this for responses.
        if isinstance(schema, type):
            schema = schema()
        return super().arguments(schema, *args, **kwargs)


class ConduitApi(flask_smorest.Api):
    # Every status an operation can answer is listed: no catch-all "default" response.
    DEFAULT_ERROR_RESPONSE_NAME = None

    def _init_spec(self, **options):
        super()._init_spec(extra_plugins=[CommonResponsesPlugin(), SchemaExtraPlugin()], **DOCUMENT_OPTIONS, **options)
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
