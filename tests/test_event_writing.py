"""The wikitext the tool writes for people (issue #10): a new event page from the preload, a change of
the template in place, a participant's line added and struck, and the form that feeds them — each
read back with the page parser, as the tool reads every page."""

from __future__ import annotations

import difflib
import json
from pathlib import Path

import pytest

from tool.web import eventform
from tool.web.eventform import EventForm
from tool.wiki.edit import kind_of
from tool.wiki.eventpage import KNOWN_FIELDS, Templates, parse_event
from tool.wiki.examplepages import EVENT_FIELDS
from tool.wiki.joining import participant_line, with_participant, without_participant
from tool.wiki.newevent import event_page, preload
from tool.wiki.registry import Registry
from tool.wiki.siteinfo import SiteInfo
from tool.wiki.templateedit import TemplateNotEditable, with_fields

META = SiteInfo.from_api(json.loads((Path(__file__).parent / "data" / "siteinfo-metawiki.json").read_text()))
WIKIS = Registry()  # Wikimedia's naming rules, no network
FIELDS = {
    "name": "Librarians, Nairobi", "start": "2027-03-14", "end": "2027-03-15", "wikis": "swwiki, Commons",
    "organizers": "Alice", "namespaces": "0, 118", "cohort": "Wiki Indaba",
}  # fmt: skip
HEAD = "{{Event outcomes|start=2027-05-01|end=2027-05-02|wikis=enwiki}}\n== Participants ==\n"
TIMEZONE_LINE = (
    " | timezone     = <!-- The time zone of the dates, such as Africa/Nairobi, EAT or UTC+3."
    " Left empty: UTC. -->"
)
RETAINED_LINE = (
    " | goal_retained_30d = <!-- How many of them you hope still edit a month later, such as 10. -->"
)


def parse(text: str):  # type: ignore[no-untyped-def]
    return parse_event(text, META, WIKIS, title="Event:Test")


