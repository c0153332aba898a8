"""Wikis by the names people use (issue #13): every accepted name resolves to the right dbname.

With Wikimedia's naming rules (no site matrix), with Meta-Wiki's site matrix (a loopback answer,
tests/test_sitematrix.py), and on a farm whose wikis answer at 127.0.0.1; and in a page's
``wikis =`` field, where "Wikimedia Commons" is one name but "swwiki enwiki" two.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.wiki_double import Answer, routed_wiki
from tool.config import DEFAULTS
from tool.wiki.eventpage import ParsedEvent, parse_event
from tool.wiki.registry import Registry, UnknownWiki, domain_of
from tool.wiki.siteinfo import SiteInfo
from tool.wiki.wikinames import NAMED_WIKIS, name_key

DATA = Path(__file__).parent / "data"
META = SiteInfo.from_api(json.loads((DATA / "siteinfo-metawiki.json").read_text()))
MATRIX = json.loads((DATA / "sitematrix-meta.json").read_text())

# Every name of NAMED_WIKIS as people write it, with the wiki it means.
NAMED = [
    ("Commons", "commonswiki"),
    ("Wikimedia Commons", "commonswiki"),
    ("Commons Wikimedia", "commonswiki"),
    ("Wikidata", "wikidatawiki"),
    ("Meta", "metawiki"),
    ("Meta-Wiki", "metawiki"),
    ("Meta Wikimedia", "metawiki"),
    ("Wikimedia Meta-Wiki", "metawiki"),
    ("Wikispecies", "specieswiki"),
    ("Species", "specieswiki"),
    ("MediaWiki", "mediawikiwiki"),
    ("Incubator", "incubatorwiki"),
    ("Wikimedia Incubator", "incubatorwiki"),
    ("Wikifunctions", "wikifunctionswiki"),
    ("Outreach", "outreachwiki"),
    ("Outreach Wiki", "outreachwiki"),
]
# Hosts and addresses as people paste them.
WRITTEN = [
    ("sw.wikipedia", "swwiki"),
    ("sw.wikipedia.org", "swwiki"),
    ("SW.Wikipedia.org", "swwiki"),
    ("sw.wikipedia.org.", "swwiki"),
    ("//sw.wikipedia.org", "swwiki"),
    ("https://sw.wikipedia.org", "swwiki"),
    ("https://sw.wikipedia.org/wiki/Mwanzo", "swwiki"),
    ("http://sw.wikipedia.org/w/index.php?title=Mwanzo&action=history", "swwiki"),
    ("sw.wikipedia.org/wiki/Mwanzo", "swwiki"),
    ("https://sw.m.wikipedia.org/wiki/Mwanzo", "swwiki"),
    ("sw.m.wikipedia.org", "swwiki"),
    ("en.wikipedia.org#top", "enwiki"),
    ("fr.wiktionary", "frwiktionary"),
    ("zh-min-nan.wikipedia", "zh_min_nanwiki"),
    ("commons.wikimedia", "commonswiki"),
    ("commons.m.wikimedia.org", "commonswiki"),
    ("https://commons.wikimedia.org/wiki/File:Example.jpg", "commonswiki"),
    ("wikidata.org", "wikidatawiki"),
    ("www.wikidata", "wikidatawiki"),
    ("m.wikidata.org", "wikidatawiki"),
    ("https://www.wikidata.org/wiki/Q42", "wikidatawiki"),
    ("meta.wikimedia", "metawiki"),
    ("//meta.wikimedia.org/wiki/Event_outcomes", "metawiki"),
    ("mediawiki.org", "mediawikiwiki"),
    ("swwiki", "swwiki"),
    (" EnWiki ", "enwiki"),
]


def test_every_named_wiki_is_tested() -> None:
    assert {name_key(written) for written, _ in NAMED} == set(NAMED_WIKIS)
    assert dict((name_key(w), d) for w, d in NAMED) == NAMED_WIKIS
    for dbname in NAMED_WIKIS.values():
        assert domain_of(dbname)  # a wiki of Wikimedia's naming rules


@pytest.mark.parametrize(("written", "dbname"), NAMED + WRITTEN)
def test_names_people_use_resolve_by_the_naming_rules(written: str, dbname: str) -> None:
    assert Registry().dbname(written) == dbname


@pytest.mark.parametrize("written", [name.upper() for name, _ in NAMED] + ["wikimedia_commons", "META WIKI"])
def test_letter_case_spaces_and_underscores_do_not_matter(written: str) -> None:
    assert Registry().dbname(written) in NAMED_WIKIS.values()


@pytest.mark.parametrize(
    "written",
    ["Wikipedia", "Wikisource", "English Wikipedia", "wiki", "https://", "//", "https:///wiki/X",
     "sw.wikipedia.com", "sw.wikipedia.org:8080", "example.org", "x" * 5000 + ".org", "Commons" * 1000],
)  # fmt: skip
def test_names_of_no_one_wiki_are_unknown(written: str) -> None:
    with pytest.raises(UnknownWiki):
        Registry().dbname(written)


def _matrix(path: str, params: dict[str, str]) -> Answer:
    return Answer(200, MATRIX)


@pytest.mark.parametrize(
    ("written", "dbname"),
    [("Commons", "commonswiki"), ("Wikidata", "wikidatawiki"), ("Meta", "metawiki"),
     ("sw.wikipedia", "swwiki"), ("//sw.wikipedia.org", "swwiki"),
     ("https://se.wikimedia.org/wiki/X", "sewikimedia")],
)  # fmt: skip
def test_names_resolve_through_the_site_matrix(tmp_path: Path, written: str, dbname: str) -> None:
    with routed_wiki(_matrix) as api:
        registry = Registry.from_config({**DEFAULTS, "SITEMATRIX_API": api, "INSTANCE_PATH": str(tmp_path)})
        assert registry.dbname(written) == dbname


def test_a_named_wiki_the_site_matrix_lacks_is_unknown(tmp_path: Path) -> None:
    with routed_wiki(_matrix) as api:
        registry = Registry.from_config({**DEFAULTS, "SITEMATRIX_API": api, "INSTANCE_PATH": str(tmp_path)})
        with pytest.raises(UnknownWiki):
            registry.dbname("Wikispecies")  # real, but not in the trimmed answer


def _farm(tmp_path: Path) -> Registry:
    status = {
        "home_wiki": "metawiki",
        "wikis": {
            name: {
                "api": f"http://127.0.0.1:{8300 + n}/api.php",
                "rest": f"http://127.0.0.1:{8300 + n}/rest.php",
            }
            for n, name in enumerate(("metawiki", "enwiki", "swwiki", "commonswiki"))
        },
    }
    path = tmp_path / "farm.json"
    path.write_text(json.dumps(status))
    return Registry.from_config({"FARM": str(path)})


@pytest.mark.parametrize(
    ("written", "dbname"),
    [("Commons", "commonswiki"), ("Wikimedia Commons", "commonswiki"), ("Meta", "metawiki"),
     ("sw.wikipedia", "swwiki"), ("https://sw.m.wikipedia.org/wiki/Mwanzo", "swwiki"),
     ("http://127.0.0.1:8302/index.php?title=Mwanzo", "swwiki"), ("//127.0.0.1:8303", "commonswiki")],
)  # fmt: skip
def test_a_farm_knows_its_wikis_by_every_name_and_its_own_addresses(
    tmp_path: Path, written: str, dbname: str
) -> None:
    assert _farm(tmp_path).dbname(written) == dbname


@pytest.mark.parametrize("written", ["Wikidata", "fr.wikipedia", "http://127.0.0.1:9999/index.php"])
def test_a_farm_knows_no_other_wiki(tmp_path: Path, written: str) -> None:
    with pytest.raises(UnknownWiki):
        _farm(tmp_path).dbname(written)


# --- in a page's wikis field -------------------------------------------------------------------


def parse(wikis: str) -> ParsedEvent:
    page = f"{{{{Event outcomes|start=2026-03-14|end=2026-03-15|wikis={wikis}}}}}\n== Participants ==\n"
    return parse_event(page, META, Registry(), title="Event:Wikis")


def test_the_issues_example_reads_every_wiki() -> None:
    event = parse("en.wikipedia.org, sw.wikipedia, Commons")
    assert event.problems == []
    assert event.wikis == ["enwiki", "swwiki", "commonswiki"]


@pytest.mark.parametrize(
    ("wikis", "dbnames"),
    [
        ("Wikimedia Commons, Wikidata; Meta-Wiki", ["commonswiki", "wikidatawiki", "metawiki"]),
        ("swwiki enwiki", ["swwiki", "enwiki"]),
        ("swwiki  sw.wikipedia.org\tsw.wikipedia", ["swwiki"]),
        ("https://sw.wikipedia.org/wiki/Mwanzo, //en.wikipedia.org", ["swwiki", "enwiki"]),
    ],
)
def test_wikis_fields_as_people_write_them(wikis: str, dbnames: list[str]) -> None:
    event = parse(wikis)
    assert event.problems == []
    assert event.wikis == dbnames


def test_an_unknown_name_is_reported_whole_with_an_example() -> None:
    event = parse("swwiki, English Wikipedia, enwiki xxx")
    assert event.wikis == ["swwiki", "enwiki"]
    assert [(p.code, p.params["value"]) for p in event.problems] == [
        ("problem-unknown-wiki", "English Wikipedia"),  # no word of it is a wiki: one name
        ("problem-unknown-wiki", "xxx"),  # the words of a list: the one that is not
    ]
    assert event.problems[0].message == (
        '"English Wikipedia" is not a known wiki: write a database name such as swwiki, a domain such as '
        "sw.wikipedia.org, or a name such as Commons or Wikidata."
    )
