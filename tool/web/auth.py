"""/login, /oauth-callback, /logout: OAuth 1.0a with the user's wiki account (DESIGN §10).

The session (signed, HttpOnly, SameSite=Lax cookie) holds the request token between /login and
the callback — popped there, so a callback works once — then the access token and the user name.
"""

from __future__ import annotations

import flask
from flask.typing import ResponseReturnValue

from tool import security
from tool.web.data import runtime
from tool.web.returnto import own_path
from tool.wiki.api import user_agent
from tool.wiki.oauth import LoginFailed, OAuthConsumer, fetch_identity, fetch_request_token

bp = flask.Blueprint("auth", __name__)

REQUEST_TOKEN = "oauth_request_token"
RETURN_TO = "oauth_returnto"
ACCESS_TOKEN = "oauth_access_token"
USER = "user"
USER_ID = "user_central_id"


def current_user() -> str | None:
    """The logged-in user's name, or None."""
    name = flask.session.get(USER)
    return str(name) if name else None


@bp.get("/login")
def login() -> ResponseReturnValue:
    consumer = runtime().oauth_consumer
    if consumer is None:
        return _error("login-unavailable-heading", "login-unavailable-body", 503)
    try:
        redirect, request_token = fetch_request_token(consumer, _user_agent())
    except LoginFailed as e:
        flask.current_app.logger.warning("login: %s", e)
        return _error("login-failed-heading", "login-failed-body", 502, reason=str(e))
    flask.session[REQUEST_TOKEN] = request_token
    flask.session[RETURN_TO] = own_path(flask.request.args.get("returnto")) or flask.url_for("home.index")
    return flask.redirect(redirect)


@bp.get("/oauth-callback")
def oauth_callback() -> ResponseReturnValue:
    # Popped whatever happens next: a callback URL replayed, or opened in another browser, fails.
    request_token = flask.session.pop(REQUEST_TOKEN, None)
    returnto = own_path(flask.session.pop(RETURN_TO, None)) or flask.url_for("home.index")
    consumer: OAuthConsumer | None = runtime().oauth_consumer
    if consumer is None:
        return _error("login-unavailable-heading", "login-unavailable-body", 503)
    if not isinstance(request_token, dict):
        return _error("login-not-started-heading", "login-not-started-body", 400)
    query = flask.request.query_string.decode("utf-8", errors="replace")
    try:
        access_token, identity = fetch_identity(consumer, request_token, query, _user_agent())
    except LoginFailed as e:
        flask.current_app.logger.warning("login: %s", e)
        return _error("login-failed-heading", "login-failed-body", 502, reason=str(e))
    flask.session[ACCESS_TOKEN] = access_token
    flask.session[USER] = identity.name
    flask.session[USER_ID] = identity.central_id
    security.rotate_csrf_token()
    return flask.redirect(returnto)


@bp.route("/logout", methods=["GET", "POST"])
def logout() -> ResponseReturnValue:
    """GET asks (a link must not log anyone out); the POST, with its CSRF token, does it."""
    if flask.request.method == "GET":
        return flask.render_template("logout.html")
    forget_login()
    return flask.redirect(flask.url_for("home.index"))


def forget_login() -> None:
    """Log out: the tokens and the name leave the session, and the CSRF token changes.

    Also when the wiki no longer accepts the access token (revoked, expired): tool.web.wikiuser.
    """
    for key in (ACCESS_TOKEN, USER, USER_ID, REQUEST_TOKEN, RETURN_TO):
        flask.session.pop(key, None)
    security.rotate_csrf_token()


def login_returnto() -> str | None:
    """Where the header's login link returns to: this page, unless it is a step of the login itself."""
    request = flask.request
    if request.blueprint == bp.name or request.method != "GET":
        return None
    return own_path(request.full_path.removesuffix("?"))


def _error(heading: str, body: str, status: int, **params: str) -> tuple[str, int]:
    return flask.render_template("error.html", heading=heading, body=body, params=params), status


def _user_agent() -> str:
    return user_agent(str(flask.current_app.config["CONTACT"]))
