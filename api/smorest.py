"""flask-smorest, adapted: the Blueprint every resource uses (with a JSON body parser that turns
any unusable body into a 400), and the Api (our error format for every error, the document's
shared parts)."""

import json
import re
from typing import NoReturn

import flask_smorest
from webargs import core, flaskparser

from api.compat import ApiWithoutDefaultComponents
from api.errors import DEPENDENCY_ERRORS, dependency_error_response, http_exception_response
from api.openapi import DOCUMENT_OPTIONS, CommonResponsesPlugin, SchemaExtraPlugin, register_components

# A \uD800-\uDFFF escape: the only way a JSON text can smuggle in a lone surrogate, which is
# no Unicode character, cannot be encoded as UTF-8, and would fail later (hashing, SQL) as a 500.
SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")


class JsonBodyParser(flaskparser.FlaskParser):
    """webargs' parser, made strict: a body that json.loads chokes on, or whose text is not
    Unicode, is a 400 "Invalid JSON body" here, never an exception further on (a 500)."""

    def load_json(self, req, schema):
        """The JSON body (`missing` when the request has none); a 400 when it cannot be read."""
        if not req.is_json:
            return core.missing
        body = req.get_data(cache=True)
        if not body:
            return core.missing
        try:
            document = json.loads(body.decode("utf-8"))
        except UnicodeDecodeError as error:
            _refuse_body("it is not UTF-8", error)
        except json.JSONDecodeError as error:
            _refuse_body(f"{error.msg} at line {error.lineno}, column {error.colno}", error)
        except RecursionError as error:
            _refuse_body("it is nested too deeply", error)
        except ValueError as error:  # Python refuses integers of more than 4300 digits
            _refuse_body("a number has too many digits", error)
        if SURROGATE_ESCAPE.search(body):
            try:
                json.dumps(document, ensure_ascii=False).encode("utf-8")
            except (UnicodeEncodeError, RecursionError) as error:
                _refuse_body("a string holds an unpaired UTF-16 surrogate", error)
        return document


def _refuse_body(reason: str, error: Exception) -> NoReturn:
    flaskparser.abort(400, exc=error, messages={"json": [f"Invalid JSON body: {reason}."]})


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


class ConduitApi(ApiWithoutDefaultComponents):
    # Every status an operation can answer is listed: no catch-all "default" response.
    DEFAULT_ERROR_RESPONSE_NAME = None

    def init_app(self, app, *, spec_kwargs=None):
        plugins = {"extra_plugins": [CommonResponsesPlugin(), SchemaExtraPlugin()]}
        super().init_app(app, spec_kwargs={**plugins, **DOCUMENT_OPTIONS, **(spec_kwargs or {})})
        register_components(self.spec, cookie_name=app.config["SESSION_COOKIE_NAME"])
        # Raised inside a view: answered directly. Raised elsewhere (e.g. while saving the
        # session), Flask wraps them in a 500 whose handler finds them again.
        for error_class in DEPENDENCY_ERRORS:
            app.register_error_handler(error_class, dependency_error_response)

    def handle_http_exception(self, error):
        return http_exception_response(error)


def path_arguments(blueprint: flask_smorest.Blueprint, schema):
    """Validate the URL's variables with `schema` (422 when malformed) and pass the loaded values
    to the view as keyword arguments, in place of Flask's raw strings."""
    return blueprint.arguments(schema, location="path", as_kwargs=True)
