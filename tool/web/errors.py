"""Error pages in the user's language, with the same layout as every other page."""

from __future__ import annotations

import flask
from werkzeug.exceptions import HTTPException, InternalServerError, NotFound

from tool import messages
from tool.store import SchemaBehind, StoreUnavailable


def init_app(app: flask.Flask) -> None:
    app.register_error_handler(NotFound, _not_found)
    app.register_error_handler(InternalServerError, _server_error)
    # Any page that reads the store: the database gone (or its schema behind) is a 503 that says
    # so, never a 500. The list, the downloads and the API say it in their own words first.
    app.register_error_handler(StoreUnavailable, _store_unavailable)


def _not_found(error: HTTPException) -> tuple[str | flask.Response, int]:
    if _wants_json():
        return flask.jsonify(error="not-found", path=flask.request.path), 404
    page = flask.render_template(
        "error.html", heading="error-not-found-heading", body="error-not-found-body", path=flask.request.path
    )
    return page, 404


def _server_error(error: HTTPException) -> tuple[str | flask.Response, int]:
    # The original exception is already logged by Flask; the page must not leak its details.
    if _wants_json():
        return flask.jsonify(error="server-error"), 500
    return flask.render_template("error.html", heading="error-server-heading", body="error-server-body"), 500


def _store_unavailable(error: StoreUnavailable) -> tuple[str | flask.Response, int]:
    # The log has the database's error; the page says only that it cannot be read (no address).
    flask.current_app.logger.error("the store is unavailable: %s", error)
    code = "api-error-schema-behind" if isinstance(error, SchemaBehind) else "api-error-store-unavailable"
    if _wants_json():
        message = messages.text(code, flask.g.get("interface_language_code", "en"))
        return flask.jsonify(error={"code": code, "message": message, "params": {}}), 503
    return flask.render_template("error.html", heading="error-server-heading", body=code), 503


def _wants_json() -> bool:
    return flask.request.path.startswith("/api/") or flask.request.path == "/healthz"
