"""Logging in with a wiki account: OAuth 1.0a against Special:OAuth, through mwoauth.

The same code runs against Meta-Wiki and against the local farm's gateway (devwiki/gateway): only
the consumer's index.php, key and secret differ. Tokens travel as plain dicts, so they fit in the
session cookie (JSON, never pickle).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import mwoauth
import requests


@dataclass(frozen=True)
class OAuthConsumer:
    """A consumer registered at Special:OAuthConsumerRegistration, and the wiki it belongs to."""

    index_php: str  # the wiki's index.php: Special:OAuth/… are asked there (mwoauth's mw_uri)
    key: str
    secret: str
    # Where signed API requests go, by dbname, when not to the wiki's own api.php: on the farm, its
    # gateway (which acts as the account on the wiki). Empty on Wikimedia's wikis.
    apis: dict[str, str] = field(default_factory=dict, compare=False)

    @property
    def token(self) -> mwoauth.ConsumerToken:
        return mwoauth.ConsumerToken(self.key, self.secret)


@dataclass(frozen=True)
class Identity:
    """Who logged in, from the identify JWT (signed with the consumer secret, checked by mwoauth)."""

    name: str
    central_id: str


class LoginFailed(Exception):
    """The wiki did not complete a step of the handshake; the message says which and why."""


def consumer_from_config(config: Mapping[str, Any]) -> OAuthConsumer | None:
    """The configured consumer; else, on the farm, its gateway's; else None (nobody can log in)."""
    key, secret = config.get("OAUTH_CONSUMER_KEY"), config.get("OAUTH_CONSUMER_SECRET")
    if key and secret:
        return OAuthConsumer(str(config["OAUTH_MW_URI"]), str(key), str(secret))
    if not config.get("FARM"):
        return None
    gateway = json.loads(Path(config["FARM"]).read_text()).get("oauth")
    if gateway is None or not Path(gateway["consumer_file"]).exists():
        return None  # a scripted farm of the tests, or one whose gateway never started
    registered = json.loads(Path(gateway["consumer_file"]).read_text())
    return OAuthConsumer(
        gateway["index"], registered["key"], registered["secret"], dict(gateway.get("api", {}))
    )


def fetch_request_token(consumer: OAuthConsumer, user_agent: str) -> tuple[str, dict[str, str]]:
    """Special:OAuth/initiate: the URL to send the user to, and the request token to keep meanwhile."""
    try:
        redirect, token = mwoauth.initiate(consumer.index_php, consumer.token, user_agent=user_agent)
    except (mwoauth.OAuthException, requests.RequestException) as e:
        raise LoginFailed(f"Special:OAuth/initiate: {e}") from e
    return str(redirect), {"key": token.key, "secret": token.secret}


def fetch_identity(
    consumer: OAuthConsumer, request_token: Mapping[str, str], query_string: str, user_agent: str
) -> tuple[dict[str, str], Identity]:
    """Special:OAuth/token then /identify: the access token and who authorized it.

    ``query_string`` is the callback's, carrying the verifier; mwoauth checks that it names the
    request token kept for this browser.
    """
    request = mwoauth.RequestToken(request_token["key"], request_token["secret"])
    try:
        access = mwoauth.complete(
            consumer.index_php, consumer.token, request, query_string, user_agent=user_agent
        )
        identity = mwoauth.identify(consumer.index_php, consumer.token, access, user_agent=user_agent)
    except (mwoauth.OAuthException, requests.RequestException) as e:
        raise LoginFailed(str(e)) from e
    except (TypeError, KeyError) as e:
        # mwoauth reads the token answer without checking it: an error answer fails as a lookup.
        raise LoginFailed("Special:OAuth/token refused the verifier") from e
    return {"key": access.key, "secret": access.secret}, Identity(
        str(identity["username"]), str(identity["sub"])
    )
