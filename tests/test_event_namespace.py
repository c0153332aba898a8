"""Events registered with CampaignEvents alone: Event: pages without the template (issue #8, item 7).

The farm's MediaWiki cannot run the extension, so Meta is a loopback double answering in the
shapes of the real one: the Action API, the page view (whose configuration carries
``wgCampaignEventsEventID``, as the extension's event page header sets it) and the extension's REST
module (the registration of tests/test_campaignevents.py).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from tests.store_fixtures import migrated
from tests.test_campaignevents import REGISTRATION, _people
from tests.wiki_double import Answer, Script, routed_wiki
from tool.cli import main
from tool.config import DEFAULTS
from tool.pipeline import discover
from tool.runtime import Runtime

DATA = Path(__file__).parent / "data"
SITEINFO = json.loads((DATA / "siteinfo-metawiki.json").read_text())
# Meta's namespaces with the two CampaignEvents adds (extension.json: NS_EVENT, NS_EVENT_TALK).
WITH_EVENTS = json.loads(json.dumps(SITEINFO))
for number, name in ((1728, "Event"), (1729, "Event talk")):
    WITH_EVENTS["query"]["namespaces"][str(number)] = {
        "id": number, "case": "first-letter", "name": name, "subpages": True, "canonical": name,
        "content": False, "nonincludable": False,
    }  # fmt: skip

ALONE = str(REGISTRATION["event_page"])  # registration 1234, no template on the page
TEMPLATED = "Event:Editathon with the template"  # template with registration = 55
PLAIN = "Event:Just a page"  # in the namespace, no registration: not an event
PAGES = {TEMPLATED: (12, 120), ALONE: (11, 110), PLAIN: (13, 130)}
TEXT = (
    "{{Event outcomes|start=2026-03-14|end=2026-03-15|wikis=metawiki|registration=55}}\n"
    "== Participants ==\n# [[User:Ana]]\n"
)


def _view(event_id: int | None) -> str:
    """A page view as MediaWiki sends it: the configuration in RLCONF, in the head."""
    config = {"wgCanonicalNamespace": "Event", "wgNamespaceNumber": 1728}
    if event_id is not None:
        config["wgCampaignEventsEventID"] = event_id
    return (
        f"<!DOCTYPE html><html><head><script>RLCONF={json.dumps(config)};</script></head><body></body></html>"
    )


class Meta:
    """Meta-Wiki with CampaignEvents (or without it: ``siteinfo`` lacks the namespace)."""

    def __init__(self, siteinfo: dict[str, Any], registration: dict[str, Any]) -> None:
        self.siteinfo = siteinfo
        self.registration = registration
        self.script = Script([])
        self.pages = dict(PAGES)  # title → (page id, latest revision)
        self.ids = {ALONE: 1234, TEMPLATED: 55}  # title → the registration its view shows

    def route(self, path: str, params: dict[str, str]) -> Answer | dict[str, Any]:
        if path == "/w/index.php":
            return Answer(200, _view(self.ids.get(params["title"])).encode())
        rest = "/w/rest.php/campaignevents/v0/event_registration/"
        if path == rest + "1234":
            return Answer(200, self.registration)
        if path == rest + "55":
            return Answer(200, {**REGISTRATION, "id": 55, "event_page": TEMPLATED})
        if path == rest + "1234/participants":
            last = int(params.get("last_participant_id", 0))
            return Answer(200, [p for p in _people(45) if p["participant_id"] > last][:20])
        if path == rest + "55/participants":
            return Answer(200, [])
        if path.startswith("/w/rest.php"):
            return Answer(404, {"errorKey": "rest-no-match", "httpCode": 404})
        return Answer(200, self.action(params))

    def action(self, params: dict[str, str]) -> dict[str, Any]:
        if "siteinfo" in params.get("meta", "").split("|"):  # with mwclient's userinfo
            return self.siteinfo
        if params.get("generator") == "embeddedin":
            listed = [TEMPLATED] if params["geititle"] == "Template:Event outcomes" else []
            return {"batchcomplete": True, "query": {"pages": [self._info(t) for t in listed]}}
        if params.get("generator") == "allpages":
            assert params["gapnamespace"] == "1728"
            if "1728" not in self.siteinfo["query"]["namespaces"]:  # as MediaWiki answers
                return {"error": {"code": "badvalue", "info": 'Unrecognized value for "gapnamespace".'}}
            return {"batchcomplete": True, "query": {"pages": [self._info(t) for t in self.pages]}}
        if params.get("prop") == "revisions":
            assert params["titles"] == TEMPLATED
            revision = {
                "revid": 120,
                "timestamp": "2026-03-01T00:00:00Z",
                "slots": {"main": {"content": TEXT}},
            }
            page = {**self._info(TEMPLATED), "revisions": [revision]}
            return {"batchcomplete": True, "query": {"pages": [page]}}
        if params.get("list") == "users":
            names = params["ususers"].split("|")
            users = [{"userid": 7, "name": n, "registration": "2020-01-01T00:00:00Z"} for n in names]
            return {"batchcomplete": True, "query": {"users": users}}
        return {"error": {"code": "badvalue", "info": f"unexpected {params}"}}

    def _info(self, title: str) -> dict[str, Any]:
        page_id, revision = self.pages[title]
        return {"pageid": page_id, "ns": 1728, "title": title, "lastrevid": revision}


def _config(api: str, tmp_path: Path) -> dict[str, str]:
    farm = tmp_path / "farm.json"
    wikis = {name: {"api": api, "rest": ""} for name in ("metawiki", "enwiki", "swwiki")}
    farm.write_text(json.dumps({"home_wiki": "metawiki", "wikis": wikis}))
    return {"FARM": str(farm), "DATABASE_URL": migrated(f"sqlite:///{tmp_path / 's.sqlite'}")}


def _serve(meta: Meta) -> Any:
    def route(path: str, params: dict[str, str]) -> Answer:
        answer = meta.route(path, params)
        return answer if isinstance(answer, Answer) else Answer(200, answer)

    return routed_wiki(route, meta.script)


def test_an_event_page_with_a_registration_alone_is_an_event(tmp_path: Path) -> None:
    meta = Meta(WITH_EVENTS, REGISTRATION)
    with _serve(meta) as api:
        rt = Runtime({**DEFAULTS, **_config(api, tmp_path)})
        report = discover.discover(rt, rt.store)
        assert [(e.title, e.status) for e in report.entries] == [(TEMPLATED, "parsed"), (ALONE, "parsed")]
        event = rt.store.get_event(ALONE)
        assert event is not None
        assert event.name == "Wikipedia training for librarians, Nairobi"
        # The registration's local times, in UTC: Nairobi is UTC+3.
        assert (event.start, event.end) == (
            datetime(2026, 3, 14, 6, 0, tzinfo=UTC),
            datetime(2026, 3, 15, 14, 0, tzinfo=UTC),
        )
        assert (event.timezone, event.wikis, event.registration) == (
            "Africa/Nairobi",
            ["swwiki", "enwiki"],
            1234,
        )
        assert event.fields == {"source": "campaignevents", "registration_not_visible": "1"}
        assert event.context == {"format": "training-seminar"}
        assert event.problems == []
        people = rt.store.participants(ALONE)
        assert len(people) == 44  # 45 registered, one without a visible name
        assert {p.source for p in people} == {"registration"}
        # The page with the template was read once, as a template event; a page without a
        # registration is no event at all.
        templated = rt.store.get_event(TEMPLATED)
        assert templated is not None
        assert "source" not in templated.fields
        assert [p.user for p in rt.store.participants(TEMPLATED)] == ["Ana"]
        assert rt.store.get_event(PLAIN) is None

        # Next night: the event's page did not change, so it is not viewed again; its registration
        # is read again (people register without editing the page).
        def views(title: str) -> int:
            return sum(1 for r in meta.script.requests if r["params"].get("title") == title)

        assert views(ALONE) == 1
        again = discover.discover(rt, rt.store)
        assert [(e.title, e.status) for e in again.entries] == [
            (TEMPLATED, "unchanged"),
            (ALONE, "unchanged"),
        ]
        assert views(ALONE) == 1
        # A page without a registration is viewed again: enabling one does not edit the page.
        assert views(PLAIN) == 2
        assert len(rt.store.participants(ALONE)) == 44


@pytest.mark.parametrize(
    ("wikis", "code"),
    [(["*"], "problem-registration-all-wikis"), ([], "problem-registration-no-wikis")],
)
def test_a_registration_without_trackable_wikis_is_a_problem(
    tmp_path: Path, wikis: list[str], code: str
) -> None:
    meta = Meta(WITH_EVENTS, {**REGISTRATION, "wikis": wikis})
    with _serve(meta) as api:
        rt = Runtime({**DEFAULTS, **_config(api, tmp_path)})
        discover.discover(rt, rt.store)
    event = rt.store.get_event(ALONE)
    assert event is not None
    assert event.wikis == []
    assert [(p["field"], p["code"]) for p in event.problems] == [("wikis", code)]
    assert "registration 1234" in event.problems[0]["message"]


def test_without_the_extension_discovery_says_so_once_and_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    meta = Meta(SITEINFO, REGISTRATION)  # no Event: namespace, as on the farm
    with _serve(meta) as api:
        for key, value in _config(api, tmp_path).items():
            monkeypatch.setenv(f"TOOL_{key}", value)
        code = main(["discover"])
    out = capsys.readouterr().out
    assert code == 0
    assert f"event parsed (0 problems): {TEMPLATED}\n" in out
    note = (
        "metawiki has no Event: namespace (the CampaignEvents extension is not installed there): "
        "only the pages that use the template were looked for.\n"
    )
    assert out.count(note) == 1
    assert not [r for r in meta.script.requests if r["params"].get("generator") == "allpages"]


def test_a_moved_event_page_keeps_its_event(tmp_path: Path) -> None:
    meta = Meta(WITH_EVENTS, REGISTRATION)
    with _serve(meta) as api:
        rt = Runtime({**DEFAULTS, **_config(api, tmp_path)})
        discover.discover(rt, rt.store)
        page_id, revision = meta.pages.pop(ALONE)
        moved = "Event:Wikipedia training for librarians, Nairobi 2026"
        meta.pages[moved] = (page_id, revision + 1)  # a move adds a revision
        meta.ids[moved] = meta.ids.pop(ALONE)
        report = discover.discover(rt, rt.store)
    assert (moved, "moved") in [(e.title, e.status) for e in report.entries]
    assert ALONE not in [e.title for e in report.entries]  # not "gone": it lives on under its new title
    assert rt.store.get_event(ALONE, include_gone=True) is None
    event = rt.store.get_event(moved)
    assert event is not None
    assert event.registration == 1234
    assert len(rt.store.participants(moved)) == 44
