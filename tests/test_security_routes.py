"""Security headers, session cookie flags and the CSRF check on every route of the app (issue #12,
item 4; DESIGN §10).

The routes are read from ``app.url_map`` (tests/routes.py), so a route added later is checked
too, with its path parameters filled with a real event's and cohort's titles. Each is asked
anonymously and logged in, over plain HTTP and with HTTPS configured, and so are the answers
that are not pages (a 404, a 400, a 405, the database gone). Every POST route is sent without the
CSRF token, with a wrong one, with another browser's, and with the right one only in the URL:
each is a 400 in the reader's language, and nothing is written (the store's contents and the
login are as before).
"""

from __future__ import annotations

from pathlib import Path

import flask
import pytest
from werkzeug.test import TestResponse

from tests.listed_events import COHORT, EVENTS, NOW, fill
from tests.routes import Url, urls
from tests.store_contents import contents
from tests.store_fixtures import migrated
from tool import create_app
from tool.pipeline.comparisons import keep_comparisons
from tool.security import CSRF_FIELD
from tool.store import Store
from tool.web import pagecache
from tool.web.auth import USER

EVENT = EVENTS[0][0]
USER_NAME = "Ana Participant"
#: Answers that are not pages of a route: each must carry the headers too.
OTHER_ANSWERS = ("/no-such-page", "/event/No_such_event", "/compare?by=nonsense", "/api/v1/event")


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = migrated(f"sqlite:///{tmp_path_factory.mktemp('routes') / 'store.sqlite'}")
    store = Store(url)
    fill(store)
    keep_comparisons(store, NOW)
    store.dispose()
    return url


def make_app(database: str, https: bool = False) -> flask.Flask:
    return create_app({"DATABASE_URL": database, "TESTING": True, "HTTPS": https})


def client_as(app: flask.Flask, user: str | None) -> flask.testing.FlaskClient:
    client = app.test_client()
    if user is not None:
        with client.session_transaction() as session:
            session[USER] = user
    return client


def with_language(url: str, language: str = "fr") -> str:
    """The URL asking for ``language``: the session then remembers it, so the answer sets the cookie."""
    return url + ("&" if "?" in url else "?") + f"uselang={language}"


def header_problems(response: TestResponse, https: bool) -> list[str]:
    problems = []
    if response.headers.get("X-Frame-Options") != "DENY":
        problems.append(f"X-Frame-Options {response.headers.get('X-Frame-Options')!r}")
    if response.headers.get("X-Content-Type-Options") != "nosniff":
        problems.append(f"X-Content-Type-Options {response.headers.get('X-Content-Type-Options')!r}")
    policy = response.headers.get("Content-Security-Policy", "")
    directives = {part.split()[0]: " ".join(part.split()[1:]) for part in policy.split(";") if part.strip()}
    sources = {source for part in policy.split(";") for source in part.split()[1:]}
    # Only the tool's own host (and data: images, which load nothing): no other host, no wildcard.
    if not sources <= {"'self'", "'none'", "data:"} or directives.get("default-src") != "'self'":
        problems.append(f"Content-Security-Policy {policy!r}")
    if directives.get("frame-ancestors") != "'none'":
        problems.append(f"frame-ancestors in {policy!r}")
    for cookie in response.headers.getlist("Set-Cookie"):
        flags = {flag.strip().lower() for flag in cookie.split(";")[1:]}
        if "httponly" not in flags or "samesite=lax" not in flags or ("secure" in flags) != https:
            problems.append(f"cookie {cookie!r}")
    return problems


@pytest.mark.parametrize("https", [False, True], ids=["http", "https"])
@pytest.mark.parametrize("user", [None, USER_NAME], ids=["visitor", "logged-in"])
def test_every_route_sends_the_security_headers_and_a_safe_session_cookie(
    database: str, https: bool, user: str | None
) -> None:
    app = make_app(database, https)
    found = urls(app, EVENT, COHORT)
    problems: dict[str, list[str]] = {}
    answers = 0
    for url in [*found, *(Url("", path, frozenset({"GET"})) for path in OTHER_ANSWERS)]:
        for method in sorted(url.methods):
            client = client_as(app, user)
            client.get("/")  # a session with its CSRF token, as a browser that saw a page has
            response = client.open(with_language(url.url), method=method)
            response.get_data()
            answers += 1
            said = f"{method} {url.url} ({response.status_code})"
            if found_here := header_problems(response, https):
                problems[said] = found_here
            # The language asked for is remembered in the session, so every page sets the cookie
            # (its flags read above); the API is stateless and sets none.
            if bool(response.headers.getlist("Set-Cookie")) == url.url.startswith("/api/"):
                problems[said] = ["a cookie from the API" if url.url.startswith("/api/") else "no cookie"]
    scheme = "HTTPS" if https else "HTTP"
    print(f"\n{user or 'a visitor'} over {scheme}: {answers} answers of {len(found)} URLs and 4 errors")
    assert problems == {}


