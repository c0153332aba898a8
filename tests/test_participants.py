"""The participant corpus, and single rules of participant parsing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.participant_corpus import CASES, Case
from tool.wiki.participants import (
    Duplicate,
    Participant,
    ParticipantsResult,
    Unresolved,
    parse_participants,
    participants_from_text,
)
from tool.wiki.siteinfo import SiteInfo

DATA = Path(__file__).parent / "data"
META = SiteInfo.from_api(json.loads((DATA / "siteinfo-metawiki.json").read_text()))
SWWIKI = SiteInfo.from_api(json.loads((DATA / "siteinfo-swwiki.json").read_text()))


def test_the_corpus_is_large_enough() -> None:
    assert len(CASES) >= 30
    assert len({case.id for case in CASES}) == len(CASES)
    signatures = [case for case in CASES if case.id.endswith(("-signature", "-signature-rtl", "-gendered"))]
    assert len(signatures) >= 6


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_corpus(case: Case) -> None:
    result = parse_participants(case.text, META)
    assert [(p.user, p.line) for p in result.participants] == case.participants
    assert [u.line for u in result.unresolved] == case.unresolved
    assert [p.user for p in result.withdrawn] == case.withdrawn
    assert [p.user for p in result.mentions] == case.mentions


def test_duplicates_are_reported_with_the_first_line() -> None:
    case = next(c for c in CASES if c.id == "duplicates-written-differently")
    result = parse_participants(case.text, META)
    assert result.duplicates == [Duplicate("Ike Okafor", 2, 1), Duplicate("Ike Okafor", 3, 1)]


def test_line_numbers_start_where_the_section_starts() -> None:
    result = parse_participants("# [[User:Ana]]\n\n# Juma", META, start_line=40)
    assert result.participants == [Participant("Ana", 40)]
    assert result.unresolved == [Unresolved("Juma", 42)]


def test_the_reading_wikis_own_namespace_names_count() -> None:
    result = parse_participants("# [[Mtumiaji:Baraka]]\n# [[Maalum:Michango/Zawadi]]", SWWIKI)
    assert [p.user for p in result.participants] == ["Baraka", "Zawadi"]


def test_configured_participant_template() -> None:
    text = "# {{Teilnehmer|Ana}}\n# {{Event participant|Bea}}"
    assert [p.user for p in parse_participants(text, META, user_templates=["Teilnehmer"]).participants] == [
        "Ana"
    ]
    assert [p.user for p in participants_from_text(text, META, ["Teilnehmer"]).participants] == ["Ana"]
    assert [p.user for p in parse_participants(text, META).participants] == ["Bea"]


def test_an_unresolved_line_says_why_when_there_is_a_reason() -> None:
    result = parse_participants("# [[User:192.0.2.7]]\n# [[User:A<b>]]\n# Juma", META, start_line=4)
    assert [(u.line, u.code, u.params) for u in result.unresolved] == [
        (4, "problem-username-ip", {"name": "192.0.2.7"}),
        (5, "problem-username-character", {"name": "A<b>", "character": "<"}),
        (6, "", {}),
    ]


def test_lists_merged_count_each_person_once() -> None:
    section = parse_participants("# [[User:Ana]]\n# [[User:Bea]]", META)
    page = parse_participants("# {{u|ana}}\n# [[User:Cid]]", META)
    section.extend(page)
    assert [p.user for p in section.participants] == ["Ana", "Bea", "Cid"]
    assert section.duplicates == [Duplicate("Ana", 1, 1)]


def test_participants_appended_by_hand_are_still_seen() -> None:
    result = ParticipantsResult()
    result.participants += [Participant("Ana", 3)]
    result.add(Participant("Ana", 9))
    assert result.duplicates == [Duplicate("Ana", 9, 3)]


def test_broken_markup_on_one_line_stays_on_that_line() -> None:
    text = (
        "# {{u|Ana\n# [[User:Bea\n# {{strike|[[User:Cid]]\n# [[User:Dee]] {{unclosed\n"
        "# <del>[[User:Eve]]\n# [[User:Fay]]"
    )
    result = parse_participants(text, META)
    # As MediaWiki shows them: an unclosed template is text, an unclosed <del> strikes to the line's end.
    assert [(p.user, p.line) for p in result.participants] == [("Cid", 3), ("Dee", 4), ("Fay", 6)]
    assert [p.user for p in result.withdrawn] == ["Eve"]
    assert [u.line for u in result.unresolved] == [1, 2]
