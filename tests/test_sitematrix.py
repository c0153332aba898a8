"""Production wikis are checked against Meta-Wiki's sitematrix, asked once a day and kept in a file.

No network: a loopback server answers ``action=sitematrix`` with a trimmed answer in the shape
Meta-Wiki sends (formatversion=2; a closed wiki, a private one, a chapter wiki outside the naming
rules). The farm keeps using its own list (tests/test_registry.py).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.wiki_double import Answer, Script, routed_wiki
from tool.config import DEFAULTS
from tool.wiki.api import ApiClient
from tool.wiki.eventpage import parse_event
from tool.wiki.registry import Registry, UnknownWiki
from tool.wiki.siteinfo import SiteInfo
from tool.wiki.sitematrix import CachedSiteMatrix, SiteMatrix, fetch_sitematrix

DATA = Path(__file__).parent / "data"
MATRIX = json.loads((DATA / "sitematrix-meta.json").read_text())
META = SiteInfo.from_api(json.loads((DATA / "siteinfo-metawiki.json").read_text()))


def _meta(path: str, params: dict[str, str]) -> Answer:
    if params.get("action") == "sitematrix":
        return Answer(200, MATRIX)
    return Answer(200, {"error": {"code": "badvalue", "info": "this fake only answers sitematrix"}})


def _registry(api: str, instance: Path) -> Registry:
    return Registry.from_config({**DEFAULTS, "SITEMATRIX_API": api, "INSTANCE_PATH": str(instance)})


@pytest.mark.parametrize(
    ("written", "dbname"),
    [
        ("swwiki", "swwiki"),
        ("sw.wikipedia.org", "swwiki"),
        ("https://en.wikivoyage.org/wiki/Main_Page", "enwikivoyage"),
        ("zh-min-nan.wikipedia.org", "zh_min_nanwiki"),
        ("commons.wikimedia.org", "commonswiki"),
        ("aawiki", "aawiki"),  # closed, but its history is still there to read
        ("se.wikimedia.org", "sewikimedia"),  # a chapter's wiki: outside the naming rules
    ],
)
def test_real_wikis_are_known(tmp_path: Path, written: str, dbname: str) -> None:
    with routed_wiki(_meta) as api:
        assert _registry(api, tmp_path).dbname(written) == dbname


@pytest.mark.parametrize("written", ["xxwiki", "xx.wikipedia.org", "swwikivoyage", "officewiki"])
def test_well_formed_names_of_no_public_wiki_are_unknown(tmp_path: Path, written: str) -> None:
    # Each follows the naming rules, so without the sitematrix it would be a request to a host
    # that does not exist (officewiki exists, but is private: its API cannot be read).
    assert Registry().dbname(written)
    with routed_wiki(_meta) as api, pytest.raises(UnknownWiki):
        _registry(api, tmp_path).dbname(written)


def test_a_chapter_wiki_gets_its_own_api(tmp_path: Path) -> None:
    with routed_wiki(_meta) as api:
        assert _registry(api, tmp_path).info("sewikimedia").api == "https://se.wikimedia.org/w/api.php"


def test_an_unknown_wiki_is_a_problem_on_the_page(tmp_path: Path) -> None:
    with routed_wiki(_meta) as api:
        event = parse_event(
            "{{Event outcomes|start=2026-03-14|end=2026-03-15|wikis=swwiki, xxwiki}}\n== Participants ==\n",
            META,
            _registry(api, tmp_path),
            title="Event:Nairobi",
        )
    assert event.wikis == ["swwiki"]
    assert [(p.field, p.code, p.params) for p in event.problems] == [
        ("wikis", "problem-unknown-wiki", {"value": "xxwiki"})
    ]


def test_asked_once_a_day_and_shared_through_the_file(tmp_path: Path) -> None:
    script = Script([])
    with routed_wiki(_meta, script) as api:
        registry = _registry(api, tmp_path)
        for name in ("swwiki", "enwiki", "dewiki", "sw.wikipedia.org", "commonswiki"):
            registry.dbname(name)
        assert len(script.requests) == 1
        # Another process (the bot, a web worker) reads the file instead of asking.
        _registry(api, tmp_path).dbname("swwiki")
        assert len(script.requests) == 1
    assert (tmp_path / "sitematrix.json").exists()


def test_an_old_list_is_asked_again_and_kept_when_meta_is_down(tmp_path: Path) -> None:
    now = [1_000_000.0]
    answers: list[Answer] = [Answer(200, MATRIX)]

    def meta(path: str, params: dict[str, str]) -> Answer:
        return answers[0]

    script = Script([])
    with routed_wiki(meta, script) as api:

        def cache() -> CachedSiteMatrix:
            return CachedSiteMatrix(
                lambda: fetch_sitematrix(ApiClient(api, max_retries=0)),
                tmp_path / "sitematrix.json",
                clock=lambda: now[0],
            )

        first = cache()
        assert first() is not None
        now[0] += 25 * 3600  # a day later: asked again
        answers[0] = Answer(404, None)  # Meta-Wiki is down
        stale = cache()()
        assert len(script.requests) == 2
        assert stale is not None  # the last list kept is used
        assert "swwiki" in stale.sites


def test_without_any_list_the_naming_rules_decide(tmp_path: Path) -> None:
    def down(path: str, params: dict[str, str]) -> Answer:
        return Answer(404, None)

    with routed_wiki(down) as api:
        registry = _registry(api, tmp_path)
        # A Meta-Wiki outage on the very first run must not make every event's wikis unknown.
        assert registry.dbname("swwiki") == "swwiki"


def test_both_answer_formats_are_read() -> None:
    version_1: dict[str, Any] = {
        "sitematrix": {
            "count": 2,
            "0": {
                "code": "sw",
                "site": [{"url": "https://sw.wikipedia.org", "dbname": "swwiki", "code": "wiki"}],
            },
            "specials": [
                {
                    "url": "https://office.wikimedia.org",
                    "dbname": "officewiki",
                    "code": "office",
                    "private": "",
                }
            ],
        }
    }
    assert SiteMatrix.from_api([version_1]).sites == {"swwiki": "https://sw.wikipedia.org"}
