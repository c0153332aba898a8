"""Logging in to the tool with a wiki account: OAuth 1.0a through the farm's gateway, end to end.

The browser is Flask's test client; the wiki is the test farm behind its OAuth gateway, whose
consent page the tests fill in as a person would (tests.conftest.consent).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import flask
import pytest

from tests.conftest import consent
from tests.store_fixtures import migrated
from tool import create_app
from tool.runtime import Runtime
from tool.web.returnto import own_path

pytestmark = pytest.mark.farm

ALICE = "Alice Wanjiku"  # an organizer of the farm's events
EVIL_RETURNTO = [
    "//evil.example/steal",
    "https://evil.example/",
    "/\\evil.example",
    "\\\\evil.example",
    "/\t/evil.example",
    "javascript:alert(1)",
    "evil.example",
    # Issue #12, item 4: what else browsers read as another host, or headers could be split on.
    "///evil.example",
    "%2F%2Fevil.example",
    "https:evil.example",
    "HTTPS://evil.example",
    "JaVaScRiPt:alert(1)",
    "\\/evil.example",
    "/\\/evil.example",
    " //evil.example",
    "\t//evil.example",
    "\r\n//evil.example",
    "/\r\n/evil.example",
    "/\rLocation: https://evil.example",
    "/\nSet-Cookie: session=stolen",
    "/\x00/evil.example",
    "\uff0f\uff0fevil.example",  # fullwidth solidi
]
#: Odd, but paths on the tool: kept, and the browser stays on the tool's host.
ODD_OWN_PATHS = [
    "/%2F%2Fevil.example",
    "/%5C%5Cevil.example",
    "/https://evil.example",
    "/%0d%0aSet-Cookie:%20x=1",
    "/\u3000/evil.example",
    "/\u2215\u2215evil.example",
]


@pytest.fixture
def app(farm: dict[str, Any], tmp_path: Path) -> flask.Flask:
    return create_app(
        {"DATABASE_URL": migrated(f"sqlite:///{tmp_path / 'store.sqlite'}"), "FARM": farm["status_file"]}
    )


@pytest.fixture
def client(app: flask.Flask) -> flask.testing.FlaskClient:
    return app.test_client()


def log_in(client: flask.testing.FlaskClient, account: str = ALICE, returnto: str | None = None) -> str:
    """/login → the gateway's consent page → /oauth-callback; returns where the tool then sends us."""
    query = {"returnto": returnto} if returnto is not None else {}
    started = client.get("/login", query_string=query)
    assert started.status_code == 302
    callback = consent(started.headers["Location"], account)
    finished = client.get("/oauth-callback?" + urlsplit(callback).query)
    assert finished.status_code == 302, finished.get_data(as_text=True)
    return str(finished.headers["Location"])


def page(client: flask.testing.FlaskClient, path: str = "/") -> str:
    response = client.get(path)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_a_user_logs_in_with_a_farm_account_and_sees_their_name(
    client: flask.testing.FlaskClient, farm: dict[str, Any]
) -> None:
    home = page(client)
    assert 'href="/login?returnto=/"' in home
    assert ALICE not in home

    started = client.get("/login", query_string={"returnto": "/?uselang=fr"})
    # mwoauth's URL on the gateway, as it would be on Meta-Wiki.
    location = started.headers["Location"]
    assert location.startswith(farm["oauth"]["index"] + "?title=Special%3AOAuth%2Fauthenticate&oauth_token=")
    callback = consent(location, ALICE)
    assert callback.startswith("http://127.0.0.1:5000/oauth-callback?")  # the registered callback
    finished = client.get("/oauth-callback?" + urlsplit(callback).query)
    assert finished.headers["Location"] == "/?uselang=fr"  # back where the login started

    french = page(client, "/?uselang=fr")
    assert f"Connecté·e en tant que {ALICE}" in french
    assert 'href="/login' not in french
    with client.session_transaction() as session:
        assert session["user"] == ALICE
        assert set(session["oauth_access_token"]) == {"key", "secret"}
        assert "oauth_request_token" not in session  # popped by the callback


def test_the_login_cookie_is_signed_httponly_and_samesite_lax(client: flask.testing.FlaskClient) -> None:
    cookie = client.get("/login").headers["Set-Cookie"]
    assert cookie.startswith("session=")
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # plain HTTP here
    # Signed: a session cookie changed by the browser is not believed.
    log_in(client)
    name, value = "session", client.get_cookie("session").value  # type: ignore[union-attr]
    client.set_cookie(name, value[:-2] + ("AA" if not value.endswith("AA") else "BB"))
    assert ALICE not in page(client)


def test_over_https_the_login_cookie_is_secure(farm: dict[str, Any], tmp_path: Path) -> None:
    app = create_app(
        {
            "DATABASE_URL": migrated(f"sqlite:///{tmp_path / 'store.sqlite'}"),
            "FARM": farm["status_file"],
            "HTTPS": True,
        }
    )
    cookie = app.test_client().get("/login").headers["Set-Cookie"]
    assert "Secure" in cookie
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_logging_out_takes_a_post_with_the_csrf_token(client: flask.testing.FlaskClient) -> None:
    log_in(client)
    # A link, or a form from another site, does not log anyone out.
    assert client.post("/logout").status_code == 400
    refused = client.post("/logout", data={"csrf_token": "not-the-token"})
    assert refused.status_code == 400
    assert "This form has expired" in refused.get_data(as_text=True)
    assert ALICE in page(client)

    confirm = page(client, "/logout")
    token = confirm.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    done = client.post("/logout", data={"csrf_token": token})
    assert done.status_code == 302
    assert done.headers["Location"] == "/"
    home = page(client)
    assert ALICE not in home
    assert 'href="/login?returnto=/"' in home
    with client.session_transaction() as session:
        assert "oauth_access_token" not in session
        assert session["csrf_token"] != token  # a token seen while logged in no longer works


