"""Event pages: fields, dates in the event's timezone, goals, and bad input that never raises."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from tool.config import DEFAULTS
from tool.wiki.eventpage import ParsedEvent, Templates, parse_event, with_list
from tool.wiki.participants import parse_participants
from tool.wiki.problems import Problem
from tool.wiki.registry import Registry, WikiInfo
from tool.wiki.siteinfo import SiteInfo

DATA = Path(__file__).parent / "data"
META = SiteInfo.from_api(json.loads((DATA / "siteinfo-metawiki.json").read_text()))
FARM = Registry(
    {w: WikiInfo(w, f"http://x/{w}/api.php", "") for w in ("metawiki", "enwiki", "swwiki", "commonswiki")}
)
PRODUCTION = Registry()

NAIROBI = """{{Event outcomes
 | name         = Wikipedia training for librarians, Nairobi
 | start        = 2026-03-14
 | end          = 2026-03-15
 | timezone     = Africa/Nairobi
 | wikis        = swwiki, enwiki, commons.wikimedia.org
 | namespaces   = 0
 | types        = training-seminar
 | region       = Sub-Saharan Africa
 | country      = KE
 | language     = sw
 | theme        = libraries
 | audience     = librarians
 | organizing   = Wikimedia Community User Group Kenya
 | organizers   = Alice, Bob
 | cohort       = Wiki Indaba trainings 2026
 | goal_participants     = 30
 | goal_retained_30d     = 10
}}
'''Welcome!'''
== Participants ==
# {{Event participant|Example}} [[User:Example|Example]] ([[User talk:Example|talk]]) 10:01, 14 March 2026 (UTC)
# [[User:Someone|Someone]] ([[User talk:Someone|talk]]) 10:01, 14 March 2026 (UTC)
# Juma (no account yet)
== Notes ==
# [[User:NotAParticipant]]
"""


def parse(text: str, registry: Registry = PRODUCTION, title: str = "Event:Nairobi") -> ParsedEvent:
    return parse_event(text, META, registry, title=title)


def codes(event: ParsedEvent) -> list[tuple[str, int | None, str]]:
    return [(p.field, p.line, p.code) for p in event.problems]


def test_the_design_example_reads_completely() -> None:
    event = parse(NAIROBI)
    assert event.problems == []
    assert event.name == "Wikipedia training for librarians, Nairobi"
    # Africa/Nairobi is UTC+3: the start of 14 March there is 21:00 UTC on the 13th.
    assert event.start == datetime(2026, 3, 13, 21, 0, tzinfo=UTC)
    assert event.end == datetime(2026, 3, 15, 20, 59, 59, tzinfo=UTC)
    assert event.wikis == ["swwiki", "enwiki", "commonswiki"]
    assert event.namespaces == [0]
    assert event.context == {
        "region": "Sub-Saharan Africa", "country": "KE", "language": "sw", "theme": "libraries",
        "format": "training-seminar", "audience": "librarians", "organizing": "Wikimedia Community User Group Kenya",
    }  # fmt: skip
    assert event.goals == {"participants": 30, "retained_30d": 10}
    assert event.organizers == ["Alice", "Bob"]
    assert event.cohort == "Wiki Indaba trainings 2026"
    assert [(p.user, p.line) for p in event.participants] == [("Example", 22), ("Someone", 23)]
    assert [(u.text, u.line) for u in event.unresolved] == [("Juma (no account yet)", 24)]


def test_json_has_the_documented_shape() -> None:
    document = parse(NAIROBI).to_json()
    assert list(document) == ["kind", "fields", "context", "goals", "participants", "unresolved", "problems"]
    assert document["kind"] == "event"
    assert document["fields"]["start"] == "2026-03-14"
    assert document["participants"][0] == {"user": "Example", "line": 22}
    assert document["unresolved"] == [{"text": "Juma (no account yet)", "line": 24}]


def test_date_and_time_forms() -> None:
    def window(start: str, end: str, zone: str = "Europe/Berlin") -> tuple[datetime | None, datetime | None]:
        event = parse(f"{{{{Event outcomes|start={start}|end={end}|timezone={zone}|wikis=dewiki}}}}")
        return event.start, event.end

    # Berlin in October 2026 is UTC+2 until the 25th.
    assert window("2026-10-20 09:30", "2026-10-20 17:00") == (
        datetime(2026, 10, 20, 7, 30, tzinfo=UTC),
        datetime(2026, 10, 20, 15, 0, tzinfo=UTC),
    )
    assert window("2026-10-20T09:30", "2026-10-21") == (
        datetime(2026, 10, 20, 7, 30, tzinfo=UTC),
        datetime(2026, 10, 21, 21, 59, 59, tzinfo=UTC),
    )
    # An explicit offset wins over the timezone field.
    assert window("2026-10-20T09:30+00:00", "2026-10-20T10:00Z")[0] == datetime(
        2026, 10, 20, 9, 30, tzinfo=UTC
    )
    assert window("2026-03-14", "2026-03-14", "UTC") == (
        datetime(2026, 3, 14, tzinfo=UTC),
        datetime(2026, 3, 14, 23, 59, 59, tzinfo=UTC),
    )


def test_unparseable_dates_are_problems_with_their_lines() -> None:
    event = parse(
        "{{Event outcomes\n|start=14/03/2026\n|end=soon\n|wikis=enwiki\n}}\n== Participants ==\n# [[User:A]]"
    )
    assert codes(event) == [("start", 2, "problem-bad-date"), ("end", 3, "problem-bad-date")]
    assert event.problems[0].message.startswith('"14/03/2026" is not a date or time')
    assert (event.start, event.end) == (None, None)
    assert [p.user for p in event.participants] == ["A"]  # the rest of the page is still read


def test_end_before_start_and_missing_fields() -> None:
    event = parse("{{Event outcomes|start=2026-03-15|end=2026-03-14|wikis=enwiki}}\n== Participants ==")
    assert codes(event) == [("end", 1, "problem-end-before-start")]
    assert event.problems[0].message == "The end (2026-03-14) is before the start (2026-03-15)."
    missing = parse("{{Event outcomes\n| name = X\n}}\n== Participants ==")
    assert [c for _, _, c in codes(missing)] == ["problem-missing-field"] * 3
    assert [f for f, _, _ in codes(missing)] == ["start", "end", "wikis"]


def test_unknown_timezone_leaves_no_dates() -> None:
    event = parse(
        "{{Event outcomes|start=2026-03-14|end=2026-03-15|timezone=Nairobi|wikis=enwiki}}\n== Participants =="
    )
    assert codes(event) == [("timezone", 1, "problem-unknown-timezone-did-you-mean")]
    assert event.problems[0].message.endswith("Did you mean Africa/Nairobi?")
    assert event.start is None


def test_unknown_wikis_are_reported_and_known_ones_kept() -> None:
    event = parse(
        "{{Event outcomes|start=2026-03-14|end=2026-03-15|wikis=enwiki, frwiki, xx.nowhere.org}}\n== Participants ==",
        registry=FARM,
    )
    assert event.wikis == ["enwiki"]
    assert [(p.code, p.params["value"]) for p in event.problems] == [
        ("problem-unknown-wiki", "frwiki"),
        ("problem-unknown-wiki", "xx.nowhere.org"),
    ]


def test_goals_numeric_known_and_not_negative() -> None:
    event = parse(
        "{{Event outcomes|start=2026-03-14|end=2026-03-15|wikis=enwiki\n|goal_participants=twenty\n"
        "|goal_happiness=10\n|goal_retained_30d=-1\n|goal_bytes_added=1500.5\n|strat=2026-03-14}}\n== Participants =="
    )
    assert event.goals == {"bytes_added": 1500.5}
    assert codes(event) == [
        ("goal_participants", 2, "problem-bad-goal"),
        ("goal_happiness", 3, "problem-unknown-goal-name"),
        ("goal_retained_30d", 4, "problem-bad-goal"),
        ("strat", 6, "problem-unknown-field-did-you-mean"),
    ]
    assert event.problems[-1].params == {"field": "strat", "suggestion": "start"}


def test_an_empty_goal_is_no_goal() -> None:
    # As a preloaded page or the visual editor leaves a goal the organizer did not fill in.
    event = parse(
        "{{Event outcomes|start=2026-03-14|end=2026-03-15|wikis=enwiki\n|goal_participants= <!-- e.g. 30 -->\n"
        "|goal_uploads=5\n|goal_uploads=\n}}\n== Participants =="
    )
    assert event.goals == {}
    assert codes(event) == [("goal_uploads", 4, "problem-repeated-field")]


def test_a_page_without_the_template() -> None:
    event = parse("Just a page.\n== Participants ==\n# [[User:A]]")
    assert codes(event) == [("page", None, "problem-no-template")]
    assert [p.user for p in event.participants] == ["A"]


def test_two_templates_first_wins() -> None:
    event = parse(
        "{{Event outcomes|start=2026-03-14|end=2026-03-15|wikis=enwiki}}\n"
        "{{Event outcomes|start=2020-01-01|end=2020-01-02|wikis=dewiki}}\n== Participants =="
    )
    assert codes(event) == [("page", 2, "problem-two-templates")]
    assert event.start == datetime(2026, 3, 14, tzinfo=UTC)


def test_broken_wikitext_unclosed_template_and_links() -> None:
    text = (
        "{{Event outcomes\n|start=2026-03-14\n|end=2026-03-15\n|wikis=enwiki\n|name=[[Broken\n"
        "== Participants ==\n# [[User:Ana\n# {{u|Bea\n# [[User:Cid]] {{unclosed\n# <s>[[User:Dee]]\n"
    )
    event = parse(text)
    assert ("page", 1, "problem-template-unclosed") in codes(event)
    assert event.start == datetime(2026, 3, 14, tzinfo=UTC)
    assert [p.user for p in event.participants] == ["Cid"]
    assert [p.user for p in event.people.withdrawn] == ["Dee"]  # an unclosed <s> strikes to the line's end
    assert [u.line for u in event.unresolved] == [7, 8]


def test_template_inside_a_comment_does_not_count() -> None:
    event = parse(
        "<!-- {{Event outcomes|start=2020-01-01}} -->\n{{Event outcomes|start=2026-03-14|end=2026-03-14|wikis=enwiki}}"
    )
    assert event.start == datetime(2026, 3, 14, tzinfo=UTC)
    assert ("participants", None, "problem-no-participants-section") in codes(event)


def test_localized_headings_and_a_participants_page() -> None:
    event = parse(
        "{{Event outcomes|start=2026-03-14|end=2026-03-14|wikis=enwiki}}\n=== Teilnehmende ===\n# [[Benutzerin:Eva]]"
    )
    assert [p.user for p in event.participants] == ["Eva"]
    arabic = parse(
        "{{Event outcomes|start=2026-03-14|end=2026-03-14|wikis=enwiki}}\n== المشاركون ==\n# [[مستخدم:سارة]]"
    )
    assert [p.user for p in arabic.participants] == ["سارة"]
    elsewhere = parse(
        "{{Event outcomes|start=2026-03-14|end=2026-03-14|wikis=enwiki|participants=Event:Nairobi/Sign_up}}"
    )
    assert elsewhere.participants_page == "Event:Nairobi/Sign up"
    assert elsewhere.problems == []


def test_a_two_megabyte_page() -> None:
    filler = ("Lorem ipsum [[dolor]] {{sit|amet}} '''consectetur''' <ref>adipiscing</ref>\n" * 28_000)[
        :2_050_000
    ]
    text = NAIROBI.replace("== Notes ==", filler + "\n== Notes ==")
    assert len(text.encode()) > 2_000_000
    event = parse(text)
    assert event.problems == []
    assert [p.user for p in event.participants] == ["Example", "Someone"]


def test_ten_thousand_participants() -> None:
    lines = [f"# [[User:Participant {n}|P{n}]] ([[User talk:Participant {n}|talk]]) 10:01, 14 March 2026 (UTC)"
             for n in range(10_000)]  # fmt: skip
    text = (
        "{{Event outcomes|start=2026-03-14|end=2026-03-14|wikis=enwiki}}\n== Participants ==\n"
        + "\n".join(lines)
    )
    event = parse(text)
    assert len(event.participants) == 10_000
    assert event.participants[-1].user == "Participant 9999"
    assert event.participants[-1].line == 10_002
    assert event.problems == []


def test_time_zones_as_organizers_write_them() -> None:
    def start(zone: str) -> tuple[str, datetime | None]:
        event = parse(
            f"{{{{Event outcomes|start=2026-03-14 09:00|end=2026-03-15|timezone={zone}|wikis=enwiki}}}}"
        )
        return event.timezone, event.start

    assert start("africa/nairobi") == ("Africa/Nairobi", datetime(2026, 3, 14, 6, 0, tzinfo=UTC))
    assert start("America/New York") == ("America/New_York", datetime(2026, 3, 14, 13, 0, tzinfo=UTC))
    # Whole-hour offsets become the Etc/ zones, whose names reverse the sign.
    assert start("UTC+3") == ("Etc/GMT-3", datetime(2026, 3, 14, 6, 0, tzinfo=UTC))
    assert start("GMT-5") == ("Etc/GMT+5", datetime(2026, 3, 14, 14, 0, tzinfo=UTC))
    assert start("utc") == ("UTC", datetime(2026, 3, 14, 9, 0, tzinfo=UTC))
    assert start("UTC+15") == ("", None)
    assert start("../../etc/passwd") == ("", None)


def test_more_date_forms_and_impossible_dates() -> None:
    def moments(start: str, end: str) -> tuple[datetime | None, datetime | None, list[str]]:
        event = parse(f"{{{{Event outcomes|start={start}|end={end}|wikis=enwiki}}}}\n== Participants ==")
        return event.start, event.end, [p.code for p in event.problems]

    assert moments("2026-3-4", "2026-03-04 9:05") == (
        datetime(2026, 3, 4, tzinfo=UTC),
        datetime(2026, 3, 4, 9, 5, tzinfo=UTC),
        [],
    )
    assert moments("2026-03-14 09:00 +03:00", "2026-03-14 18:00 UTC")[:2] == (
        datetime(2026, 3, 14, 6, 0, tzinfo=UTC),
        datetime(2026, 3, 14, 18, 0, tzinfo=UTC),
    )
    assert moments("2026-02-30", "2026-03-14T25:00") == (None, None, ["problem-bad-date", "problem-bad-date"])
    assert moments("14 March 2026", "")[2] == ["problem-bad-date", "problem-missing-field"]


def test_a_repeated_field_is_reported_and_the_last_one_counts() -> None:
    event = parse(
        "{{Event outcomes\n|start=2026-03-14\n|end=2026-03-20\n|wikis=enwiki\n|end=2026-03-15\n}}\n== Participants =="
    )
    assert codes(event) == [("end", 5, "problem-repeated-field")]
    assert event.problems[0].message == (
        'The field "end" is given more than once (first on line 3); the last value is used.'
    )
    assert event.end == datetime(2026, 3, 15, 23, 59, 59, tzinfo=UTC)


def test_parameter_lines_with_pipes_at_line_ends() -> None:
    event = parse("{{Event outcomes|\nstart=2026-03-14|\nend=soon|\nwikis=enwiki}}\n== Participants ==")
    assert codes(event) == [("end", 3, "problem-bad-date")]


def test_parameter_lines_survive_nested_templates_and_links() -> None:
    event = parse(
        "Intro\n{{Event outcomes\n| theme = {{lang|sw|Mafunzo|x=1}} libraries\n| name = Mafunzo [[w:Nairobi|Nairobi]]\n| start =\n"
        "  2026-13-01\n| end = 2026-03-15\n| wikis = enwiki}}\n== Participants =="
    )
    assert (event.name, event.context["theme"]) == ("Mafunzo Nairobi", "libraries")
    assert codes(event) == [("start", 5, "problem-bad-date")]


def test_organizers_are_account_names() -> None:
    event = parse(
        "{{Event outcomes|start=2026-03-14|end=2026-03-15|wikis=enwiki"
        "|organizers=alice_w, [[User:Bob K|Bob, the trainer]]; {{u|cid}}, WMKE staff}}\n== Participants =="
    )
    assert event.organizers == ["Alice w", "Bob K", "Cid", "WMKE staff"]


def test_headings_with_counts_and_configured_headings() -> None:
    text = "{{Event outcomes|start=2026-03-14|end=2026-03-14|wikis=enwiki}}\n== Participants (2): ==\n# {{u|Ana}}"
    assert [p.user for p in parse(text).participants] == ["Ana"]
    custom = parse_event(
        text.replace("Participants (2):", "Walk-ins"),
        META,
        PRODUCTION,
        title="E",
        participant_headings=("Walk-ins",),
    )
    assert [p.user for p in custom.participants] == ["Ana"]


def test_participants_from_elsewhere_need_no_section() -> None:
    registration = parse("{{Event outcomes|start=2026-03-14|end=2026-03-14|wikis=enwiki|registration=1234}}")
    assert (registration.registration, registration.problems) == (1234, [])
    page = parse(
        "{{Event outcomes|start=2026-03-14|end=2026-03-14|wikis=enwiki|participants=project:Nairobi/sign_up}}"
    )
    # The farm's Meta calls its project namespace Meta-Wiki.
    assert page.participants_page == "Meta-Wiki:Nairobi/sign up"
    linked = parse("{{Event outcomes|participants=[[Event:Nairobi/Sign_up|the sign-up page]]}}")
    assert linked.participants_page == "Event:Nairobi/Sign up"


def test_a_participants_page_is_added_with_its_problems() -> None:
    event = parse(NAIROBI)
    people, problems = with_list(
        event.people, parse_participants("# [[User:Someone]]\n# [[User:Newcomer]]\n# [[User:10.0.0.1]]", META)
    )
    assert [p.user for p in people.participants] == ["Example", "Someone", "Newcomer"]
    assert [(p.field, p.line, p.code) for p in problems] == [
        ("participants", 1, "problem-duplicate-participant"),
        ("participants", 3, "problem-username-ip"),
    ]
    assert problems[1].message == (
        "10.0.0.1 is an IP address, not an account: edits made without an account are not followed."
    )
    # The parsed page is left as it was read: the participants page is a new list beside it.
    assert [p.user for p in event.participants] == ["Example", "Someone"]
    assert codes(event) == []


def test_names_that_cannot_be_accounts_are_problems_on_their_lines() -> None:
    event = parse(NAIROBI.replace("# Juma (no account yet)", "# [[Special:Contributions/192.0.2.44]]"))
    assert codes(event) == [("participants", 24, "problem-username-ip")]
    assert [(u.text, u.line) for u in event.unresolved] == [("[[Special:Contributions/192.0.2.44]]", 24)]


def test_namespaces_are_numbers_of_article_namespaces() -> None:
    def namespaces(value: str) -> tuple[list[int], list[str]]:
        event = parse(
            f"{{{{Event outcomes|start=2026-03-14|end=2026-03-14|wikis=enwiki|namespaces={value}}}}}\n==Participants=="
        )
        return event.namespaces, [p.code for p in event.problems]

    assert namespaces("0, 118") == ([0, 118], [])
    assert namespaces("main") == ([0], ["problem-bad-namespaces"])
    assert namespaces("-1") == ([0], ["problem-bad-namespaces"])


def test_localized_template_names() -> None:
    templates = Templates("Veranstaltung", "Teilnehmer", "Kohorte")
    event = parse_event(
        "{{veranstaltung|start=2026-03-14|end=2026-03-14|wikis=dewiki}}\n== Teilnehmende ==\n# {{Teilnehmer|Eva}}",
        META,
        PRODUCTION,
        title="Veranstaltung:Berlin",
        templates=templates,
    )
    assert (event.problems, [p.user for p in event.participants]) == ([], ["Eva"])
    assert (
        Templates.from_config(DEFAULTS)
        == Templates()
        == Templates("Event outcomes", "Event participant", "Event outcomes cohort")
    )
    assert (
        parse("{{Template:Event_outcomes|start=2026-03-14|end=2026-03-14|wikis=enwiki}}").template_line == 1
    )


def test_problems_keep_their_parameters_for_other_languages() -> None:
    problem = parse(
        "{{Event outcomes|start=2026-03-15|end=2026-03-14|wikis=enwiki}}\n== Participants =="
    ).problems[0]
    stored = problem.to_json()
    assert stored == {
        "field": "end",
        "line": 1,
        "message": "The end (2026-03-14) is before the start (2026-03-15).",
        "code": "problem-end-before-start",
        "params": {"end": "2026-03-14", "start": "2026-03-15"},
    }
    assert Problem.from_json(stored) == problem
