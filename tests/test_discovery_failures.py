"""One bad page or event never stops the others (issue #7, item 4).

The bad inputs are the ones that stopped nightly runs: a registration of 5,000 digits, a year 9999
end west of UTC, a year 1 start east of it (each now a problem on its page), a wiki that errors
while one page's participants list is read, and an event that cannot be evaluated in
``sync --all``. Each is stored or reported with its problem, the pages and events after it are
processed as usual, and the exit status says that something failed.
"""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import bot_site, farm_runtime
from tests.store_fixtures import migrated
from tests.wiki_double import Answer, Script, routed_wiki
from tool import create_app
from tool.cli import main
from tool.config import DEFAULTS
from tool.pipeline import discover, resolve
from tool.runtime import Runtime
from tool.store import Store
from tool.wiki.eventpage import parse_event

DATA = Path(__file__).parent / "data"
SITEINFO = json.loads((DATA / "siteinfo-metawiki.json").read_text())
NAIROBI = "Wikimedia Community User Group Kenya/Wikipedia training for librarians, Nairobi 2026"


@pytest.mark.farm
def test_the_shapes_that_stopped_discovery_are_problems_and_the_rest_goes_on(
    farm: dict[str, Any], farm_credentials: dict[str, Any], tmp_path: Path
) -> None:
    url = migrated(f"sqlite:///{tmp_path / 's.sqlite'}")
    rt = Runtime({**DEFAULTS, "FARM": farm["status_file"], "DATABASE_URL": url})
    site = bot_site(farm, farm_credentials)
    suffix = uuid.uuid4().hex[:8]
    participants = "\n== Participants ==\n# [[User:OutcomesBot]]\n"
    # "Event outcomes/…" sorts before every page of the farm's profile: these are read first.
    pages = {
        f"Event outcomes/Test/A registration {suffix}": (
            "{{Event outcomes|start=2026-05-01|end=2026-05-02|wikis=enwiki|registration=" + "7" * 5000 + "}}",
            ("registration", "problem-bad-registration"),
        ),
        f"Event outcomes/Test/B year 9999 {suffix}": (
            "{{Event outcomes|start=2026-05-01|end=9999-12-31|timezone=America/New_York|wikis=enwiki}}",
            ("end", "problem-date-out-of-range"),
        ),
        f"Event outcomes/Test/C year 1 {suffix}": (
            "{{Event outcomes|start=0001-01-01|end=2026-05-02|timezone=Asia/Tokyo|wikis=enwiki}}",
            ("start", "problem-date-out-of-range"),
        ),
    }
    for title, (text, _) in pages.items():
        site.pages[title].edit(text + participants, summary="failures test", bot=True)
    try:
        report = discover.discover(rt, rt.store)
        statuses = {entry.title: entry.status for entry in report.entries}
        for title, (_, expected) in pages.items():
            assert statuses[title] == "parsed"
            record = rt.store.get_event(title)
            assert record is not None
            assert [(p["field"], p["code"]) for p in record.problems] == [expected]
            assert None in (record.start, record.end, record.registration)  # the bad value is not kept
        assert statuses[NAIROBI] == "parsed"
        assert [p.user for p in rt.store.participants(NAIROBI)]  # the pages after them were read in full
        # And the public home page lists them all instead of answering 500.
        response = create_app({"DATABASE_URL": url, "FARM": farm["status_file"]}).test_client().get("/")
        assert response.status_code == 200
    finally:
        for title in pages:
            site.pages[title].edit("Retired by the failures test.", summary="cleanup", bot=True)


# --- a page whose participants list cannot be read: on a Meta-Wiki that errors for that request ----

TEMPLATE = "{{Event outcomes|start=2026-03-14|end=2026-03-15|wikis=metawiki"
PAGES = {
    "Event:A": TEMPLATE + "}}\n== Participants ==\n# [[User:Ana]]\n",
    "Event:B": TEMPLATE + "|participants=Event:B/List}}\n",
    "Event:C": TEMPLATE + "}}\n== Participants ==\n# [[User:Ana]]\n",
}
# What Wikimedia's API answers when a database query fails.
# An error the client does not retry (database errors it retries, as mwclient does).
INTERNAL_ERROR = {
    "error": {
        "code": "internal_api_error_MWException",
        "info": "[abc] Exception caught: Unknown content model.",
    }
}


def _meta(path: str, params: dict[str, str]) -> Answer:
    if "siteinfo" in params.get("meta", "").split("|"):  # with mwclient's userinfo
        return Answer(200, SITEINFO)
    if params.get("generator") == "embeddedin":
        listed = PAGES if params["geititle"] == "Template:Event outcomes" else {}
        pages = [{"pageid": i + 1, "ns": 0, "title": t, "lastrevid": 10 + i} for i, t in enumerate(listed)]
        return Answer(200, {"batchcomplete": True, "query": {"pages": pages}})
    if params.get("prop") == "revisions":
        titles = params["titles"].split("|")
        if "Event:B/List" in titles:
            return Answer(200, INTERNAL_ERROR)
        return Answer(200, {"batchcomplete": True, "query": {"pages": [_revision(t) for t in titles]}})
    if params.get("list") == "users":
        users = [
            {"userid": 7, "name": n, "registration": "2020-01-01T00:00:00Z"}
            for n in params["ususers"].split("|")
        ]
        return Answer(200, {"batchcomplete": True, "query": {"users": users}})
    return Answer(200, {"error": {"code": "badvalue", "info": f"unexpected {params}"}})


