"""Registration dates: global where CentralAuth exists (asked once per person), else per wiki."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from tests.store_fixtures import migrated
from tests.wiki_double import Answer, routed_wiki
from tool.config import DEFAULTS
from tool.pipeline.refresh import refresh_global_accounts
from tool.runtime import Runtime

# meta=globaluserinfo as Meta-Wiki answers it (formatversion=2), and its answer for an unknown name.
GLOBAL = {
    "Ana": {"home": "swwiki", "id": 4242, "registration": "2026-03-10T08:00:00Z", "name": "Ana"},
    "Bea": {"home": "enwiki", "id": 77, "registration": "2012-05-01T12:00:00Z", "name": "Bea"},
}


def route(path: str, params: dict[str, str]) -> Answer:
    meta = params.get("meta", "").split("|")  # mwclient asks userinfo along with every query
    if "siteinfo" in meta:
        return Answer(200, {"query": {"extensions": [{"type": "specialpage", "name": "CentralAuth"}]}})
    if "globaluserinfo" in meta:
        info = GLOBAL.get(params["guiuser"], {"missing": True})
        return Answer(200, {"batchcomplete": True, "query": {"globaluserinfo": info}})
    return Answer(400, {"error": {"code": "badvalue", "info": "unexpected"}})


def _runtime(api: str, tmp_path: Path) -> Runtime:
    farm = tmp_path / "farm.json"
    farm.write_text(json.dumps({"home_wiki": "metawiki", "wikis": {"metawiki": {"api": api, "rest": ""}}}))
    return Runtime(
        {**DEFAULTS, "FARM": str(farm), "DATABASE_URL": migrated(f"sqlite:///{tmp_path / 's.sqlite'}")}
    )


def test_global_registrations_are_asked_once_per_person(tmp_path: Path) -> None:
    with routed_wiki(route) as api:
        rt = _runtime(api, tmp_path)
        requests, problems = refresh_global_accounts(rt, rt.store, ["Ana", "Bea", "Nobody"])
        assert problems == []
        assert requests == 4  # siteinfo + one globaluserinfo per person
        assert rt.store.registrations(["Ana", "Bea", "Nobody"], ["enwiki"]) == {
            "Ana": datetime(2026, 3, 10, 8, 0, tzinfo=UTC),
            "Bea": datetime(2012, 5, 1, 12, 0, tzinfo=UTC),
            "Nobody": None,
        }
        again, _ = refresh_global_accounts(rt, rt.store, ["Ana", "Bea", "Nobody"])
        assert again == 0  # every answer is stored, a name CentralAuth does not know too
        joined, _ = refresh_global_accounts(rt, rt.store, ["Ana", "Cleo"])
        assert joined == 1  # only the newcomer: whether the wiki has CentralAuth is known for the run


def test_without_centralauth_nothing_more_is_asked(tmp_path: Path) -> None:
    def no_centralauth(path: str, params: dict[str, str]) -> Answer:
        return Answer(200, {"query": {"extensions": [{"name": "ParserFunctions"}]}})

    with routed_wiki(no_centralauth) as api:
        rt = _runtime(api, tmp_path)
        assert refresh_global_accounts(rt, rt.store, ["Ana"]) == (1, [])
        assert refresh_global_accounts(rt, rt.store, ["Bea"]) == (0, [])  # asked once a run
