"""Each wiki is asked each thing once (issue #8): the accounts discovery checked are stored and not
asked again at refresh, a second refresh of an unchanged event asks nothing about accounts, and
one process (a nightly run over many events) asks each wiki's siteinfo and CentralAuth once."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from devwiki.generator import NOW
from tests.conftest import bot_site
from tests.store_fixtures import migrated
from tool.config import DEFAULTS
from tool.pipeline import discover
from tool.pipeline.refresh import refresh_event
from tool.runtime import Runtime

pytestmark = pytest.mark.farm
WORKSHOP = "WikiCon 2026/Workshop: first edits"  # tracks enwiki and commonswiki
NAIROBI = "Wikimedia Community User Group Kenya/Wikipedia training for librarians, Nairobi 2026"


@pytest.fixture
def rt(farm: dict[str, Any], tmp_path: Any) -> Runtime:
    url = migrated(f"sqlite:///{tmp_path / 's.sqlite'}")
    return Runtime({**DEFAULTS, "FARM": farm["status_file"], "DATABASE_URL": url})


def test_accounts_are_asked_once(rt: Runtime) -> None:
    discover.discover(rt, rt.store)
    home = rt.client(rt.registry.home)
    people = [p.user for p in rt.store.participants(WORKSHOP)]
    # Discovery checked every name on the home wiki, and kept what it learned.
    assert rt.store.known_accounts("metawiki", people, state="ok") == set(people)

    asked_home = home.requests_made
    first = refresh_event(rt, rt.store, WORKSHOP, NOW)
    # Whether the home wiki has CentralAuth (once a run), then one list=users request on each
    # tracked wiki for the registration dates there; the home wiki is not asked about the names again.
    assert first.account_requests == 3
    assert home.requests_made - asked_home == 1
    assert first.problems == []

    before = rt.requests_made()
    again = refresh_event(rt, rt.store, WORKSHOP, NOW)
    assert again.account_requests == 0  # registration dates never change: nothing asked
    assert again.sync.requests == 0  # and the contributions are covered already
    assert rt.requests_made() == before


def test_the_first_refresh_does_not_ask_what_discovery_learned(
    rt: Runtime, farm: dict[str, Any], farm_credentials: dict[str, Any]
) -> None:
    site = bot_site(farm, farm_credentials)
    title = f"Event outcomes/Test/Asked once {uuid.uuid4().hex[:8]}"
    # The home wiki is tracked too: discovery asked it about the names; refresh must not again.
    site.pages[title].edit(
        "{{Event outcomes|start=2026-05-01|end=2026-05-02|wikis=metawiki, enwiki}}\n"
        "== Participants ==\n# [[User:OutcomesBot]]\n",
        summary="asked once test",
        bot=True,
    )
    try:
        discover.discover(rt, rt.store)
        home = rt.client(rt.registry.home)
        asked_home = home.requests_made
        report = refresh_event(rt, rt.store, title, NOW)
        assert report.problems == []
        # CentralAuth on the home wiki (once a run), and enwiki's registration date: discovery's
        # list=users answer on the home wiki already gave the one there.
        assert report.account_requests == 2
        assert home.requests_made - asked_home == 1
        assert rt.store.registrations(["OutcomesBot"], ["metawiki"])["OutcomesBot"] is not None
    finally:
        site.pages[title].edit("Retired by the asked once test.", summary="cleanup", bot=True)


def test_one_process_asks_siteinfo_and_centralauth_once(rt: Runtime) -> None:
    home = rt.client(rt.registry.home)
    discover.discover(rt, rt.store)
    after_discovery = home.requests_made
    # Parsing a page as the home wiki would uses the siteinfo discovery already has.
    discover.parse_text(rt, "{{Event|name=A}}", "A")
    discover.parse_text(rt, "{{Event|name=B}}", "B")
    assert home.requests_made == after_discovery

    refresh_event(rt, rt.store, WORKSHOP, NOW)
    refresh_event(rt, rt.store, NAIROBI, NOW)
    # The two refreshes asked the home wiki one thing together: whether it has CentralAuth.
    assert home.requests_made - after_discovery == 1
    # A second discovery in the same process, nothing changed: the pages that use the two templates
    # (one list each), and no siteinfo.
    assert discover.discover(rt, rt.store).requests == 2
