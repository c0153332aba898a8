"""The API client's etiquette: User-Agent, maxlag, Retry-After, bounded retries, clear errors."""

from __future__ import annotations

from typing import Any

import mwclient
import pytest
from requests_oauthlib import OAuth1

from tests.wiki_double import MAXLAG, TOO_MANY, UNAVAILABLE, Answer, scripted_wiki
from tool.wiki.api import ApiClient, ApiError, LoginFailed, WikiUnavailable

OK = Answer(200, {"batchcomplete": True, "query": {"general": {"sitename": "Test"}}})


def _client(api: str, waits: list[float], **kwargs: Any) -> ApiClient:
    return ApiClient(api, contact="https://example.org/contact", sleep=waits.append, **kwargs)


def test_user_agent_and_maxlag_on_every_request() -> None:
    with scripted_wiki([OK]) as (api, script):
        _client(api, []).get(action="query", meta="siteinfo")
    request = script.requests[0]
    assert request["headers"]["User-Agent"].startswith("event-outcomes/")
    assert request["headers"]["User-Agent"].endswith(f"mwclient/{mwclient.__version__}")
    assert "(https://example.org/contact)" in request["headers"]["User-Agent"]
    assert request["params"]["maxlag"] == "5"
    assert request["params"]["formatversion"] == "2"


def test_a_user_identity_signs_every_request_with_oauth() -> None:
    # A logged-in user's own client: the tool's consumer and the user's access token (OAuth 1.0a).
    auth = OAuth1("consumer-key", "consumer-secret", "access-token", "access-secret")
    with scripted_wiki([OK]) as (api, script):
        ApiClient(api, auth=auth).get(action="query", meta="siteinfo")
    authorization = script.requests[0]["headers"]["Authorization"]
    assert authorization.startswith("OAuth ")
    assert 'oauth_consumer_key="consumer-key"' in authorization
    assert 'oauth_token="access-token"' in authorization


def test_maxlag_waits_retry_after_then_succeeds() -> None:
    waits: list[float] = []
    with scripted_wiki([MAXLAG, MAXLAG, OK]) as (api, script):
        body = _client(api, waits).get(action="query", meta="siteinfo")
    assert body["query"]["general"]["sitename"] == "Test"
    assert waits == [5.0, 5.0]
    assert len(script.requests) == 3


def test_a_database_error_of_the_wiki_is_retried() -> None:
    waits: list[float] = []
    error = Answer(
        200, {"error": {"code": "internal_api_error_DBQueryError", "info": "[abc] Database query error."}}
    )
    with scripted_wiki([error, OK]) as (api, script):
        body = _client(api, waits).get(action="query", meta="siteinfo")
    assert body["query"]["general"]["sitename"] == "Test"
    assert waits == [1.0]
    assert len(script.requests) == 2


def test_maxlag_that_lasts_gives_up_with_the_reason() -> None:
    with scripted_wiki([MAXLAG]) as (api, script):
        client = _client(api, [], max_retries=2)
        with pytest.raises(WikiUnavailable, match=r"maxlag; gave up after 3 attempts"):
            client.get(action="query")
    assert len(script.requests) == 3


def test_429_honours_retry_after() -> None:
    waits: list[float] = []
    with scripted_wiki([TOO_MANY, OK]) as (api, _):
        _client(api, waits).get(action="query")
    assert waits == [7.0]


def test_5xx_backs_off_exponentially_and_gives_up_with_the_reason() -> None:
    waits: list[float] = []
    with scripted_wiki([UNAVAILABLE]) as (api, script):
        client = _client(api, waits, max_retries=3, backoff=0.5)
        with pytest.raises(WikiUnavailable, match=r"HTTP 503; gave up after 4 attempts"):
            client.get(action="query")
    assert waits == [0.5, 1.0, 2.0]
    assert len(script.requests) == client.requests_made == 4


def test_a_dead_host_is_unavailable_not_empty() -> None:
    client = ApiClient("http://127.0.0.1:1/api.php", sleep=lambda s: None, max_retries=1)
    with pytest.raises(WikiUnavailable, match="ConnectionError"):
        client.get(action="query")


def test_api_errors_are_not_retried() -> None:
    error = Answer(
        200, {"error": {"code": "badvalue", "info": 'Unrecognized value for parameter "list": x.'}}
    )
    with scripted_wiki([error]) as (api, script), pytest.raises(ApiError, match="badvalue") as raised:
        _client(api, []).get(action="query", list="x")
    assert raised.value.code == "badvalue"
    assert len(script.requests) == 1


def test_query_follows_continuation() -> None:
    first = Answer(
        200,
        {"continue": {"eicontinue": "0|42", "continue": "-||"}, "query": {"embeddedin": [{"title": "A"}]}},
    )
    last = Answer(200, {"batchcomplete": True, "query": {"embeddedin": [{"title": "B"}]}})
    with scripted_wiki([first, last]) as (api, script):
        pages = [p["title"] for part in _client(api, []).query(list="embeddedin") for p in part["embeddedin"]]
    assert pages == ["A", "B"]
    assert script.requests[1]["params"]["eicontinue"] == "0|42"


def test_against_the_farm(farm: dict[str, Any]) -> None:
    client = ApiClient(farm["wikis"]["swwiki"]["api"])
    general = client.get(action="query", meta="siteinfo")["query"]["general"]
    assert general["lang"] == "sw"


def test_a_bot_session_is_kept_between_runs(
    farm: dict[str, Any], farm_credentials: dict[str, Any], tmp_path: Any
) -> None:
    bot = farm_credentials["bot"]
    cookies = tmp_path / "cookies" / "enwiki.lwp"
    first = ApiClient(farm["wikis"]["enwiki"]["api"])
    first.login(bot["botpassword_user"], bot["botpassword"], cookie_file=cookies)
    assert cookies.stat().st_mode & 0o777 == 0o600  # a session is as secret as the password
    assert first.requests_made == 3  # login token, login, and its rights (for the API limits)
    assert first.high_limits is True

    second = ApiClient(farm["wikis"]["enwiki"]["api"])
    second.login(bot["botpassword_user"], bot["botpassword"], cookie_file=cookies)
    assert second.requests_made == 1  # one userinfo request: still logged in, and its rights
    assert second.high_limits is True

    cookies.write_text("#LWP-Cookies-2.0\n")  # no session kept: log in again, without asking first
    third = ApiClient(farm["wikis"]["enwiki"]["api"])
    third.login(bot["botpassword_user"], bot["botpassword"], cookie_file=cookies)
    assert third.requests_made == 3


def test_a_wrong_bot_password_is_refused_with_the_reason(
    farm: dict[str, Any], farm_credentials: dict[str, Any]
) -> None:
    client = ApiClient(farm["wikis"]["enwiki"]["api"])
    with pytest.raises(LoginFailed) as refused:
        client.login(farm_credentials["bot"]["botpassword_user"], "not the password")
    assert refused.value.username == farm_credentials["bot"]["botpassword_user"]
    assert refused.value.reason  # the wiki's own words, e.g. "Incorrect username or password entered."


def test_the_rights_ride_along_with_the_first_query(farm: dict[str, Any]) -> None:
    client = ApiClient(farm["wikis"]["enwiki"]["api"])
    assert client.high_limits is None
    client.get(action="query", meta="siteinfo")
    assert (client.requests_made, client.high_limits) == (1, False)  # anonymous: the normal limits
