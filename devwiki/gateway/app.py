"""The gateway's HTTP endpoints, at the URLs mwoauth and requests-oauthlib use on a real wiki.

  index.php?title=Special:OAuth/initiate      a request token (signed by the consumer; callback oob)
  index.php?title=Special:OAuth/authenticate  the consent page (also .../authorize): pick an account
  index.php?title=Special:OAuth/token         the access token, for the verifier the callback carried
  index.php?title=Special:OAuth/identify      a JWT naming the account (HS256, the consumer secret)
  <dbname>/api.php                            an OAuth-signed API request, sent on to that farm wiki
                                              in the account's own session

This is a development tool on 127.0.0.1: the consent page asks for no password, anyone who can
reach it may act as any farm account, as anyone can who reads the farm's credentials.json.
"""

from __future__ import annotations

import html
import json
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import flask
import jwt
import requests
from oauthlib.oauth1 import AccessTokenEndpoint, AuthorizationEndpoint, RequestTokenEndpoint, ResourceEndpoint

from devwiki.gateway.accounts import FarmAccounts
from devwiki.gateway.tokens import TokenStore, Validator

#: Seconds an identify JWT is valid (MediaWiki's $wgOAuthIdentifyExpiry is about as short).
JWT_LIFETIME = 100


def create_gateway(status_file: Path) -> flask.Flask:
    status = json.loads(status_file.read_text())
    server = status["oauth"]["server"]
    store = TokenStore()
    validator = Validator(Path(status["oauth"]["consumer_file"]), store)
    accounts = FarmAccounts(status)
    app = flask.Flask(__name__)

    @app.route("/index.php", methods=["GET", "POST"])
    def index() -> flask.Response:
        title = flask.request.values.get("title", "")
        if title == "Special:OAuth/initiate":
            return _signed_answer(RequestTokenEndpoint(validator).create_request_token_response)
        if title in ("Special:OAuth/authenticate", "Special:OAuth/authorize"):
            return _consent(AuthorizationEndpoint(validator), store, accounts)
        if title == "Special:OAuth/token":
            return _signed_answer(AccessTokenEndpoint(validator).create_access_token_response)
        if title == "Special:OAuth/identify":
            return _identify(ResourceEndpoint(validator), validator, store, accounts, server)
        return _text(f"The farm's OAuth gateway serves Special:OAuth only, not {title!r}.", 404)

    @app.route("/<dbname>/api.php", methods=["GET", "POST"])
    def api(dbname: str) -> flask.Response:
        if dbname not in status["wikis"]:
            return _text(f"No wiki {dbname!r} in the farm.", 404)
        valid, request = ResourceEndpoint(validator).validate_protected_resource_request(*_oauth_args())
        if not valid:
            return _api_error(
                "mwoauth-invalid-authorization", "The authorization headers in your request are not valid."
            )
        return _pass_on(accounts, dbname, store.account_of(request.resource_owner_key))

    return app


def _oauth_args() -> tuple[str, str, str | None, dict[str, str]]:
    """The request as oauthlib verifies it: the URL signed, the method, a form body, the headers."""
    request = flask.request
    # Only a form body is part of the signature (RFC 5849 §3.4.1.3); an upload's is not.
    form = request.mimetype == "application/x-www-form-urlencoded"
    body = request.get_data(as_text=True) if form else None
    # The query as it was sent: request.url decodes what Werkzeug deems safe ("|" of every
    # multi-value parameter such as prop=info|revisions), and oauthlib refuses such a query.
    query = request.query_string.decode("ascii", errors="replace")
    url = request.base_url + ("?" + query if query else "")
    return url, request.method, body, dict(request.headers)


def _signed_answer(endpoint: Any) -> flask.Response:
    headers, body, status = endpoint(*_oauth_args())
    if status != 200:
        # Special:OAuth's own form, which mwoauth turns into an OAuthException with this text.
        return _text(f"Error: {body or 'the request is not signed by a known consumer'}", status)
    return flask.Response(body, status, headers)


def _consent(endpoint: AuthorizationEndpoint, store: TokenStore, accounts: FarmAccounts) -> flask.Response:
    token = flask.request.values.get("oauth_token", "")
    if not endpoint.request_validator.verify_request_token(token, None):
        return _text("Error: this request token is unknown, or was already used.", 400)
    if flask.request.method == "GET":
        return flask.Response(
            _consent_page(token, list(accounts.passwords)), 200, {"Content-Type": "text/html; charset=utf-8"}
        )
    account = flask.request.form.get("account", "")
    if "cancel" in flask.request.form or account not in accounts.passwords:
        store.pending.pop(token, None)
        return _text("Authorization cancelled: the tool gets nothing. Close this page.", 200)
    store.allow(token, account)
    uri = flask.request.base_url + "?" + urlencode({"oauth_token": token})
    headers, _body, status = endpoint.create_authorization_response(uri, "GET", None, {}, realms=[])
    return flask.Response("", status, headers)


