"""The OpenAPI document's shared parts: its front matter, how callers authenticate, the headers
and error responses every operation shares.

flask-smorest builds each operation from its view's decorators; what no view should repeat is
added here, through apispec's plugin hook (`CommonResponsesPlugin.operation_helper`):

- an error response is the shared component of its status (`NotFound`, `Unauthorized`, ...),
  with the contract's error body (`GenericErrorModel`) and an example. The names are ours, not
  `HTTPStatus` names, which Python renames between versions (413, 422 in 3.13);
- every operation may answer 503 (MySQL or Redis unreachable); one with a JSON body, 400
  (malformed JSON) and 413 (too large);
- every response carries X-Request-ID;
- an operation that may answer 304 takes If-None-Match;
- responses are listed in status order.

And a schema may add what its fields cannot say (`SchemaExtraPlugin`): a partial update's
"at least one of the fields".

Nothing in the document may depend on the environment, except the session cookie's name; the
exported copy (`make openapi`) is built by `documentation_app()` with fixed settings.
"""

from apispec import BasePlugin
from apispec.ext.marshmallow.common import resolve_schema_cls

from schemas.errors import ErrorSchema

ERROR_MODEL = "GenericErrorModel"  # the upstream RealWorld name of the error body

DOCUMENT_OPTIONS = {
    "info": {
        "description": (
            "The RealWorld Conduit API (users, profiles, follows, articles, tags, favorites, comments, "
            "a personal feed) with server-side sessions.\n\n"
            "**Authentication.** Registration and login answer a `user.token`: send it as "
            "`Authorization: Token <token>` (`Bearer` works too). Browsers get the same session as a "
            "cookie; in this page, log in with *Try it out* and the cookie is used from then on, or "
            "paste the token into *Authorize* as `Token <token>`. Logout and session revocation end "
            "a token at once.\n\n"
            "**Errors** always look like `{\"errors\": {\"<field>\": [\"...\"], \"body\": [\"<field>: ...\"]}}`: "
            "one key per offending field, and `body` with every message as a sentence.\n\n"
            "**Lists** page with `?limit=` (1 to 100, default 20; comments 1 to 500, default 100) and `?offset=`.\n\n"
            "Every response carries `X-Request-ID` (the caller's own, when it sent a sane one): "
            "quote it when reporting a problem."
        ),
        "license": {"name": "MIT", "url": "https://opensource.org/licenses/MIT"},
    },
    # Relative: the server that serves the document (every path starts with /api).
    "servers": [{"url": "/", "description": "This server"}],
}

HEADERS = {
    "X-Request-ID": {
        "description": "The request's id: the caller's X-Request-ID when it sent a sane one, else a new one.",
        "schema": {"type": "string", "example": "9ac266d1ed8e428fa68845d6cd07a361"},
    },
    "Retry-After": {
        "description": "Seconds to wait before trying again.",
        "schema": {"type": "integer", "example": 5},
    },
    "WWW-Authenticate": {
        "description": "The scheme to authenticate with.",
        "schema": {"type": "string", "example": 'Token realm="conduit"'},
    },
    "ETag": {
        "description": ("The version of the answer: a hash of its exact body (strong; quoted). Send it back"
                        " in If-None-Match to get 304 Not Modified while nothing the answer shows has"
                        " changed."),
        "schema": {"type": "string", "example": '"3f2a9c1e0b7d4e6f8a5c2b1d0e9f8a7b"'},
    },
    "Cache-Control": {
        "description": ("`no-cache`: a copy may be kept but must be revalidated (If-None-Match) before each"
                        " use; `private, no-cache` when the answer is the signed-in caller's."),
        "schema": {"type": "string", "example": "private, no-cache"},
    },
    "Vary": {
        "description": "The answer depends on the caller: `Authorization, Cookie`.",
        "schema": {"type": "string", "example": "Authorization, Cookie"},
    },
    "Set-Cookie": {
        "description": "The session cookie (HttpOnly, SameSite): the same session as `user.token`.",
        "schema": {"type": "string", "example": "conduit_session=3f1c...; Path=/; HttpOnly; SameSite=Lax"},
    },
}


def _error_example(message: str, field: str | None = None) -> dict:
    if field is None:
        return {"errors": {"body": [message]}}
    return {"errors": {field: [message], "body": [f"{field}: {message}"]}}


