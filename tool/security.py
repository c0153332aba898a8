"""HTTP security headers and session cookie settings (DESIGN §10)."""

from __future__ import annotations

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


def _add_headers(response: flask.Response) -> flask.Response:
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "same-origin"
    return response
