"""The on-wiki templates ship with the project (wiki-templates/), with TemplateData for every parameter.

The farm installs them from those files; its API (action=templatedata, what the visual editor's
template dialog reads) must document exactly the parameters the parser reads: a parameter the
form offers but the tool ignores, or one the tool reads but the form hides, is a bug either way.
"""

from __future__ import annotations

import json
import re
import shutil
from html import unescape
from pathlib import Path
from typing import Any

import pytest
import requests

from devwiki import farm as farm_module
from devwiki import mediawiki
from devwiki.generator import PROFILES
from devwiki.pages import template_revisions
from tool.config import DEFAULTS
from tool.wiki import templatefiles
from tool.wiki.cohortpage import COHORT_PARAMETERS
from tool.wiki.eventpage import EVENT_PARAMETERS, parse_event
from tool.wiki.participants import USER_PARAMETERS
from tool.wiki.registry import Registry
from tool.wiki.siteinfo import SiteInfo
from tool.wiki.templatefiles import FOLDER, template_pages, templatedata, title_of

EVENT = "Template:" + DEFAULTS["EVENT_TEMPLATE"]
COHORT = "Template:" + DEFAULTS["COHORT_TEMPLATE"]
PARTICIPANT = "Template:" + DEFAULTS["PARTICIPANT_TEMPLATE"]
PRELOAD = EVENT + "/preload"
# What the parser reads of each template, as the TemplateData must document it.
READ = {EVENT: set(EVENT_PARAMETERS), COHORT: set(COHORT_PARAMETERS), PARTICIPANT: set(USER_PARAMETERS)}
REQUIRED = {EVENT: {"start", "end", "wikis"}, COHORT: set(), PARTICIPANT: {"1"}}
TYPES = {
    "start": "date", "end": "date", "participants": "wiki-page-name", "registration": "number",
    "1": "wiki-user-name", "match": "boolean",
    **{name: "number" for name in EVENT_PARAMETERS if name.startswith("goal_")},
}  # fmt: skip


META = SiteInfo.from_api(json.loads((Path(__file__).parent / "data" / "siteinfo-metawiki.json").read_text()))


def documented(data: dict[str, Any]) -> set[str]:
    """Every name a TemplateData accepts: its parameters and their aliases."""
    return set(data["params"]) | {alias for param in data["params"].values() for alias in param["aliases"]}


def shipped(title: str) -> dict[str, Any]:
    """The TemplateData in the template's documentation file, normalized as the API shows it."""
    data = templatedata(template_pages()[title + "/doc"])
    for param in data["params"].values():
        param.setdefault("aliases", [])
        param.setdefault("required", False)
    return data


def test_each_file_names_its_page() -> None:
    assert title_of(FOLDER / "Event_outcomes.wikitext") == "Template:Event outcomes"
    assert title_of(FOLDER / "Event_outcomes" / "doc.wikitext") == "Template:Event outcomes/doc"
    assert list(template_pages()) == [
        f"{EVENT}/doc", PRELOAD, f"{COHORT}/doc", f"{PARTICIPANT}/doc", EVENT, COHORT, PARTICIPANT
    ]  # fmt: skip


@pytest.mark.parametrize("title", [EVENT, COHORT, PARTICIPANT])
def test_each_template_shows_its_documentation(title: str) -> None:
    text = template_pages()[title]
    assert text.rstrip().endswith("<noinclude>{{/doc}}</noinclude>")
    # The documentation quotes the template in <pre>, never calls it: a call would make the
    # documentation page an event (discovery lists the pages that embed the template).
    doc = template_pages()[title + "/doc"]
    outside_pre = "".join(part.split("</pre>")[-1] for part in doc.split("<pre>"))
    assert "{{" + title.removeprefix("Template:") not in outside_pre


@pytest.mark.parametrize("title", [EVENT, COHORT, PARTICIPANT])
def test_the_shipped_templatedata_documents_what_the_parser_reads(title: str) -> None:
    data = shipped(title)
    assert documented(data) == READ[title]
    assert {name for name, param in data["params"].items() if param["required"]} == REQUIRED[title]
    assert data["description"]
    for name, param in data["params"].items():
        assert all(param.get(k) for k in ("label", "description", "example")), name
        assert param["type"] == TYPES.get(name, "string"), name
    if "paramOrder" in data:
        assert sorted(data["paramOrder"]) == sorted(data["params"])


