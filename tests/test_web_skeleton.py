"""The web skeleton: health probe, Codex served locally, i18n, security headers, error pages."""

from __future__ import annotations

import re
from pathlib import Path

import flask
import pytest

from tests.store_fixtures import migrated
from tool import create_app
from tool.store.engine import schema_head


@pytest.fixture
def app(tmp_path: Path) -> flask.Flask:
    return create_app({"DATABASE_URL": migrated(f"sqlite:///{tmp_path / 'store.sqlite'}"), "TESTING": True})


@pytest.fixture
def client(app: flask.Flask) -> flask.testing.FlaskClient:
    return app.test_client()


def test_create_app_needs_no_configuration(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # No config.yaml, no TOOL_* variables: the embedded defaults must serve pages and /healthz.
    monkeypatch.chdir(tmp_path)
    for key in [k for k in __import__("os").environ if k.startswith("TOOL_")]:
        monkeypatch.delenv(key)
    app = create_app()
    assert app.config["DATABASE_URL"].startswith("sqlite:///")
    assert app.config["REDIS_URL"] is None
    # The default SQLite file is reachable; its schema is current once `db upgrade` ran, and
    # /healthz says which (a fresh clone has not run it yet).
    body = app.test_client().get("/healthz").json
    assert body is not None
    assert body["store"] is True
    assert body["schema"] in ("current", "behind")


def test_healthz_reports_version_and_store(client: flask.testing.FlaskClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "version": "0.1.0", "store": True, "schema": "current"}


def test_a_schema_behind_the_code_is_a_503_until_db_upgrade(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'new.sqlite'}"
    client = create_app({"DATABASE_URL": url}).test_client()
    health = client.get("/healthz")
    assert health.status_code == 503
    assert health.json == {
        "status": "degraded",
        "version": "0.1.0",
        "store": True,
        "schema": "behind",
        "schema_revision": None,  # never upgraded
        "schema_needed": schema_head(),
    }
    home = client.get("/")
    assert home.status_code == 503
    assert 'maintainers: run "python -m tool db upgrade"' in home.get_data(as_text=True).replace("&#34;", '"')
    assert "(index-store-schema-behind)" in client.get("/?uselang=qqx").get_data(as_text=True)

    migrated(url)  # the maintainer runs `python -m tool db upgrade`: the same app serves again
    assert client.get("/healthz").status_code == 200
    assert client.get("/").status_code == 200


def test_healthz_says_503_when_the_store_is_unreachable(tmp_path: Path) -> None:
    # A SQLite file inside a directory that does not exist cannot be opened.
    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'missing' / 'dir' / 'x.sqlite'}"})
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    body = response.json
    assert body is not None
    assert body["store"] is False
    assert body["status"] == "degraded"


def test_home_page_uses_codex_served_by_the_tool_itself(client: flask.testing.FlaskClient) -> None:
    page = client.get("/").get_data(as_text=True)
    assert "<h1>Which events keep people editing?</h1>" in page
    # Every href/src is local: Toolforge forbids loading anything from other hosts.
    urls = re.findall(r'(?:href|src)="([^"]+)"', page)
    external = [url for url in urls if url.startswith(("http:", "https:", "//"))]
    # The only absolute link is the link *to* the home wiki in the text, not an asset.
    assert all("index.php" in url or "meta.wikimedia.org" in url for url in external), external
    stylesheets = re.findall(r'<link rel="stylesheet" href="([^"]+)"', page)
    assert stylesheets[0].startswith("/assets/codex/codex.style.css?v=2.7.0")
    css = client.get(stylesheets[0])
    assert css.status_code == 200
    assert css.mimetype == "text/css"
    assert b".cdx-button" in css.data
    assert client.get(stylesheets[1]).status_code == 200


def test_only_the_codex_stylesheets_are_served(client: flask.testing.FlaskClient) -> None:
    assert client.get("/assets/codex/codex.js").status_code == 404
    assert client.get("/assets/codex/..%2Fpackage.json").status_code == 404


def test_interface_language_follows_uselang_and_accept_language(client: flask.testing.FlaskClient) -> None:
    french = client.get("/?uselang=fr").get_data(as_text=True)
    assert '<html lang="fr" dir="ltr">' in french
    assert "Quels événements donnent envie de continuer à contribuer" in french
    # A browser of its own: this one's session now remembers French, which beats Accept-Language.
    browser = client.application.test_client()
    swahili = browser.get("/", headers={"Accept-Language": "sw,en;q=0.5"}).get_data(as_text=True)
    assert "Ni matukio gani yanayowafanya watu waendelee kuhariri?" in swahili


def test_right_to_left_language_gets_the_rtl_stylesheet(client: flask.testing.FlaskClient) -> None:
    page = client.get("/?uselang=ar").get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in page
    assert "/assets/codex/codex.style-rtl.css" in page
    assert "codex.style.css" not in page


def test_qqx_shows_message_keys(client: flask.testing.FlaskClient) -> None:
    page = client.get("/?uselang=qqx").get_data(as_text=True)
    assert "(index-heading)" in page


def test_security_headers_on_every_response(client: flask.testing.FlaskClient) -> None:
    for path in ["/", "/healthz", "/no-such-page"]:
        headers = client.get(path).headers
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["X-Content-Type-Options"] == "nosniff"
        csp = headers["Content-Security-Policy"]
        assert "default-src 'self'" in csp
        assert "frame-ancestors 'none'" in csp
        # No outside host may appear in the policy.
        assert "http" not in csp


