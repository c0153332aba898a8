"""The farm's OAuth gateway speaks Special:OAuth as mwoauth expects, and passes signed API requests
on to the farm's wikis as the account that allowed them — and refuses what is not signed right."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jwt
import mwoauth
import pytest
import requests
from requests_oauthlib import OAuth1

from tests.conftest import consent
from tool.wiki.oauth import LoginFailed, OAuthConsumer, fetch_identity, fetch_request_token

pytestmark = pytest.mark.farm

USER_AGENT = "event-outcomes-tests"


@pytest.fixture(scope="module")
def consumer(farm: dict[str, Any]) -> OAuthConsumer:
    registered = json.loads(Path(farm["oauth"]["consumer_file"]).read_text())
    return OAuthConsumer(farm["oauth"]["index"], registered["key"], registered["secret"])


def allow(consumer: OAuthConsumer, account: str) -> mwoauth.AccessToken:
    """The three legs as mwoauth runs them for the tool: initiate, the consent page, token."""
    redirect, request_token = mwoauth.initiate(consumer.index_php, consumer.token, user_agent=USER_AGENT)
    callback = consent(redirect, account)
    return mwoauth.complete(
        consumer.index_php,
        consumer.token,
        mwoauth.RequestToken(**request_token._asdict()),
        urlsplit(callback).query,
    )


def signed(consumer: OAuthConsumer, token: mwoauth.AccessToken, token_secret: str | None = None) -> OAuth1:
    return OAuth1(consumer.key, consumer.secret, token.key, token_secret or token.secret)


def userinfo(api: str, auth: OAuth1 | None) -> dict[str, Any]:
    params = {"action": "query", "meta": "userinfo", "format": "json"}
    data: dict[str, Any] = requests.get(api, params=params, auth=auth, timeout=30).json()
    return data


def test_identify_names_the_account_in_a_jwt_signed_with_the_consumer_secret(
    farm: dict[str, Any], consumer: OAuthConsumer
) -> None:
    token = allow(consumer, "Bob Otieno")
    # mwoauth checks the signature, the audience, the issuer's host and that the nonce is its own.
    identity = mwoauth.identify(consumer.index_php, consumer.token, token, user_agent=USER_AGENT)
    assert identity["username"] == "Bob Otieno"
    assert identity["iss"] == farm["oauth"]["server"]
    assert identity["aud"] == consumer.key
    assert identity["registered"] == "20180502120000"  # the organizer's generated registration

    raw = requests.post(
        consumer.index_php,
        params={"title": "Special:OAuth/identify"},
        auth=signed(consumer, token),
        timeout=30,
    ).content
    with pytest.raises(jwt.InvalidSignatureError):
        jwt.decode(
            raw,
            "another consumer's secret, as long as a real one",
            audience=consumer.key,
            algorithms=["HS256"],
        )


def test_signed_api_requests_act_as_the_account_on_every_wiki(
    farm: dict[str, Any], consumer: OAuthConsumer
) -> None:
    token = allow(consumer, "Wanjiru Kamau")
    for wiki in ("metawiki", "enwiki", "swwiki"):
        info = userinfo(farm["oauth"]["api"][wiki], signed(consumer, token))["query"]["userinfo"]
        assert info["name"] == "Wanjiru Kamau"
        assert "anon" not in info


def test_a_signed_edit_is_made_by_the_account(farm: dict[str, Any], consumer: OAuthConsumer) -> None:
    # Admin, who takes part in no event: the edit changes no generated history the tests count.
    token = allow(consumer, "Admin")
    api = farm["oauth"]["api"]["enwiki"]
    auth = signed(consumer, token)
    csrf = requests.get(
        api, params={"action": "query", "meta": "tokens", "format": "json"}, auth=auth, timeout=30
    )
    title = f"User:Admin/gateway {uuid.uuid4().hex[:8]}"
    edit = requests.post(
        api,
        data={
            "action": "edit",
            "title": title,
            "text": "via OAuth",
            "token": csrf.json()["query"]["tokens"]["csrftoken"],
        },
        params={"format": "json"},
        auth=auth,
        timeout=30,
    ).json()
    assert edit["edit"]["result"] == "Success"
    revisions = requests.get(
        farm["wikis"]["enwiki"]["api"],  # the wiki itself, anonymously
        params={"action": "query", "prop": "revisions", "titles": title, "rvprop": "user", "format": "json"},
        timeout=30,
    ).json()
    (page,) = revisions["query"]["pages"].values()
    assert page["revisions"][0]["user"] == "Admin"


def test_wrongly_signed_requests_are_refused_and_do_nothing(
    farm: dict[str, Any], consumer: OAuthConsumer
) -> None:
    token = allow(consumer, "Admin")
    api = farm["oauth"]["api"]["enwiki"]
    wrong_token_secret = signed(consumer, token, token_secret="not-the-token-secret")
    wrong_consumer = OAuth1(consumer.key, "not-the-consumer-secret", token.key, token.secret)
    unknown_token = OAuth1(consumer.key, consumer.secret, "x" * 30, token.secret)
    for auth in (wrong_token_secret, wrong_consumer, unknown_token, None):
        response = userinfo(api, auth)
        assert response["error"]["code"] == "mwoauth-invalid-authorization"
        assert "query" not in response

    title = f"User:Admin/refused {uuid.uuid4().hex[:8]}"
    refused = requests.post(
        api,
        data={"action": "edit", "title": title, "text": "never", "token": "+\\", "format": "json"},
        auth=wrong_token_secret,
        timeout=30,
    ).json()
    assert refused["error"]["code"] == "mwoauth-invalid-authorization"
    missing = requests.get(
        farm["wikis"]["enwiki"]["api"],
        params={"action": "query", "titles": title, "format": "json"},
        timeout=30,
    ).json()
    assert "missing" in next(iter(missing["query"]["pages"].values()))


def test_a_replayed_request_is_refused(farm: dict[str, Any], consumer: OAuthConsumer) -> None:
    token = allow(consumer, "Admin")
    request = requests.Request(
        "GET",
        farm["oauth"]["api"]["enwiki"],
        params={"action": "query", "meta": "userinfo", "format": "json"},
        auth=signed(consumer, token),
    ).prepare()
    with requests.Session() as session:
        assert session.send(request, timeout=30).json()["query"]["userinfo"]["name"] == "Admin"
        again = session.send(request, timeout=30).json()  # the same nonce and timestamp
    assert again["error"]["code"] == "mwoauth-invalid-authorization"


def test_a_request_token_is_exchanged_once(consumer: OAuthConsumer) -> None:
    redirect, request_token = fetch_request_token(consumer, USER_AGENT)
    query = urlsplit(consent(redirect, "Carmen Ruiz")).query
    _access, identity = fetch_identity(consumer, request_token, query, USER_AGENT)
    assert identity.name == "Carmen Ruiz"
    with pytest.raises(LoginFailed):
        fetch_identity(consumer, request_token, query, USER_AGENT)


def test_a_cancelled_consent_gives_the_tool_nothing(consumer: OAuthConsumer) -> None:
    redirect, request_token = fetch_request_token(consumer, USER_AGENT)
    cancelled = requests.post(
        redirect, data={"oauth_token": request_token["key"], "cancel": "1"}, allow_redirects=False, timeout=30
    )
    assert cancelled.status_code == 200
    assert "cancelled" in cancelled.text
    # Neither the consent page nor the token step takes the token any more.
    assert requests.get(redirect, timeout=30).status_code == 400
    with pytest.raises(LoginFailed):
        fetch_identity(
            consumer, request_token, f"oauth_token={request_token['key']}&oauth_verifier=x", USER_AGENT
        )


def test_the_gateway_refuses_an_unknown_consumer(consumer: OAuthConsumer) -> None:
    stranger = OAuthConsumer(consumer.index_php, "0" * 32, "not-registered")
    with pytest.raises(LoginFailed, match="initiate"):
        fetch_request_token(stranger, USER_AGENT)
