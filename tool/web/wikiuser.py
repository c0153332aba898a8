"""The logged-in person on the wiki: a client acting as them, and what happens when the wiki refuses
their token (issue #10).

The access token is in the session since the login (tool.web.auth). A token the wiki no longer
accepts (revoked at Special:OAuthManageMyGrants, expired, or forgotten by a restarted farm) ends the
tool's login too: the person is told and logs in again, rather than failing at every click.
"""

from __future__ import annotations

from typing import Any

import flask

from tool.web import auth
from tool.web.data import runtime
from tool.wiki.api import ApiClient
from tool.wiki.usernames import normalize_username


def user_name() -> str | None:
    """The logged-in person's account name as the wiki spells it, or None."""
    name = auth.current_user()
    return normalize_username(name) if name else None


def user_client() -> ApiClient | None:
    """A client on the home wiki acting as the logged-in person; None when nobody is logged in."""
    token: Any = flask.session.get(auth.ACCESS_TOKEN)
    rt = runtime()
    if not isinstance(token, dict) or rt.oauth_consumer is None or auth.current_user() is None:
        return None
    return rt.user_client(rt.registry.home, {"key": str(token["key"]), "secret": str(token["secret"])})


def token_refused() -> None:
    """The wiki refused the person's token: they are logged out here too (and told by the caller)."""
    flask.current_app.logger.info("the wiki refused the access token of %s: logged out", auth.current_user())
    auth.forget_login()


def login_url(returnto: str) -> str:
    return flask.url_for("auth.login", returnto=returnto)
