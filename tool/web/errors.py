"""Error pages in the user's language, with the same layout as every other page."""

from __future__ import annotations

import flask
from werkzeug.exceptions import HTTPException, InternalServerError, NotFound


def init_app(app: flask.Flask) -> None:
    app.register_error_handler(NotFound, _not_found)
    app.register_error_handler(InternalServerError, _server_error)


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


def _wants_json() -> bool:
    return flask.request.path.startswith("/api/") or flask.request.path == "/healthz"