def _consent_page(token: str, names: list[str]) -> str:
    options = "\n".join(
        f'<label><input type="radio" name="account" value="{html.escape(name)}"{" checked" * (i == 0)}> '
        f"{html.escape(name)}</label><br>"
        for i, name in enumerate(names)
    )
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Allow the tool to act as a farm account</title></head>
<body><main>
<h1>Allow Event Outcomes to act as …</h1>
<p>The local wiki farm's OAuth gateway. Pick the farm account to log in as; the tool may then read
and edit the farm's wikis as that account.</p>
<form method="post">
<input type="hidden" name="oauth_token" value="{html.escape(token)}">
<fieldset><legend>Account</legend>
{options}
</fieldset>
<button type="submit" name="allow" value="1">Allow</button>
<button type="submit" name="cancel" value="1">Cancel</button>
</form></main></body></html>
"""


def _identify(
    endpoint: ResourceEndpoint, validator: Validator, store: TokenStore, accounts: FarmAccounts, server: str
) -> flask.Response:
    valid, request = endpoint.validate_protected_resource_request(*_oauth_args())
    if not valid or request is None:
        # Special:OAuth/identify's error form, which mwoauth turns into an OAuthException.
        body = {
            "error": "mwoauth-invalid-authorization",
            "message": "The authorization headers are not valid.",
        }
        return flask.Response(json.dumps(body), 200, {"Content-Type": "application/json"})
    account = store.account_of(request.resource_owner_key)
    info = _userinfo(accounts, account)
    now = int(time.time())
    claims = {
        "iss": server,
        "sub": str(info["id"]),  # PyJWT (2.10 on) refuses a number here
        "aud": request.client_key,
        "exp": now + JWT_LIFETIME,
        "iat": now,
        "nonce": request.nonce,  # mwoauth compares it with its request's: no replayed answer
        "username": info["name"],
        "editcount": info.get("editcount", 0),
        "confirmed_email": False,
        "blocked": "blockid" in info,
        # MediaWiki's 14-digit form: 2018-05-01T12:00:00Z → 20180501120000.
        "registered": "".join(ch for ch in info.get("registrationdate") or "" if ch.isdigit()),
        "groups": info.get("groups", []),
        "rights": info.get("rights", []),
        "grants": ["basic", "highvolume", "editpage", "createeditmovepage"],
    }
    token = jwt.encode(claims, validator.consumer().secret, algorithm="HS256")
    return flask.Response(token, 200, {"Content-Type": "application/jwt"})


def _userinfo(accounts: FarmAccounts, account: str) -> dict[str, Any]:
    """The account as the home wiki sees it, asked in the account's own session."""
    params = {
        "action": "query",
        "meta": "userinfo",
        "uiprop": "groups|rights|editcount|registrationdate|blockinfo",
    }
    response = accounts.session("metawiki", account).get(
        accounts.status["wikis"]["metawiki"]["api"], params={**params, "format": "json"}, timeout=30
    )
    info: dict[str, Any] = response.json()["query"]["userinfo"]
    return info


def _pass_on(accounts: FarmAccounts, dbname: str, account: str) -> flask.Response:
    """The request, less its OAuth parameters, sent to the farm wiki in the account's session."""
    incoming = flask.request
    params = [(k, v) for k, v in incoming.args.items(multi=True) if not k.startswith("oauth_")]
    body = incoming.get_data() if incoming.method == "POST" else None
    headers = {"Content-Type": incoming.headers["Content-Type"]} if "Content-Type" in incoming.headers else {}
    url = accounts.status["wikis"][dbname]["api"]

    def send(session: requests.Session) -> requests.Response:
        return session.request(incoming.method, url, params=params, data=body, headers=headers, timeout=60)

    response = send(accounts.session(dbname, account))
    if response.headers.get("MediaWiki-API-Error", "").startswith("assert"):
        # The wiki forgot the session (expired, farm reset): log in again, once.
        response = send(accounts.session(dbname, account, fresh=True))
    kept = {k: v for k, v in response.headers.items() if k in ("Content-Type", "MediaWiki-API-Error")}
    return flask.Response(response.content, response.status_code, kept)


def _api_error(code: str, info: str) -> flask.Response:
    body = json.dumps({"error": {"code": code, "info": info}})
    return flask.Response(body, 200, {"Content-Type": "application/json", "MediaWiki-API-Error": code})


def _text(body: str, status: int) -> flask.Response:
    return flask.Response(body, status, {"Content-Type": "text/plain; charset=utf-8"})
