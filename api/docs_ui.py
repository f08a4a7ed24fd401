"""Swagger UI at /api/docs, served entirely by this service, so it works offline.

flask-smorest serves the page (its `api-docs` blueprint, OPENAPI_SWAGGER_UI_* settings); the
page's scripts and styles come from the pinned `swagger-ui-bundle` package, served here under
/api/docs/assets/. Our `templates/swagger_ui.html` replaces flask-smorest's, whose inline
script would need `'unsafe-inline'`: the settings travel as JSON data and `static/swagger-ui-init.js`
starts the UI, so the page's policy allows scripts and styles from this origin only.
"""

from flask import Blueprint, Flask, send_from_directory
from swagger_ui_bundle import swagger_ui_path

from api.security_headers import set_page_policy

# Swagger UI draws its icons from data: URIs; "try it out" calls this origin.
DOCS_PAGE_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)

SMOREST_DOCS_BLUEPRINT = "api-docs"  # flask-smorest's blueprint of the page and the document

blp = Blueprint("docs_assets", __name__, static_folder="static", static_url_path="/static", url_prefix="/api/docs")


@blp.route("/assets/<path:filename>")
def swagger_ui_asset(filename):
    """A file of the swagger-ui-bundle package (scripts, styles, icons)."""
    return send_from_directory(swagger_ui_path, filename)


def init_docs_ui(app: Flask) -> None:
    app.register_blueprint(blp)
    set_page_policy(app, SMOREST_DOCS_BLUEPRINT, DOCS_PAGE_POLICY)