# status: (component name, description, example body, headers besides X-Request-ID)
ERROR_RESPONSES = {
    400: ("BadRequest", "The body is not valid JSON.", _error_example("Invalid JSON body."), ()),
    401: ("Unauthorized",
          ("No credentials, or a token or cookie that names no live session (expired, revoked, logged "
          "out); at login, a wrong email or password."),
          _error_example("Authentication required: send 'Authorization: Token <token>' or the session cookie."),
          ("WWW-Authenticate",)),
    403: ("Forbidden", ("Not allowed: the resource belongs to another user, or a new password or email"
                       " came without a fresh proof of identity (currentPassword)."),
          _error_example("Only the author of an article may change or delete it."), ()),
    404: ("NotFound", "Nothing has this slug, username or id.",
          _error_example("No article has the slug 'how-to-train-your-dragon'.", "slug"), ()),
    413: ("PayloadTooLarge", "The body is larger than the configured limit (1 MiB by default).",
          _error_example("The request body is larger than 1048576 bytes."), ()),
    422: ("UnprocessableEntity", "Invalid input: each offending field gets its messages.",
          _error_example("has already been taken", "email"), ()),
    429: ("TooManyRequests",
          "Too many attempts (failed logins, registrations, writes): retry after Retry-After seconds.",
          _error_example("Too many failed logins for this account from your address. "
                         "Retry after the time in Retry-After."),
          ("Retry-After",)),
    503: ("ServiceUnavailable", "MySQL or Redis cannot be reached: retry after Retry-After seconds.",
          _error_example("The service is temporarily unavailable (mysql cannot be reached). Retry later."),
          ("Retry-After",)),
}


def register_components(spec, *, cookie_name: str) -> None:
    """Headers, the error model, the error responses, conditional GETs' parts and the two security schemes."""
    for name, header in HEADERS.items():
        spec.components.header(name, header, lazy=True)
    spec.components.schema(ERROR_MODEL, schema=ErrorSchema)
    for name, description, example, headers in ERROR_RESPONSES.values():
        spec.components.response(name, {
            "description": description,
            "content": {"application/json": {"schema": ERROR_MODEL, "example": example}},
            "headers": {header: header for header in ("X-Request-ID", *headers)},
        }, lazy=True)
    spec.components.parameter("If-None-Match", "header", {
        "description": ("ETags of answers you hold (from the ETag header), comma-separated, or `*`: when one"
                        " is still current the answer is 304 Not Modified, without a body."),
        "schema": {"type": "string", "example": '"3f2a9c1e0b7d4e6f8a5c2b1d0e9f8a7b"'},
    }, lazy=True)
    spec.components.response("NotModified", {
        "description": ("Nothing the answer shows has changed since the ETag sent in If-None-Match: use the"
                        " copy you hold. No body; the headers a 200 would carry (ETag, Cache-Control, Vary)."),
        "headers": {header: header for header in ("ETag", "Cache-Control", "Vary", "X-Request-ID")},
    }, lazy=True)
    spec.components.security_scheme("Token", {
        "type": "apiKey",
        "in": "header",
        "name": "Authorization",
        "description": 'The session token from `user.token`, sent as "Token <token>" (or "Bearer <token>").',
    })
    spec.components.security_scheme("Cookie", {
        "type": "apiKey",
        "in": "cookie",
        "name": cookie_name,
        "description": "The session cookie set by registration and login. Browsers send it by themselves "
                       "(pages cannot set it: in Swagger UI, run Login with Try it out instead).",
    })


class CommonResponsesPlugin(BasePlugin):
    """Adds the responses every operation shares (see the module docstring)."""

    def operation_helper(self, path=None, operations=None, **kwargs):
        for operation in (operations or {}).values():
            responses = operation.setdefault("responses", {})
            common = {503: ERROR_RESPONSES[503][0]}
            if "requestBody" in operation:
                common.update({400: ERROR_RESPONSES[400][0], 413: ERROR_RESPONSES[413][0]})
            if "304" in map(str, responses):  # a conditional GET (api.conditional_gets)
                operation.setdefault("parameters", []).append("If-None-Match")
            for status, name in common.items():
                if str(status) not in map(str, responses):
                    responses[status] = name
            for status, response in responses.items():
                if isinstance(response, str) and int(status) in ERROR_RESPONSES:
                    # By reference: the shared component of its status, whatever name was given.
                    responses[status] = ERROR_RESPONSES[int(status)][0]
                elif isinstance(response, dict):
                    response.setdefault("headers", {}).setdefault("X-Request-ID", "X-Request-ID")
            operation["responses"] = {str(status): responses[status] for status in sorted(responses, key=int)}


class SchemaExtraPlugin(BasePlugin):
    """Merges a marshmallow schema's `openapi_extra()` (a classmethod, when it has one) into its
    component, after apispec has documented its fields."""

    def schema_helper(self, name, definition, **kwargs):
        schema = kwargs.get("schema")
        schema_class = resolve_schema_cls(schema) if schema is not None else None
        extra = getattr(schema_class, "openapi_extra", None)
        return extra() if extra else None


def documentation_app():
    """The app `make openapi` exports the document from: fixed settings, whatever the environment."""
    from api import create_app  # here, not at the top: api imports this module
    from settings import Config

    return create_app(Config, {"SESSION_COOKIE_NAME": "conduit_session", "METRICS_ENABLED": False})