def test_the_event_form_suggests_what_organizers_fill_in_first() -> None:
    params = shipped(EVENT)["params"]
    suggested = {name for name, param in params.items() if param.get("suggested")}
    assert {
        "name",
        "timezone",
        "types",
        "country",
        "language",
        "organizers",
        "goal_participants",
    } <= suggested
    assert params["goal_edits_per_week_after_mean"]["aliases"] == ["goal_edits_per_week_after"]
    assert shipped(EVENT)["format"] == shipped(COHORT)["format"] == "block"


def preloaded() -> str:
    """What a new page starts with: the preload's includeonly part, as MediaWiki copies it."""
    return template_pages()[PRELOAD].split("<includeonly>", 1)[1].split("</includeonly>", 1)[0]


def test_the_preload_explains_each_field() -> None:
    lines = [line for line in preloaded().splitlines() if line.startswith(" | ")]
    fields = [line.split("=", 1)[0].strip(" |") for line in lines]
    assert {"name", "start", "end", "timezone", "wikis", "organizers"} <= set(fields) <= EVENT_PARAMETERS
    for line in lines:  # each field is empty but for a comment that says what to write
        assert re.fullmatch(r" \| [a-z_0-9]+ *= <!-- [^<>]+ -->", line), line
    for required in ("start", "end", "wikis"):
        assert "<!-- Required." in next(line for line in lines if line.startswith(f" | {required} "))


def test_a_new_page_from_the_preload_asks_for_its_dates_and_wikis_only() -> None:
    new = parse_event(preloaded(), META, Registry(), title="Event:New")
    assert [(p.field, p.code) for p in new.problems] == [
        (field, "problem-missing-field") for field in ("start", "end", "wikis")
    ]
    filled = re.sub(r"(start|end) *= <!--", r"\1 = 2026-03-14 <!--", preloaded())
    filled = filled.replace(" | wikis        = <!--", " | wikis = sw.wikipedia, Commons <!--")
    event = parse_event(filled + "# [[User:Ana]]\n", META, Registry(), title="Event:New")
    assert event.problems == []
    assert (event.wikis, [p.user for p in event.participants]) == (["swwiki", "commonswiki"], ["Ana"])


def test_the_farm_seeds_the_shipped_files() -> None:
    seeded = {r.title: r.text for r in template_revisions()}
    assert {title: seeded[title] for title in template_pages()} == template_pages()


