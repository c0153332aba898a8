"""Unknown fields and goals get "did you mean …?" with the nearest one or two names (issue #13).

And any value still not understood says what was read, what was expected and one example.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tool.metrics.keys import GOAL_KEYS
from tool.wiki.cohortpage import ParsedCohort, parse_cohort
from tool.wiki.eventpage import ParsedEvent, parse_event
from tool.wiki.registry import Registry
from tool.wiki.siteinfo import SiteInfo

DATA = Path(__file__).parent / "data"
META = SiteInfo.from_api(json.loads((DATA / "siteinfo-metawiki.json").read_text()))
START = "{{Event outcomes|start=2026-03-14|end=2026-03-15|wikis=enwiki\n"


def parse(fields: str) -> ParsedEvent:
    return parse_event(START + fields + "}}\n== Participants ==\n", META, Registry(), title="Event:Typos")


def cohort(fields: str) -> ParsedCohort:
    return parse_cohort("{{Event outcomes cohort|events=A; B\n" + fields + "}}", META, title="Cohort:Typos")


@pytest.mark.parametrize(
    ("written", "suggestions"),
    [
        ("strat", ["start"]),
        ("timezon", ["timezone"]),
        ("time zone", ["timezone"]),
        ("Time_Zone", ["timezone"]),
        ("organiser", ["organizers"]),
        ("lang", ["language"]),
        ("country_code", ["country"]),
        ("goal-participants", ["goal_participants"]),
        ("organising", ["organizing"]),
    ],
)
def test_an_unknown_field_names_the_nearest(written: str, suggestions: list[str]) -> None:
    [problem] = parse(f"|{written}=x\n").problems
    assert problem.line == 2
    assert [problem.params[k] for k in ("suggestion", "other") if k in problem.params] == suggestions
    quoted = " or ".join(f'"{name}"' for name in suggestions)
    assert problem.message == (
        f'"{written}" is not a field of this template, so it is ignored. Did you mean {quoted}?'
    )


@pytest.mark.parametrize("written", ["title", "x" * 41, "Veranstaltungsort"])
def test_a_field_near_nothing_gets_an_example(written: str) -> None:
    [problem] = parse(f"|{written}=x\n").problems
    assert problem.code == "problem-unknown-field"
    assert problem.message.startswith(f'"{written}" is not a field of this template')
    assert 'such as "name = Wikipedia training"' in problem.message


@pytest.mark.parametrize(
    ("goal", "suggestions"),
    [
        ("retention", ["retained_30d", "retained_90d"]),  # a word people use, not a spelling
        ("retained", ["retained_7d", "retained_30d"]),
        ("retained_30", ["retained_30d", "retained_90d"]),
        ("participant", ["participants"]),
        ("new_editor", ["new_editors"]),
        ("articles", ["articles_created", "articles_improved"]),
        ("edits", ["edits_during"]),
        ("files", ["uploads"]),
        ("Uploaded", ["uploads"]),
    ],
)
def test_an_unknown_goal_names_the_nearest_outcomes(goal: str, suggestions: list[str]) -> None:
    event = parse(f"|goal_{goal}=5\n")
    [problem] = event.problems
    assert (problem.field, problem.line) == (f"goal_{goal.lower()}", 2)
    assert event.goals == {}
    quoted = " or ".join(f'"goal_{name}"' for name in suggestions)
    assert (
        problem.message == f'"goal_{goal.lower()}" names no outcome, so it is ignored. Did you mean {quoted}?'
    )


def test_an_unknown_goal_near_nothing_gets_an_example_not_the_whole_list() -> None:
    [problem] = parse("|goal_happiness=10\n").problems
    assert problem.message == (
        '"goal_happiness" names no outcome, so it is ignored: write goal_ and the name of an outcome, '
        "such as goal_participants = 30."
    )
    assert sum(key in problem.message for key in GOAL_KEYS) == 1


def test_cohort_fields_and_match_values() -> None:
    assert [(p.code, p.params) for p in cohort("|evnets=C\n|mach=cohort\n").problems] == [
        ("problem-unknown-field-did-you-mean", {"field": "evnets", "suggestion": "events"}),
        ("problem-unknown-field-did-you-mean", {"field": "mach", "suggestion": "match"}),
    ]
    for yes in ("cohort", "Yes", "1", "true"):
        assert cohort(f"|match={yes}\n").match
    for no in ("no", "0", "false", ""):
        parsed = cohort(f"|match={no}\n")
        assert (parsed.match, parsed.problems) == (False, [])
    [problem] = cohort("|match=perhaps\n").problems
    assert (problem.field, problem.line, problem.code) == ("match", 2, "problem-bad-match")
    assert problem.message == (
        '"perhaps" is not understood for match: write match = cohort to also include every event that names '
        "this cohort, or leave the field out."
    )


# Every value the parser does not understand: what was read, what was expected, one example.
@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("start", "next spring", "(write 2026-03-14, 2026-03-14 09:00 or 2026-03-14T09:00+03:00)"),
        ("timezone", "Mars/Olympus", "write a time zone name such as Africa/Nairobi"),
        ("timezone", "BST", "write the zone you mean by its name, such as Europe/London"),
        ("wikis", "nowiki.example", "write a database name such as swwiki"),
        ("namespaces", "articles", "(such as 0 or 0, 118)"),
        ("goal_participants", "many", "(for example goal_participants = 30)"),
        ("registration", "forty-two", "such as registration = 1234"),
    ],
)
def test_a_value_not_understood_says_what_was_read_and_shows_an_example(
    field: str, value: str, expected: str
) -> None:
    fields = {"start": "2026-03-14", "end": "2026-03-15", "wikis": "enwiki", field: value}
    page = "{{Event outcomes" + "".join(f"|{name}={text}" for name, text in fields.items()) + "}}\n"
    event = parse_event(page + "== Participants ==\n", META, Registry(), title="Event:Bad")
    [problem] = [p for p in event.problems if p.field == field]
    assert f'"{value}"' in problem.message
    assert expected in problem.message
