"""Contribution sync against a scripted API: 50 users a request, continuation, coverage, and an
interrupted sync that resumes without losing or doubling anything (store on SQLite)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.store_fixtures import count_rows
from tests.wiki_double import UNAVAILABLE, Answer, Script, routed_wiki
from tool.pipeline.sync import sync_contributions
from tool.store import Store
from tool.wiki.api import ApiClient
from tool.wiki.registry import UnknownWiki

START = datetime(2026, 3, 14, tzinfo=UTC)
NOW = datetime(2026, 6, 1, tzinfo=UTC)
USERS = [f"Person {n}" for n in range(120)]


def _row(rev: int, user: str, when: datetime) -> dict[str, Any]:
    # A list=usercontribs row as MediaWiki sends it with ucprop=ids|title|timestamp|sizediff|flags.
    return {"userid": 1000 + rev, "user": user, "pageid": rev, "revid": rev, "parentid": 0, "ns": 0,
            "title": f"Page {rev}", "timestamp": when.strftime("%Y-%m-%dT%H:%M:%SZ"), "new": rev % 2 == 0,
            "minor": False, "top": True, "sizediff": 10 * rev}  # fmt: skip


class FakeWiki:
    """Each asked user has two revisions in the window; answers in pages of 3 rows (uclimit)."""

    def __init__(self) -> None:
        self.fail_on_continue = False
        self.script = Script([])

    def route(self, path: str, params: dict[str, str]) -> Answer:
        # mwclient asks meta=userinfo along with every query; the API answers it in each.
        userinfo = {"id": 0, "name": "127.0.0.1", "anon": True, "rights": ["read"]}
        if "ucuser" not in params:
            return Answer(200, {"query": {"userinfo": userinfo}})
        users = params["ucuser"].split("|")
        rows = [
            _row(USERS.index(user) * 10 + k, user, START - timedelta(days=30) + timedelta(days=k))
            for user in users
            for k in (1, 2)
        ]
        if "ucnamespace" in params:  # Commons' files only: these rows are all articles
            rows = [row for row in rows if str(row["ns"]) == params["ucnamespace"]]
        offset = int(params.get("uccontinue", "0"))
        if offset and self.fail_on_continue:
            return UNAVAILABLE
        page = rows[offset : offset + 3]
        body: dict[str, Any] = {"batchcomplete": True, "query": {"usercontribs": page, "userinfo": userinfo}}
        if offset + 3 < len(rows):
            body["continue"] = {"uccontinue": str(offset + 3), "continue": "-||"}
        return Answer(200, body)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    s = Store(f"sqlite:///{tmp_path / 's.sqlite'}")
    s.upgrade()
    return s


def test_fifty_users_a_request_only_needed_props_oldest_first(store: Store) -> None:
    wiki = FakeWiki()
    with routed_wiki(wiki.route, wiki.script) as api:
        client = ApiClient(api, sleep=lambda s: None)
        report = sync_contributions(store, lambda _: client, ["enwiki"], USERS, START, NOW)
    asks = [r["params"] for r in wiki.script.requests if r["params"].get("list") == "usercontribs"]
    first_pages = [p for p in asks if "uccontinue" not in p]
    # enwiki in full, then Commons' File namespace for the uploads (DESIGN §5): one series each.
    assert [(len(p["ucuser"].split("|")), p.get("ucnamespace")) for p in first_pages] == [
        (50, None),
        (50, None),
        (20, None),
        (50, "6"),
        (50, "6"),
        (20, "6"),
    ]
    assert {(p["uclimit"], p["ucprop"], p["ucdir"]) for p in asks} == {
        ("max", "ids|title|timestamp|sizediff|flags", "newer")
    }
    # The window: 8 weeks before the start (the "before" rate) up to now.
    assert {(p["ucstart"], p["ucend"]) for p in asks} == {("2026-01-17T00:00:00Z", "2026-06-01T00:00:00Z")}
    assert {p["maxlag"] for p in asks} == {"5"}
    # No request of its own for the account's rights: they ride along with the first query.
    assert len(asks) == len(wiki.script.requests) == report.requests
    assert "rights" in asks[0]["uiprop"].split("|")
    assert "rights" not in asks[1]["uiprop"].split("|")
    assert report.contributions_added == 240
    assert report.problems == []
    assert count_rows(store, "contribution") == 240


def test_a_second_sync_asks_only_for_the_new_span(store: Store) -> None:
    wiki = FakeWiki()
    with routed_wiki(wiki.route, wiki.script) as api:
        client = ApiClient(api, sleep=lambda s: None)
        sync_contributions(store, lambda _: client, ["enwiki"], USERS, START, NOW)
        before = len(wiki.script.requests)
        again = sync_contributions(store, lambda _: client, ["enwiki"], USERS, START, NOW)
        assert again.requests == 0
        assert len(wiki.script.requests) == before
        later = sync_contributions(store, lambda _: client, ["enwiki"], USERS, START, NOW + timedelta(days=1))
    asks = [r["params"] for r in wiki.script.requests[before:] if r["params"].get("list") == "usercontribs"]
    assert {(p["ucstart"], p["ucend"]) for p in asks} == {("2026-06-01T00:00:00Z", "2026-06-02T00:00:00Z")}
    assert later.contributions_added == 0  # the fake's revisions are all older: nothing new, nothing doubled


def test_an_interrupted_sync_resumes(store: Store) -> None:
    wiki = FakeWiki()
    wiki.fail_on_continue = True
    with routed_wiki(wiki.route, wiki.script) as api:
        client = ApiClient(api, sleep=lambda s: None, max_retries=1)
        broken = sync_contributions(store, lambda _: client, ["enwiki"], USERS, START, NOW)
        [problem] = broken.problems
        assert (problem.code, problem.params["wiki"]) == ("problem-wiki-unavailable", "enwiki")
        assert "503" in problem.params["error"]  # the wiki's answer, kept as a parameter
        assert broken.contributions_added == 3  # the first answer was stored as it came
        assert (
            store.uncovered("enwiki", USERS[:1], START - timedelta(weeks=8), NOW) != []
        )  # not marked complete

        wiki.fail_on_continue = False
        resumed = sync_contributions(store, lambda _: client, ["enwiki"], USERS, START, NOW)
    assert resumed.problems == []
    assert resumed.contributions_added == 237  # the 3 already stored are not stored twice
    assert count_rows(store, "contribution") == 240
    assert store.uncovered("enwiki", USERS, START - timedelta(weeks=8), NOW) == []


def test_the_last_minutes_before_the_clock_are_asked_again(store: Store) -> None:
    # An edit saved just before "now" may reach the API late (replication lag): those minutes are
    # fetched but not counted as covered, so the next sync asks for them once more.
    wiki = FakeWiki()
    clock = NOW + timedelta(minutes=3)
    with routed_wiki(wiki.route, wiki.script) as api:
        client = ApiClient(api, sleep=lambda s: None)
        sync_contributions(store, lambda _: client, ["enwiki"], USERS, START, NOW, clock=lambda: clock)
        before = len(wiki.script.requests)
        later = NOW + timedelta(hours=1)
        sync_contributions(store, lambda _: client, ["enwiki"], USERS, START, later, clock=lambda: later)
    asks = [r["params"] for r in wiki.script.requests[before:] if r["params"].get("list") == "usercontribs"]
    assert {(p["ucstart"], p["ucend"]) for p in asks} == {("2026-05-31T23:53:00Z", "2026-06-01T01:00:00Z")}
    assert count_rows(store, "contribution") == 240  # asked twice, stored once


def _commons(path: str, params: dict[str, str]) -> Answer:
    """Commons: each asked person uploaded one file during the training."""
    userinfo = {"id": 0, "name": "127.0.0.1", "anon": True, "rights": []}
    rows = [
        {**_row(9000 + USERS.index(user), user, START + timedelta(hours=2)), "ns": 6, "new": True}
        for user in params["ucuser"].split("|")
    ]
    return Answer(200, {"batchcomplete": True, "query": {"usercontribs": rows, "userinfo": userinfo}})


def test_commons_files_are_synced_for_an_event_that_does_not_track_commons(store: Store) -> None:
    wiki, commons = FakeWiki(), Script([])
    with routed_wiki(wiki.route, wiki.script) as sw_api, routed_wiki(_commons, commons) as commons_api:
        clients = {
            "swwiki": ApiClient(sw_api, sleep=lambda s: None),
            "commonswiki": ApiClient(commons_api, sleep=lambda s: None),
        }
        report = sync_contributions(store, clients.__getitem__, ["swwiki"], USERS[:2], START, NOW)
        again = sync_contributions(store, clients.__getitem__, ["swwiki"], USERS[:2], START, NOW)
    asks = [r["params"] for r in commons.requests if r["params"].get("list") == "usercontribs"]
    # One request for the two people, File namespace only, over the same window as swwiki.
    assert [(p["ucuser"], p["ucnamespace"], p["ucstart"], p["ucend"]) for p in asks] == [
        ("Person 0|Person 1", "6", "2026-01-17T00:00:00Z", "2026-06-01T00:00:00Z")
    ]
    assert report.contributions_added == 4 + 2  # two swwiki revisions each, one upload each
    assert again.requests == 0  # Commons' files are covered too
    coverage = store.coverage(["commonswiki", "commonswiki#6"], USERS[:2])
    # Recorded as Commons' files, never as Commons in full (an event tracking Commons needs more).
    assert coverage.until("commonswiki#6", "Person 0", START - timedelta(weeks=8)) == NOW
    assert coverage.until("commonswiki", "Person 0", START - timedelta(weeks=8)) is None


def test_commons_files_are_not_fetched_twice_when_commons_is_tracked(store: Store) -> None:
    wiki = FakeWiki()
    with routed_wiki(wiki.route, wiki.script) as api:
        client = ApiClient(api, sleep=lambda s: None)
        sync_contributions(store, lambda _: client, ["swwiki", "commonswiki"], USERS[:2], START, NOW)
    asks = [r["params"] for r in wiki.script.requests if r["params"].get("list") == "usercontribs"]
    first_pages = [p for p in asks if "uccontinue" not in p]
    assert [p.get("ucnamespace") for p in first_pages] == [None, None]  # swwiki and Commons, in full


def test_a_wiki_list_without_commons_reports_it_and_syncs_the_rest(store: Store) -> None:
    wiki = FakeWiki()
    with routed_wiki(wiki.route, wiki.script) as api:
        client = ApiClient(api, sleep=lambda s: None)

        def client_for(name: str) -> ApiClient:
            if name == "commonswiki":
                raise UnknownWiki(name)  # a farm without Commons
            return client

        report = sync_contributions(store, client_for, ["swwiki"], USERS[:2], START, NOW)
    [problem] = report.problems
    assert (problem.code, problem.params) == ("problem-wiki-unknown", {"wiki": "commonswiki"})
    assert problem.message.startswith("commonswiki is not a wiki this tool knows, so the contributions")
    assert count_rows(store, "contribution") == 4