def test_a_changed_template_or_extension_rebuilds_the_farm(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    profile = PROFILES["test"]
    before = farm_module.build_key(profile)
    copy = tmp_path / "wiki-templates"
    shutil.copytree(FOLDER, copy)
    monkeypatch.setattr(templatefiles, "FOLDER", copy)
    assert farm_module.build_key(profile) == before
    (copy / "Event_participant.wikitext").write_text("<includeonly>changed</includeonly>", encoding="utf-8")
    changed = farm_module.build_key(profile)
    assert changed != before
    assert farm_module.Farm(profile, 8700).cache_dir.name.endswith(changed)
    monkeypatch.setattr(mediawiki, "EXTENSIONS", (*mediawiki.EXTENSIONS, "Renameuser"))
    assert farm_module.build_key(profile) not in (before, changed)


# --- through the farm's API ------------------------------------------------------------------


def _api(farm: dict[str, Any], **params: str) -> dict[str, Any]:
    answer = requests.get(
        farm["wikis"]["metawiki"]["api"],
        params={**params, "format": "json", "formatversion": "2"},
        timeout=30,
    )
    answer.raise_for_status()
    body: dict[str, Any] = answer.json()
    assert "error" not in body, body
    return body


@pytest.mark.farm
def test_the_farm_loads_the_extensions_the_templates_need(farm: dict[str, Any]) -> None:
    extensions = _api(farm, action="query", meta="siteinfo", siprop="extensions")["query"]["extensions"]
    assert {"ParserFunctions", "TemplateData", "InputBox"} <= {e["name"] for e in extensions}


@pytest.mark.farm
def test_the_farm_serves_the_shipped_pages(farm: dict[str, Any]) -> None:
    pages = _api(
        farm,
        action="query",
        prop="revisions",
        rvprop="content",
        rvslots="main",
        titles="|".join(template_pages()),
    )["query"]["pages"]
    served = {p["title"]: p["revisions"][0]["slots"]["main"]["content"] for p in pages}
    assert served == template_pages()


@pytest.mark.farm
def test_the_farms_templatedata_documents_exactly_what_the_parser_reads(farm: dict[str, Any]) -> None:
    answer = _api(farm, action="templatedata", titles="|".join(READ), lang="en")
    found = {page["title"]: page for page in answer["pages"].values()}
    assert set(found) == set(READ)
    for title, data in found.items():
        assert documented(data) == READ[title], title
        assert {name for name, p in data["params"].items() if p["required"]} == REQUIRED[title], title
        for name, param in data["params"].items():
            # With lang=en the texts are the English strings.
            assert all(param.get(k) for k in ("label", "description", "example")), (title, name)
            assert param["type"] == TYPES.get(name, "string"), (title, name)
    assert found[EVENT]["format"] == "block"
    assert found[PARTICIPANT]["format"] == "inline"


@pytest.mark.farm
def test_the_event_template_shows_what_is_set(farm: dict[str, Any]) -> None:
    call = (
        "{{Event outcomes|name=Training|start=2026-03-14|end=2026-03-15|wikis=swwiki, Commons"
        "|region=East Africa|country=KE|goal_participants=30|goal_edits_per_week_after=4}}"
    )
    html = unescape(
        _api(farm, action="parse", text=call, contentmodel="wikitext", prop="text")["parse"]["text"]
    )
    assert "<caption>Training</caption>" in html
    assert "2026-03-14 – 2026-03-15 (UTC)" in html
    assert "East Africa, KE" in html
    assert "<li>Participants: 30</li>" in html
    assert "<li>Edits per week after (mean): 4</li>" in html
    assert "Theme" not in html  # an empty field shows no row
    assert "{{{" not in html


@pytest.mark.farm
def test_the_participant_template_links_the_user(farm: dict[str, Any]) -> None:
    for call in ("{{Event participant|Wanjiru Kamau}}", "{{Event participant|user=Wanjiru Kamau}}"):
        html = _api(farm, action="parse", text=call, contentmodel="wikitext", prop="text")["parse"]["text"]
        assert 'title="User:Wanjiru Kamau' in html
        assert ">Wanjiru Kamau</a>" in html


@pytest.mark.farm
def test_the_start_an_event_box_opens_a_page_with_the_preload(farm: dict[str, Any]) -> None:
    doc = _api(farm, action="parse", page=f"{EVENT}/doc", prop="text")["parse"]["text"]
    form = doc.split("<form", 1)[1].split("</form>", 1)[0]
    inputs = [dict(re.findall(r'(\w+)="([^"]*)"', tag)) for tag in re.findall(r"<input[^>]*>", form)]
    assert {"type": "hidden", "name": "preload", "value": PRELOAD} in inputs
    assert any(i.get("type") == "submit" and i.get("value") == "Create the event page" for i in inputs)
    # What the box's button asks for: the edit form of the new page, filled from the preload.
    index = farm["wikis"]["metawiki"]["index"]
    answer = requests.get(
        index,
        params={"title": "Event outcomes/Test/Preloaded", "action": "edit", "preload": PRELOAD},
        timeout=30,
    )
    textarea = answer.text.split('id="wpTextbox1"', 1)[1].split(">", 1)[1].split("</textarea>", 1)[0]
    assert unescape(textarea).strip() == preloaded().strip()
    # The preload page itself calls no template: discovery never takes it for an event.
    embedded = _api(farm, action="query", list="embeddedin", eititle=EVENT, eilimit="max")["query"][
        "embeddedin"
    ]
    assert not [page for page in embedded if page["title"].startswith("Template:")]