def test_a_post_without_this_sessions_token_is_refused_before_anything_happens(app: flask.Flask) -> None:
    done: list[str] = []

    @app.post("/test-action")
    def action() -> str:
        done.append("done")
        return "done"

    client = app.test_client()
    page(client)
    assert client.post("/test-action").status_code == 400
    assert client.post("/test-action", data={"csrf_token": ""}).status_code == 400
    assert client.post("/test-action", data={"csrf_token": "guessed"}).status_code == 400
    other = app.test_client()
    with other.session_transaction() as session:
        session["csrf_token"] = "another browser's token"
    assert client.post("/test-action", data={"csrf_token": "another browser's token"}).status_code == 400
    assert done == []  # nothing ran

    with client.session_transaction() as session:
        session["csrf_token"] = "this browser's token"
    assert client.post("/test-action", data={"csrf_token": "this browser's token"}).status_code == 200
    assert client.post("/test-action", headers={"X-CSRF-Token": "this browser's token"}).status_code == 200
    assert done == ["done", "done"]


@pytest.mark.parametrize("returnto", EVIL_RETURNTO)
def test_after_login_the_tool_sends_the_browser_only_to_its_own_pages(
    client: flask.testing.FlaskClient, returnto: str
) -> None:
    assert log_in(client, returnto=returnto) == "/"


@pytest.mark.parametrize("returnto", EVIL_RETURNTO)
def test_own_path_refuses_what_a_browser_reads_as_another_host(returnto: str) -> None:
    assert own_path(returnto) is None


@pytest.mark.parametrize("returnto", ODD_OWN_PATHS)
def test_after_login_an_odd_path_of_the_tool_stays_on_the_tool(
    client: flask.testing.FlaskClient, returnto: str
) -> None:
    location = log_in(client, returnto=returnto)
    # Where a browser goes from the tool's own page: the same host, whatever the path holds.
    assert urlsplit(urljoin("https://event-outcomes.toolforge.org/event/X", location)).netloc == (
        "event-outcomes.toolforge.org"
    )
    assert not {"\r", "\n"} & set(location)


def test_own_path_keeps_the_tools_own_pages() -> None:
    for path in [
        "/",
        "/event/Event:Nairobi_2026?uselang=sw",
        "/compare?by=region#chart",
        "/%2F%2Fnot-a-host",
    ]:
        assert own_path(path) == path


def test_a_callback_works_once_and_only_in_the_browser_that_started_it(
    client: flask.testing.FlaskClient, app: flask.Flask
) -> None:
    started = client.get("/login")
    callback = "/oauth-callback?" + urlsplit(consent(started.headers["Location"], ALICE)).query

    elsewhere = app.test_client().get(callback + "&uselang=qqx")  # another browser: no request token
    assert elsewhere.status_code == 400
    assert "(login-not-started-body)" in elsewhere.get_data(as_text=True)
    assert ALICE not in page(app.test_client())

    assert client.get(callback).status_code == 302
    replayed = client.get(callback)
    assert replayed.status_code == 400
    assert "This login cannot be completed" in replayed.get_data(as_text=True)


def test_a_wrong_consumer_secret_is_a_clear_failure(farm: dict[str, Any], tmp_path: Path) -> None:
    registered = json.loads(Path(farm["oauth"]["consumer_file"]).read_text())
    app = create_app(
        {
            "DATABASE_URL": migrated(f"sqlite:///{tmp_path / 'store.sqlite'}"),
            "OAUTH_MW_URI": farm["oauth"]["index"],
            "OAUTH_CONSUMER_KEY": registered["key"],
            "OAUTH_CONSUMER_SECRET": "not-the-secret",
        }
    )
    client = app.test_client()
    response = client.get("/login")
    assert response.status_code == 502
    assert "Login failed" in response.get_data(as_text=True)
    with client.session_transaction() as session:
        assert "oauth_request_token" not in session


def test_without_a_consumer_nobody_can_log_in_and_the_page_says_why(tmp_path: Path) -> None:
    app = create_app({"DATABASE_URL": migrated(f"sqlite:///{tmp_path / 'store.sqlite'}")})
    client = app.test_client()
    assert 'href="/login' not in page(client)
    response = client.get("/login")
    assert response.status_code == 503
    assert "OAUTH_CONSUMER_KEY" in response.get_data(as_text=True)


def test_a_consumer_key_without_its_secret_stops_the_start(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="sets OAUTH_CONSUMER_KEY but not OAUTH_CONSUMER_SECRET"):
        Runtime({"DATABASE_URL": f"sqlite:///{tmp_path / 's.sqlite'}", "OAUTH_CONSUMER_KEY": "abc"})


def test_login_pages_cannot_be_framed_and_load_nothing_from_elsewhere(
    client: flask.testing.FlaskClient,
) -> None:
    for response in (client.get("/login"), client.get("/logout"), client.get("/oauth-callback")):
        assert response.headers["X-Frame-Options"].lower() == "deny"
        csp = response.headers["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in csp
        assert "http" not in csp