def _session_cookie(app: flask.Flask) -> str:
    """The Set-Cookie header of a response whose view puts something in the session."""

    @app.get("/test-session")
    def remember() -> str:
        flask.session["seen"] = True
        return "ok"

    return app.test_client().get("/test-session").headers["Set-Cookie"]


def test_the_session_cookie_is_httponly_and_samesite_lax(app: flask.Flask) -> None:
    cookie = _session_cookie(app)
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # plain HTTP (a local `flask run`): a Secure cookie never comes back


def test_the_session_cookie_is_secure_when_served_over_https(tmp_path: Path) -> None:
    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'store.sqlite'}", "HTTPS": True})
    cookie = _session_cookie(app)
    assert "Secure" in cookie
    assert "SameSite=Lax" in cookie
    assert "HttpOnly" in cookie


def test_unknown_page_is_a_localized_404(client: flask.testing.FlaskClient) -> None:
    response = client.get("/no-such-page?uselang=fr")
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert "Page introuvable" in page
    assert "<kbd>/no-such-page</kbd>" in page


def test_unknown_api_path_is_json(client: flask.testing.FlaskClient) -> None:
    response = client.get("/api/v1/nothing")
    assert response.status_code == 404
    assert response.json == {"error": "not-found", "path": "/api/v1/nothing"}


def test_server_error_page_hides_details(app: flask.Flask) -> None:
    app.config["PROPAGATE_EXCEPTIONS"] = False

    @app.get("/boom")
    def boom() -> str:
        raise RuntimeError("secret detail")

    response = app.test_client().get("/boom")
    assert response.status_code == 500
    page = response.get_data(as_text=True)
    assert "Something went wrong" in page
    assert "secret detail" not in page


def test_home_page_links_to_the_farm_home_wiki(tmp_path: Path, farm: dict) -> None:
    app = create_app(
        {"DATABASE_URL": migrated(f"sqlite:///{tmp_path / 's.sqlite'}"), "FARM": farm["status_file"]}
    )
    page = app.test_client().get("/").get_data(as_text=True)
    assert f'href="{farm["wikis"]["metawiki"]["index"]}"' in page


def test_home_page_lists_stored_events(tmp_path: Path) -> None:
    from datetime import UTC, datetime

    from tool.store import EventRecord, ParticipantRecord, Store

    url = f"sqlite:///{tmp_path / 'events.sqlite'}"
    store = Store(url)
    store.upgrade()
    store.save_event(
        EventRecord(
            title="Event:Nairobi <2026>",
            page_id=1,
            rev_id=2,
            name="Librarians & <b>Wikipedia</b>",
            fields={},
            context={"region": "Sub-Saharan Africa"},
            goals={},
            problems=[{"field": "end", "line": 3}],
            # Nairobi is UTC+3: the organizer's 14–15 March is 13 March 21:00 to 15 March 20:59 UTC.
            start=datetime(2026, 3, 13, 21, 0, tzinfo=UTC),
            end=datetime(2026, 3, 15, 20, 59, 59, tzinfo=UTC),
            timezone="Africa/Nairobi",
            wikis=["enwiki"],
            namespaces=[0],
            cohort=None,
            registration=None,
            parsed_at=datetime(2026, 3, 1, tzinfo=UTC),
        )
    )
    store.replace_participants(
        "Event:Nairobi <2026>",
        [
            ParticipantRecord("Ana", 1),
            ParticipantRecord("Bea", 2),
            ParticipantRecord("Gone", 3, exists=False),
        ],
    )
    page = create_app({"DATABASE_URL": url}).test_client().get("/").get_data(as_text=True)
    assert "Librarians &amp; &lt;b&gt;Wikipedia&lt;/b&gt;" in page  # names from wiki pages are escaped
    assert "2026-03-14 – 2026-03-15" in page
    # Not counted yet: said in words, with the people listed (the missing account is not one of them).
    assert "not counted yet (2 people listed)" in page
    assert "?title=Event%3ANairobi_%3C2026%3E" in page


def test_home_page_says_when_the_store_is_down(tmp_path: Path) -> None:
    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'no' / 'such' / 'dir.sqlite'}"})
    response = app.test_client().get("/")
    assert response.status_code == 503
    assert "database cannot be reached" in response.get_data(as_text=True)


def test_the_stylesheet_is_whole() -> None:
    """Every rule closed and no merge left half-done: one stray brace drops every rule after it."""
    from tool import ROOT

    css = (ROOT / "tool" / "static" / "tool.css").read_text(encoding="utf-8")
    opened: list[bool] = []  # for each open brace: whether it opened an at-rule (@media), which holds rules
    for number, line in enumerate(css.splitlines(), start=1):
        assert not line.startswith(("<<<<<<<", "=======", ">>>>>>>")), f"line {number}: {line}"
        for character in line:
            if character == "{":
                assert all(opened), f"line {number} opens a rule inside a rule: {line}"
                opened.append(line.lstrip().startswith("@"))
            elif character == "}":
                assert opened, f"line {number} closes a rule that is not open"
                opened.pop()
    assert not opened