def _revision(title: str) -> dict[str, Any]:
    number = list(PAGES).index(title)
    revision = {
        "revid": 10 + number,
        "timestamp": "2026-03-01T00:00:00Z",
        "slots": {"main": {"content": PAGES[title]}},
    }
    return {"pageid": number + 1, "ns": 0, "title": title, "revisions": [revision]}


def _double_config(api: str, tmp_path: Path) -> dict[str, str]:
    farm = tmp_path / "farm.json"
    farm.write_text(json.dumps({"home_wiki": "metawiki", "wikis": {"metawiki": {"api": api, "rest": ""}}}))
    return {"FARM": str(farm), "DATABASE_URL": migrated(f"sqlite:///{tmp_path / 's.sqlite'}")}


def test_a_page_that_fails_is_stored_with_its_problem_and_read_again(tmp_path: Path) -> None:
    with routed_wiki(_meta) as api:
        rt = Runtime({**DEFAULTS, **_double_config(api, tmp_path)})
        report = discover.discover(rt, rt.store)
        assert [(e.title, e.status) for e in report.entries] == [
            ("Event:A", "parsed"),
            ("Event:B", "failed"),
            ("Event:C", "parsed"),
        ]
        failed = rt.store.get_event("Event:B")
        assert failed is not None
        [problem] = failed.problems
        assert (problem["field"], problem["code"]) == ("page", "problem-page-failed")
        assert "internal_api_error_MWException" in problem["message"]
        assert [p.user for p in rt.store.participants("Event:C")] == ["Ana"]
        # Not taken as read: the next discovery reads it again (and still reports it), not the others.
        again = discover.discover(rt, rt.store)
        assert [(e.title, e.status) for e in again.entries] == [
            ("Event:A", "unchanged"),
            ("Event:C", "unchanged"),
            ("Event:B", "failed"),
        ]


def test_discover_says_what_failed_and_exits_1(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with routed_wiki(_meta, Script([])) as api:
        for key, value in _double_config(api, tmp_path).items():
            monkeypatch.setenv(f"TOOL_{key}", value)
        code = main(["discover"])
    out = capsys.readouterr().out
    assert code == 1
    assert "event failed (one problem): Event:B\n  failed: ApiError: " in out
    assert "event parsed (0 problems): Event:C\n" in out
    assert out.endswith(
        'One page could not be read (see "failed" above); it is read again at the next discovery.\n'
    )


@pytest.mark.farm
def test_sync_all_goes_on_after_an_event_it_cannot_evaluate(
    farm: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url = migrated(f"sqlite:///{tmp_path / 's.sqlite'}")
    monkeypatch.setenv("TOOL_FARM", farm["status_file"])
    monkeypatch.setenv("TOOL_DATABASE_URL", url)
    assert main(["discover"]) == 0
    store = Store(url)
    nairobi = store.get_event(NAIROBI)
    assert nairobi is not None
    # A page without dates (as discovery stores one): sorted first, so it used to stop the run.
    store.save_event(
        replace(nairobi, title="Event outcomes/Test/No dates", page_id=999, start=None, end=None)
    )
    capsys.readouterr()
    code = main(["sync", "--all", "--now", "2026-11-01T00:00:00Z"])
    out = capsys.readouterr().out
    assert code == 1
    # Every evaluable event's people are synced first, at once; the broken event is left out of it.
    shared, broken, *_ = out.splitlines()
    assert re.fullmatch(
        r"All events together: \d+ new contributions in \d+ time spans for 4 events; .*", shared
    )
    assert broken.startswith(
        "Event outcomes/Test/No dates: not synced: Event outcomes/Test/No dates: no valid start, end"
    )
    assert f"\n{NAIROBI}: 0 new contributions in 0 time spans; " in out  # all fetched just before
    assert store.latest_snapshot("event", NAIROBI) is not None


@pytest.mark.farm
@pytest.mark.parametrize("listed", ["Special:Contributions/OutcomesBot", "Event outcomes/Test/No such list"])
def test_a_participants_page_without_text_is_a_problem(
    farm: dict[str, Any], tmp_path: Path, listed: str
) -> None:
    # A special page gives no text (the API does not even call it missing): reported, not ignored.
    rt = farm_runtime(farm, tmp_path)
    site = discover.home_site(rt)
    text = "{{Event outcomes|start=2026-05-01|end=2026-05-02|wikis=enwiki|participants=" + listed + "}}"
    event = parse_event(text, site, rt.registry, title="Event:Elsewhere")
    people, problems = resolve.read_participants_page(rt, site, event, discover.templates_of(rt))
    assert [(p.field, p.code) for p in problems] == [("participants", "problem-participants-page-missing")]
    assert people.participants == []
    assert event.problems == []  # the parse result is not where resolving reports
