"""The participant corpus, and single rules of participant parsing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.participant_corpus import CASES, Case
from tool.wiki.participants import parse_participants, participants_from_text
from tool.wiki.siteinfo import SiteInfo

DATA = Path(__file__).parent / "data"
META = SiteInfo.from_api(json.loads((DATA / "siteinfo-metawiki.json").read_text()))


def test_the_corpus_is_large_enough() -> None:
    assert len(CASES) >= 30
    assert len({case.id for case in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_corpus(case: Case) -> None:
    result = participants_from_text(case.text, META, ["Event participant"])
    assert [(e.user, e.line) for e in result.participants] == case.participants
    assert [u.line for u in result.unresolved] == case.unresolved
    assert [e.user for e in result.withdrawn] == case.withdrawn
    assert [e.user for e in result.mentions] == case.mentions


def test_duplicates_are_reported_with_the_first_line() -> None:
    case = next(c for c in CASES if c.id == "duplicates-written-differently")
    result = parse_participants(enumerate(case.text.split("\n"), 1), META)
    assert [(entry.user, entry.line, first) for entry, first in result.duplicates] == [
        ("Ike Okafor", 2, 1),
        ("Ike Okafor", 3, 1),
    ]


def test_the_reading_wikis_own_namespace_names_count() -> None:
    swwiki = SiteInfo.from_api(json.loads((DATA / "siteinfo-swwiki.json").read_text()))
    result = parse_participants([(1, "# [[Mtumiaji:Baraka]]"), (2, "# [[Maalum:Michango/Zawadi]]")], swwiki)
    assert [e.user for e in result.participants] == ["Baraka", "Zawadi"]


def test_an_unresolved_line_says_why_when_there_is_a_reason() -> None:
    result = parse_participants([(4, "# [[User:192.0.2.7]]")], META)
    assert result.unresolved[0].line == 4
    assert "IP address" in result.unresolved[0].reason
