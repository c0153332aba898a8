"""HTTP security headers, session cookie settings and the CSRF token of every POST (DESIGN §10)."""

from __future__ import annotations

import hmac
import secrets

import flask

#: No source outside the tool's own host: Toolforge's privacy policy, and a strong XSS defence.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "img-src 'self' data:",
        "style-src 'self'",
        "script-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


def init_app(app: flask.Flask) -> None:
    # Assigned, not setdefault: Flask's own defaults already hold these keys (SAMESITE None).
    app.config["SESSION_COOKIE_HTTPONLY"] = True
    app.config["SESSION_COOKIE_SAMESITE"] = "Lax"
    # Toolforge serves over HTTPS only; a local `flask run` is plain HTTP, where a Secure cookie
    # would never come back, so the HTTPS key says which.
    app.config["SESSION_COOKIE_SECURE"] = bool(app.config.get("HTTPS"))
    app.after_request(_add_headers)
    # After toolforge-i18n's own before_request (registered first), so the refusal is localized.
    app.before_request(_check_csrf)
    app.jinja_env.globals["csrf_token"] = csrf_token


#: The form field (or X-CSRF-Token header) that carries the token.
CSRF_FIELD = "csrf_token"
#: Methods that may change something: each needs the token. GET and HEAD never change anything.
_UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


#: Set on a request whose page carries this browser's token: that page is this browser's alone.
TOKEN_SHOWN = "csrf_token_shown"


def csrf_token() -> str:
    """This browser's token, made on first use; forms that POST carry it in a hidden field."""
    # A page holding the token must never be served to another browser (tool.web.pagecache keeps
    # visitors' pages): it would hand them this session's token, or a token that is not theirs.
    flask.g.setdefault(TOKEN_SHOWN, True)
    if CSRF_FIELD not in flask.session:
        flask.session[CSRF_FIELD] = secrets.token_urlsafe(32)
    return str(flask.session[CSRF_FIELD])


def rotate_csrf_token() -> None:
    """A new token when who is logged in changes, so a token seen before no longer works."""
    flask.session[CSRF_FIELD] = secrets.token_urlsafe(32)


def _check_csrf() -> flask.Response | None:
    """Refuse, before any view runs, a POST whose token is missing or not this session's: 400."""
    if flask.request.method not in _UNSAFE_METHODS:
        return None
    sent = flask.request.form.get(CSRF_FIELD) or flask.request.headers.get("X-CSRF-Token") or ""
    expected = flask.session.get(CSRF_FIELD) or ""
    if expected and hmac.compare_digest(sent.encode(), expected.encode()):
        return None
    page = flask.render_template("error.html", heading="csrf-failed-heading", body="csrf-failed-body")
    return flask.make_response(page, 400)


def _add_headers(response: flask.Response) -> flask.Response:
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "same-origin"
    return response
