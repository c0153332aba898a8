"""Cohort pages: events listed in the template, in an Events section, or matched by cohort name."""

from __future__ import annotations

import json
from pathlib import Path

from tool.wiki.cohortpage import cohort_members, has_cohort_template, parse_cohort
from tool.wiki.siteinfo import SiteInfo

META = SiteInfo.from_api(json.loads((Path(__file__).parent / "data" / "siteinfo-metawiki.json").read_text()))

PAGE = """{{Event outcomes cohort
 | name   = Wiki Indaba trainings 2026
 | events = Event:Nairobi; [[Event:Kisumu|Kisumu]]
 | match  = cohort
}}
== Events ==
* [[Event:Mombasa|Mombasa workshop]] (June)
* [[Event:Nairobi]] (listed twice, counted once)
== See also ==
* [[Event:Unrelated]]
"""


def test_events_from_the_template_and_the_events_section() -> None:
    cohort = parse_cohort(PAGE, META, title="Cohort:Indaba")
    assert cohort.name == "Wiki Indaba trainings 2026"
    assert cohort.events == ["Event:Nairobi", "Event:Kisumu", "Event:Mombasa"]
    assert cohort.match is True
    assert cohort.problems == []
    assert cohort.to_json()["kind"] == "cohort"


def test_match_adds_every_event_naming_the_cohort_once() -> None:
    cohort = parse_cohort(PAGE, title="Cohort:Indaba")
    stored = [
        ("Event:Arusha", "Wiki Indaba trainings 2026"),
        ("Event:Nairobi", "Wiki Indaba trainings 2026"),
        ("Event:Berlin", "WikiCon"),
        ("Event:Lagos", None),
    ]
    assert cohort_members(cohort, stored) == [
        "Event:Nairobi",
        "Event:Kisumu",
        "Event:Mombasa",
        "Event:Arusha",
    ]


def test_without_match_only_the_listed_events() -> None:
    cohort = parse_cohort("{{Event outcomes cohort|name=X|events=A; b}}", title="C")
    assert cohort_members(cohort, [("Z", "X")]) == ["A", "B"]


def test_a_cohort_with_no_events_is_a_problem_not_an_error() -> None:
    cohort = parse_cohort("{{Event outcomes cohort|name=Empty}}", title="C")
    assert [p.code for p in cohort.problems] == ["problem-cohort-no-events"]
    assert parse_cohort("no template", title="C").problems[0].code == "problem-no-template"
    assert has_cohort_template(PAGE)
    assert not has_cohort_template("{{Event outcomes|start=2026-01-01}}")


def test_titles_in_the_wikis_own_form() -> None:
    cohort = parse_cohort(
        "{{Event outcomes cohort|events=project:indaba/nairobi; [[:help:Kisumu#Day 1]]; [[#Notes]]}}",
        META,
        title="Meta-Wiki:Indaba",
    )
    assert cohort.events == ["Meta-Wiki:Indaba/nairobi", "Help:Kisumu"]
    assert cohort.name == "Indaba"  # {{PAGENAME}}, as the template shows when name= is empty


def test_match_compares_names_as_readers_see_them() -> None:
    cohort = parse_cohort("{{Event outcomes cohort|name=Wiki Indaba 2026|match=yes}}", title="C")
    assert cohort.problems == []
    stored = [("A", "wiki indaba 2026"), ("B", "Wiki  Indaba 2026"), ("C", "Wiki Indaba 2025"), ("D", None)]
    assert cohort_members(cohort, stored) == ["A", "B"]


def test_cohort_page_problems() -> None:
    cohort = parse_cohort(
        "{{Event outcomes cohort\n|name=A\n|events=X\n|name=B\n|evnets=Y}}\n{{Event outcomes cohort|name=C}}",
        title="C",
    )
    assert cohort.name == "B"
    assert [(p.field, p.line, p.code) for p in cohort.problems] == [
        ("page", 6, "problem-two-templates"),
        ("name", 4, "problem-repeated-field"),
        ("evnets", 5, "problem-unknown-field-did-you-mean"),
    ]
    assert cohort.problems[-1].message.endswith('Did you mean "events"?')
    unclosed = parse_cohort("{{Event outcomes cohort|name=Open|events=A; B\n== Events ==\n* [[C]]", title="C")
    assert unclosed.events == ["A", "B", "C"]
    assert [p.code for p in unclosed.problems] == ["problem-template-unclosed"]