def test_a_post_to_a_get_route_and_a_store_that_is_gone_carry_the_headers_too(tmp_path: Path) -> None:
    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'no' / 'such.sqlite'}", "TESTING": True})
    client = app.test_client()
    for method, url, status in [("GET", f"/event/{EVENT}", 503), ("GET", "/", 503), ("POST", "/", 400)]:
        response = client.open(url, method=method)
        assert response.status_code == status, url
        assert header_problems(response, https=False) == []


def post_urls(app: flask.Flask) -> list[tuple[str, str]]:
    """Each POST route's URL for the stored event, and for one that does not exist: with the right
    token the latter reaches the view, which refuses it (nothing is started)."""
    missing = {u.endpoint: u.url for u in urls(app, "Event:No such event", "Cohort:No such cohort")}
    found = [(url.url, missing[url.endpoint]) for url in urls(app, EVENT, COHORT) if "POST" in url.methods]
    assert ("/logout", "/logout") in found
    return found


def token_of(client: flask.testing.FlaskClient) -> str:
    with client.session_transaction() as session:
        return str(session[CSRF_FIELD])


def test_every_post_route_refuses_a_missing_or_wrong_csrf_token_and_writes_nothing(database: str) -> None:
    app = make_app(database)
    before = contents(database)
    for url, harmless in post_urls(app):
        client = client_as(app, USER_NAME)
        client.get("/")
        token = token_of(client)
        other = client_as(app, "Bea Participant")
        other.get("/")
        attempts: dict[str, dict[str, object]] = {
            "no token": {},
            "an empty token": {"data": {CSRF_FIELD: ""}},
            "a wrong token": {"data": {CSRF_FIELD: token[:-1] + ("A" if token[-1] != "A" else "B")}},
            "another browser's token": {"data": {CSRF_FIELD: token_of(other)}},
            "the token in the URL only": {"url": f"{url}?{CSRF_FIELD}={token}"},
            "a wrong token in the header": {"headers": {"X-CSRF-Token": "guessed"}},
        }
        for what, arguments in attempts.items():
            target = with_language(str(arguments.pop("url", url)), "qqx")
            response = client.post(target, **arguments)
            assert response.status_code == 400, f"{url} with {what}"
            assert "(csrf-failed-body)" in response.get_data(as_text=True), f"{url} with {what}"
            with client.session_transaction() as session:
                assert session[USER] == USER_NAME, f"{url} with {what}: logged out"
        assert contents(database) == before, url
        # The right token is taken (the refusals were the token's): the view answers, here that the
        # event does not exist, or the logout is done. The routes that write to the wiki would go on
        # to ask it, which this app (no farm) must not reach: their own tests (tests/test_register.py,
        # test_settings.py, test_join.py) show their token taken.
        if url == "/logout" or url.endswith("/refresh"):
            taken = client.post(harmless, data={CSRF_FIELD: token})
            assert taken.status_code in (302, 404), f"{harmless}: {taken.status_code}"
        print(f"\nPOST {url}: {len(attempts)} refusals (400), nothing written; the right token taken")


def test_a_visitors_page_holding_a_csrf_token_is_never_served_to_another_browser(
    database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Visitors' pages are kept in memory and served again (tool.web.pagecache); one with a form
    would hand its browser's CSRF token to every other browser, so it is never kept."""
    app = make_app(database)

    @app.get("/test-form")
    def form() -> str:
        return flask.render_template_string('<input name="csrf_token" value="{{ csrf_token() }}">')

    monkeypatch.setattr(pagecache, "CACHED", pagecache.CACHED | {"form"})
    kept = app.extensions[pagecache.EXTENSION]
    first, second = app.test_client(), app.test_client()
    assert first.get("/").data == second.get("/").data
    assert kept.hits == 1  # a visitor's page without a form is served again from memory…
    pages = [browser.get("/test-form").get_data(as_text=True) for browser in (first, second)]
    assert pages[0] != pages[1]  # …one with a form is each browser's own
    assert pages[1] == f'<input name="csrf_token" value="{token_of(second)}">'
    assert kept.hits == 1