def changed_lines(before: str, after: str) -> list[str]:
    return [
        line
        for line in difflib.unified_diff(before.split("\n"), after.split("\n"), lineterm="", n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]


def test_a_new_page_is_the_preload_filled_in() -> None:
    text = event_page(FIELDS, [("participants", "30"), ("uploads", "100")], "A training for librarians.")
    event = parse(text)
    assert event.problems == []
    assert event.wikis == ["swwiki", "commonswiki"]
    assert event.namespaces == [0, 118]
    assert event.goals == {"participants": 30, "uploads": 100}
    assert event.organizers == ["Alice"]
    # Every line of the preload is there, but the ones filled in (and the description's comment).
    lines = text.split("\n")
    kept = [line for line in preload().split("\n") if line in lines]
    assert len(preload().split("\n")) - len(kept) == len(["name", "start", "end", "wikis", "organizers",
                                                          "goal_participants", "description"])  # fmt: skip
    assert TIMEZONE_LINE in lines
    # The fields the preload has no line for come after its own, aligned as its names are.
    assert lines.index(" | namespaces   = 0, 118") == lines.index(" | organizers   = Alice") + 1
    assert lines.index(" | goal_uploads = 100") == lines.index(RETAINED_LINE) + 1
    assert "A training for librarians.\n\n== Participants ==" in text


def test_a_new_page_without_a_description_keeps_the_preloads_invitation() -> None:
    text = event_page({"start": "2027-03-14", "end": "2027-03-14", "wikis": "enwiki"}, [], "")
    assert "<!-- Describe the event here:" in text
    assert parse(text).problems == []


def test_a_new_page_uses_the_wikis_own_template_names() -> None:
    templates = Templates(event="Veranstaltung", participant="Teilnehmer", cohort="Kohorte")
    text = event_page({"start": "2027-03-14", "end": "2027-03-14", "wikis": "dewiki"}, [], "", templates)
    assert text.startswith("{{Veranstaltung\n")
    assert "{{Teilnehmer|User name}}" in text
    assert parse_event(text, META, WIKIS, title="X", templates=templates).problems == []


def test_the_form_shows_every_field_of_the_template() -> None:
    assert set(eventform.FIELDS) == KNOWN_FIELDS == {name for name, _ in EVENT_FIELDS}
    assert len(eventform.FIELDS) == len(set(eventform.FIELDS))


def test_a_settings_change_touches_only_the_lines_of_the_fields_changed() -> None:
    page = "Intro.\n" + event_page(FIELDS, [("participants", "30")], "About it.") + "# [[User:Ana]]\n"
    after = with_fields(page, {"name": "Librarians, Mombasa", "country": "KE", "goal_uploads": "5"})
    assert changed_lines(page, after) == [
        "- | name         = Librarians, Nairobi",
        "+ | name         = Librarians, Mombasa",
        "- | country      = <!-- The country, such as KE. -->",
        "+ | country      = KE",
        "+ | goal_uploads = 5",
    ]
    event = parse(after)
    assert (event.name, event.context["country"], event.goals["uploads"]) == ("Librarians, Mombasa", "KE", 5)
    assert [p.user for p in event.participants] == ["Ana"]


def test_a_one_line_template_stays_on_one_line() -> None:
    after = with_fields(HEAD, {"end": "2027-05-03", "region": "Africa"})
    assert after == HEAD.replace("2027-05-02|wikis=enwiki", "2027-05-03|wikis=enwiki|region=Africa")


def test_a_field_written_twice_is_changed_where_it_counts() -> None:
    page = "{{Event outcomes\n|start=2027-05-01\n|end=2027-05-02\n|wikis=enwiki\n|end=2027-05-04\n}}\n"
    after = with_fields(page, {"end": "2027-05-05"})
    assert "|end=2027-05-02\n" in after
    assert parse(after).end is not None
    assert "|end=2027-05-05\n" in after


@pytest.mark.parametrize(
    "page",
    ["No template here.", "{{Event outcomes|start=2027-05-01\n== Participants ==\n"],
    ids=["none", "unclosed"],
)
def test_a_template_the_tool_cannot_rewrite_safely_is_left_alone(page: str) -> None:
    with pytest.raises(TemplateNotEditable):
        with_fields(page, {"end": "2027-05-05"})


def test_joining_adds_a_line_after_the_list_and_before_a_subsection() -> None:
    page = HEAD + "# [[User:Ana]]\n\n=== Remote ===\n# [[User:Bea]]\n== Notes ==\nText.\n"
    after = with_participant(page, parse(page), "Cid Example")
    assert changed_lines(page, after) == ["+# {{Event participant|Cid Example}} ~~~~"]
    assert after.index("Cid Example") < after.index("=== Remote ===")
    assert [p.user for p in parse(after).participants] == ["Ana", "Cid Example", "Bea"]


def test_joining_a_page_from_the_preload_writes_below_its_comment() -> None:
    page = event_page({"start": "2027-05-01", "end": "2027-05-02", "wikis": "enwiki"}, [], "")
    after = with_participant(page, parse(page), "Ana")
    assert after.endswith("<!-- One person per line: # {{Event participant|User name}} and a signature. -->\n"
                          "# {{Event participant|Ana}} ~~~~\n")  # fmt: skip


def test_joining_a_page_without_a_participants_section_adds_one() -> None:
    page = "{{Event outcomes|start=2027-05-01|end=2027-05-02|wikis=enwiki}}\nAbout the event."
    after = with_participant(page, parse(page), "Ana")
    assert after == page + "\n\n== Participants ==\n# {{Event participant|Ana}} ~~~~\n"
    assert [p.user for p in parse(after).participants] == ["Ana"]


def test_withdrawing_strikes_the_line_and_joining_again_unstrikes_it() -> None:
    signed = "# {{Event participant|Ana}} [[User:Ana|Ana]] ([[User talk:Ana|talk]]) 10:00, 1 May 2027 (UTC)"
    page = f"{HEAD}{signed}\n"
    event = parse(page)
    struck = without_participant(page, [event.participants[0].line])
    assert changed_lines(page, struck) == [f"-{signed}", f"+# <s>{signed[2:]}</s>"]
    withdrawn = parse(struck)
    assert ([p.user for p in withdrawn.participants], [p.user for p in withdrawn.withdrawn]) == ([], ["Ana"])
    assert with_participant(struck, withdrawn, "Ana") == page


def test_a_table_row_is_never_struck_by_the_tool() -> None:
    page = HEAD + "{|\n| [[User:Ana]]\n|}\n"
    assert without_participant(page, [4]) == page


def test_a_name_with_an_equals_sign_stays_the_templates_first_parameter() -> None:
    assert participant_line("A=B") == "# {{Event participant|1=A=B}} ~~~~"
    assert [p.user for p in parse(with_participant(HEAD, parse(HEAD), "A=B")).participants] == ["A=B"]


def test_the_form_keeps_what_was_typed_within_bounds() -> None:
    sent = {
        "name": "  Librarians,\r\n  Nairobi ",
        "region": "x" * (3 * eventform.MAX_VALUE),
        "description": "Line one.\r\nLine two.",
        "goal-0": "participants", "goal-target-0": "30",
        "goal-1": "participants", "goal-target-1": "40",
        "goal-2": "uploads", "goal-target-2": "",
        "started": "2026-11-25T17:00:41Z", "base": "123",
    }  # fmt: skip
    form, problems = eventform.read(sent)
    assert form.fields["name"] == "Librarians, Nairobi"
    assert len(form.fields["region"]) == 2 * eventform.MAX_VALUE  # kept to be shown, and refused
    assert form.description == "Line one.\nLine two."
    assert form.goals == [("participants", "30"), ("participants", "40"), ("uploads", "")]
    assert form.goal_targets() == {"goal_participants": "40"}  # the last, as MediaWiki reads it
    assert (form.started, form.base) == ("2026-11-25T17:00:41Z", 123)
    assert [(p.field, p.code) for p in problems] == [
        ("region", "eventform-too-long"),
        ("goal_participants", "eventform-goal-twice"),
    ]
    forged, _ = eventform.read({"started": "now; DROP", "base": "9" * 40})
    assert (forged.started, forged.base) == ("", 0)


@pytest.mark.parametrize(
    ("title", "code"),
    [("", "eventform-title-missing"), ("A|B", "eventform-title-character"),
     ("x" * 256, "eventform-title-too-long"), ("Event:[[Nairobi]]", "eventform-title-character"),
     ("Événement/Nairobi 2027", None)],
)  # fmt: skip
def test_titles_no_page_can_have_are_refused_before_the_wiki_is_asked(title: str, code: str | None) -> None:
    assert [p.code for p in eventform.title_problems(title)] == ([code] if code else [])


@pytest.mark.parametrize("value", ["Nairobi | Mombasa", "Nairobi }} {{x", "Nairobi <!-- note"])
def test_markup_that_would_end_the_field_is_a_problem_of_that_field(value: str) -> None:
    form = EventForm(fields={**dict.fromkeys(eventform.FIELDS, ""), **FIELDS, "region": value})
    event = parse(event_page(form.fields, form.goals))
    assert [p.field for p in eventform.read_back_problems(form, event)] == ["region"]


def test_changes_are_the_fields_and_goals_whose_value_changed() -> None:
    before = EventForm(fields={"name": "A", "region": "R"}, goals=[("participants", "30"), ("uploads", "5")])
    after = EventForm(
        fields={"name": "A", "region": "S"}, goals=[("participants", "30"), ("new_editors", "4")]
    )
    changed = eventform.changes(before, after)
    assert changed == {"region": "S", "goal_uploads": "", "goal_new_editors": "4"}
    again = eventform.applied(before, changed)
    assert (again.fields, again.goals) == (after.fields, after.goals)


@pytest.mark.parametrize(
    ("code", "kind"),
    [("mwoauth-invalid-authorization", "logged-out"),
     ("mwoauth-invalid-authorization-invalid-user", "logged-out"),
     ("assertuserfailed", "logged-out"), ("articleexists", "exists"), ("editconflict", "conflict"),
     ("protectedtitle", "protected"), ("cascadeprotected", "protected"),
     ("titleblacklist-forbidden", "protected"),
     ("blocked", "blocked"), ("autoblocked", "blocked"), ("globalblocking-blockedtext", "blocked"),
     ("pagedeleted", "deleted"), ("readonly", "read-only"), ("ratelimited", "rate-limited"),
     ("abusefilter-disallowed", "refused"), ("spamblacklist", "refused")],
)  # fmt: skip
def test_what_the_wiki_refuses_is_told_by_kind(code: str, kind: str) -> None:
    assert kind_of(code) == kind
