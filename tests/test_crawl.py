"""No page of the tool loads anything from another host, and links only to the wikis it knows
(issue #12, item 4; DESIGN §9, Toolforge's privacy policy).

The store is filled as the demo fills it: ``python -m tool nightly`` against the farm (its events,
cohort, participants, contributions, snapshots and comparisons). bench/crawl.py then follows every
link to the tool's own host from ``/`` (hrefs, sources, srcsets, form actions, CSS urls, redirects;
the comparison and the cohort's page too, which no page links to yet)
as a visitor and as an organizer of the farm's events (who also sees every counted edit's diff),
and judges each URL to another host: allowed only as a link to the farm's wikis or its OAuth
gateway (the home wiki's login), never as something a page loads.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import flask
import pytest

from bench.crawl import Answer, Crawl, allowed_hosts, crawl, judge, report, seeds, tool_wikis
from tests.store_fixtures import migrated
from tool import create_app
from tool.metrics.keys import CONTEXT_KEYS
from tool.web.auth import USER
from tool.web.data import runtime
from tool.web.titles import url_part

pytestmark = pytest.mark.farm

ROOT = Path(__file__).resolve().parent.parent
ORGANIZER = "Alice Wanjiku"  # an organizer of the farm's events
ORIGIN = "http://localhost"  # the test client's


@pytest.fixture(scope="module")
def app(farm: dict[str, Any], tmp_path_factory: pytest.TempPathFactory) -> flask.Flask:
    where = tmp_path_factory.mktemp("crawl")
    db = migrated(f"sqlite:///{where / 'demo.sqlite'}")
    env = {"TOOL_FARM": farm["status_file"], "TOOL_DATABASE_URL": db, "TOOL_INSTANCE_PATH": str(where)}
    done = subprocess.run(
        [sys.executable, "-m", "tool", "nightly", "--now", "2026-11-01T00:00:00Z"],
        cwd=ROOT,
        env={**{k: v for k, v in os.environ.items() if k != "TOOL_REDIS_URL"}, **env},
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return create_app({"DATABASE_URL": db, "FARM": farm["status_file"], "INSTANCE_PATH": str(where)})


def crawled(app: flask.Flask, user: str | None) -> tuple[Crawl, str, list[Any]]:
    client = app.test_client()
    if user is not None:
        with client.session_transaction() as session:
            session[USER] = user

    def fetch(path: str) -> Answer:
        response = client.get(path)
        kind = str(response.mimetype)
        text = response.get_data(as_text=True) if kind in ("text/html", "text/css") else ""
        return Answer(response.status_code, kind, text, response.headers.get("Location"))

    with app.app_context():
        rt = runtime()
        consumer = rt.oauth_consumer
        allowed = allowed_hosts(tool_wikis(rt), consumer.index_php if consumer else None)
        result = crawl(fetch, ORIGIN, seeds(rt))
        events = [e.title for e in rt.store.list_events()]
    refused, kept = judge(result, allowed)
    # Every event's page was reached by its links, as were the comparisons by each field.
    reached = {unquote(url) for url in result.pages}
    assert {f"/event/{url_part(title)}" for title in events} <= reached
    assert {f"/compare?by={by}" for by in CONTEXT_KEYS} <= reached
    return result, report(result, allowed, refused, kept), refused


@pytest.mark.parametrize("user", [None, ORGANIZER], ids=["visitor", "organizer"])
def test_every_page_links_only_to_the_wikis_and_loads_nothing_from_elsewhere(
    app: flask.Flask, user: str | None
) -> None:
    result, said, refused = crawled(app, user)
    print(f"\n{user or 'a visitor'}: {said}")
    assert refused == []
    assert result.unfollowed == 0
    assert len(result.pages) > 50  # the events, cohort, comparisons, downloads and their variants
    assert all(status < 500 for status in result.pages.values()), result.pages


def test_the_crawler_refuses_what_it_should(app: flask.Flask) -> None:
    """A source from a wiki, a stylesheet or a form to another host, a link to an unknown host."""
    pages = {
        "/": Answer(200, "text/html", '<a href="/a">a</a><a href="https://evil.example/">x</a>'),
        "/a": Answer(
            200,
            "text/html",
            '<img src="http://127.0.0.1:1/x.png"><form action="//evil.example/f"></form>'
            '<link rel="stylesheet" href="/s.css"><img srcset="/i.png 1x, https://evil.example/i.png 2x">',
        ),
        "/s.css": Answer(200, "text/css", "a{background:url('https://evil.example/b.png')}"),
    }
    result = crawl(lambda path: pages.get(path, Answer(404, "text/html", "")), ORIGIN)
    refused, _ = judge(result, allowed_hosts([("metawiki", "http://127.0.0.1:1/index.php", True)], None))
    assert sorted(found.url for found in refused) == [
        "//evil.example/f",
        "http://127.0.0.1:1/x.png",  # a wiki's host, but loaded, not linked
        "https://evil.example/",
        "https://evil.example/b.png",
        "https://evil.example/i.png",
    ]
