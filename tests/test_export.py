"""Exports of outcomes: CSV a spreadsheet reads, JSON a program reads, wikitext a wiki reader and an
editor read, which text from pages cannot turn into markup."""

from __future__ import annotations

import csv
import html
import io
import json
from dataclasses import replace

import pytest

from tests.metrics_history import DAY, END, START, covered, edit, event, outcomes, people
from tool import export, summary
from tool.metrics import FIGURE_KEYS, Outcomes
from tool.wiki.literal import literal


def _sample() -> Outcomes:
    spec = event(goals={"participants": 2, "retained_180d": 1})
    history = [
        edit("Ana", START + DAY, page=1, new=True, size=120),
        edit("Bea", START + DAY, page=2, size=-20),
        edit("Ana", END + 8 * DAY),
    ]
    return outcomes(history, people("Ana", "Bea", "Cid"), spec=spec, now=END + 40 * DAY)


def test_csv_has_one_row_per_figure_then_goals() -> None:
    rows = list(csv.DictReader(io.StringIO(export.to_csv(_sample()))))
    assert [row["figure"] for row in rows] == [*FIGURE_KEYS, "goal_participants", "goal_retained_180d"]
    by_key = {row["figure"]: row for row in rows}
    assert by_key["participants"] == {
        "figure": "participants",
        "value": "3",
        "status": "ok",
        "denominator": "",
    }
    assert by_key["bytes_added"]["value"] == "120"
    assert by_key["bytes_removed"]["value"] == "20"
    assert by_key["retained_7d"] == {
        "figure": "retained_7d",
        "value": "1",
        "status": "ok",
        "denominator": "3",
    }
    # end + 40 d: the 180-day window is still open, so no number, never a zero.
    assert by_key["retained_180d"]["value"] == ""
    assert by_key["retained_180d"]["status"] == "pending"
    assert by_key["goal_participants"]["status"] == "met"


def _partial() -> Outcomes:
    """Data held only up to end + 40 d, long after: retained_30d counts Ana but is partial."""
    history = [edit("Ana", START + DAY), edit("Ana", END + 35 * DAY)]
    coverage = covered([event()], ["Ana", "Bea"], END + 40 * DAY)
    return outcomes(history, people("Ana", "Bea"), now=END + 400 * DAY, coverage=coverage)


def test_comparison_csv_has_a_status_beside_every_value() -> None:
    groups = {"Sub-Saharan Africa": _sample(), "Europe": _partial(), "": _sample()}
    text = export.compare_csv("region", groups)
    header = next(csv.reader(io.StringIO(text)))
    assert header[:3] == ["region", "participants", "participants_status"]
    assert header[1:] == [column for key in FIGURE_KEYS for column in (key, f"{key}_status")]
    rows = {row["region"]: row for row in csv.DictReader(io.StringIO(text))}
    assert list(rows) == ["Sub-Saharan Africa", "Europe", "(unknown)"]
    africa, europe = rows["Sub-Saharan Africa"], rows["Europe"]
    assert (africa["participants"], africa["participants_status"]) == ("3", "ok")
    # Pending: no number, and the status says why; never an empty cell a reader takes for zero.
    assert (africa["retained_180d"], africa["retained_180d_status"]) == ("", "pending")
    # Partial: the number so far, marked as such.
    assert (europe["retained_30d"], europe["retained_30d_status"]) == ("1", "partial")


@pytest.mark.parametrize("hostile", ["=1+1", "+1", "-1+1", "@SUM(A1)", "\tx", "\r=1", '=HYPERLINK("x")'])
def test_csv_cells_cannot_start_a_formula(hostile: str) -> None:
    # region = =1+1 on an event page becomes a group name: a spreadsheet must show it as text.
    rows = list(csv.reader(io.StringIO(export.compare_csv("region", {hostile: _sample()}), newline="")))
    assert rows[1][0] == "'" + hostile
    assert not [cell for row in rows for cell in row if cell.startswith(("=", "+", "@", "\t", "\r"))]


def test_plain_numbers_stay_numbers() -> None:
    assert export.neutralise_formula("-20") == "-20"
    assert export.neutralise_formula("-0.2500") == "-0.2500"
    assert export.neutralise_formula("-") == "'-"
    assert export.neutralise_formula("Nairobi") == "Nairobi"


def test_json_names_the_event_and_carries_the_outcomes() -> None:
    data = json.loads(export.to_json("event", "Event:Nairobi", _sample()))
    assert data["kind"] == "event"
    assert data["title"] == "Event:Nairobi"
    assert data["outcomes"]["figures"]["articles_created"] == {
        "value": 1,
        "status": "ok",
        "denominator": None,
    }


def test_wikitext_reads_as_figures_with_statuses_in_words_and_goals() -> None:
    link = summary.tool_url("https://outcomes.example/", "event", "Event:Nairobi training")
    text = summary.to_wikitext("Nairobi training", _sample(), link=link)
    assert text.startswith(
        "Outcomes of Nairobi training, computed by Event Outcomes from the participants' public "
        "contributions. [https://outcomes.example/event/Event:Nairobi_training More in Event Outcomes: "
        "charts, downloads and how each figure is counted.]\n"
    )
    assert "\n! Figure !! Value !! Status\n" in text
    assert "\n| Participants || {{formatnum:3}} || complete\n" in text
    # A share with what it is out of; 1 of Ana, Bea and Cid edited a week after the end.
    assert (
        "\n| Still editing 7 days later || {{formatnum:1}} of {{formatnum:3}} ({{formatnum:33}} %)"
        " || complete\n" in text
    )
    # A rate per person with the people it is over, never "0.95 / 3".
    assert (
        "\n| Edits per week before (mean) || {{formatnum:0}} a week ({{formatnum:3}} people) || complete\n"
        in text
    )
    assert "\n| Retained after 180 days || — || pending\n" in text
    assert "\n| Goal: Participants || {{formatnum:2}} || {{formatnum:3}} || met\n" in text
    assert "\n| Goal: Retained after 180 days || {{formatnum:1}} || — || pending\n" in text
    assert text.count("{|") == 2
    assert text.endswith("\nOutcome definitions version 1.\nData as of 2026-04-24 23:59 UTC.\n")
    # Nothing escaped that needed no escaping: the source reads as the page does.
    assert "&#" not in text
    assert "<nowiki>" not in text


def test_a_rate_reads_to_one_decimal() -> None:
    history = [edit("Ana", START - 7 * DAY), edit("Ana", START - 8 * DAY), edit("Bea", START - 9 * DAY)]
    text = summary.to_wikitext("X", outcomes(history, people("Ana", "Bea"), now=END + 40 * DAY))
    # 3 edits in the 8 weeks before, over 2 people: 0.1875 a week each, on average.
    assert "| Edits per week before (mean) || {{formatnum:0.2}} a week ({{formatnum:2}} people) ||" in text


def test_the_stamp_is_apart_from_the_body() -> None:
    # The bot saves only when the body changed: a new data time alone is no change.
    early, late = _sample(), replace(_sample(), data_until=_sample().computed_at + 9 * DAY)
    assert summary.summary("X", early).body == summary.summary("X", late).body
    assert summary.summary("X", early).stamp != summary.summary("X", late).stamp
    unknown = summary.summary("X", replace(_sample(), data_until=None)).stamp
    assert unknown.startswith("Data: the contributions of some participants have not been read yet")


HOSTILE = "X]] {{Delete}} [[Category:Spam|<script>alert(1)</script> ~~~~ {{subst:PAGENAME}} &lt; __NOTOC__"


def test_wikitext_shows_names_from_pages_as_text() -> None:
    first_line = summary.to_wikitext(HOSTILE, _sample()).splitlines()[0]
    assert first_line == (
        "Outcomes of <nowiki>X]] {{Delete}} [[Category:Spam|&lt;script>alert(1)&lt;/script> ~~~~ "
        "{{subst:PAGENAME}} &amp;lt; __NOTOC__</nowiki>, computed by Event Outcomes from the participants' "
        "public contributions."
    )


@pytest.mark.parametrize(
    "text",
    [
        "Nairobi training",
        "Women's history month",
        "Wiki Loves Africa 2026: Kenya",
        "A & B",
        "x = 1; y!",
        "#1",
    ],
)
def test_ordinary_text_stays_as_it_is(text: str) -> None:
    assert literal(text) == text


@pytest.mark.parametrize(
    "text",
    ["a]]", "{{x", "a|b", "<b>", "~~~", "''a''", "__NOTOC__", "https://spam.example", "&amp;", "ISBN 1"],
)
def test_text_that_markup_could_read_is_kept_from_it(text: str) -> None:
    escaped = literal(text)
    assert escaped.startswith("<nowiki>")
    assert escaped.endswith("</nowiki>")
    inner = escaped.removeprefix("<nowiki>").removesuffix("</nowiki>")
    assert "<" not in inner  # not even a </nowiki> that would end it early
    assert html.unescape(inner) == text


def test_a_line_break_in_a_name_cannot_end_a_table_row() -> None:
    assert literal("a\n|}\n{{x}}") == "<nowiki>a |} {{x}}</nowiki>"


def test_wikitext_in_another_language() -> None:
    assert "| Washiriki || {{formatnum:3}} || kamili\n" in summary.to_wikitext("X", _sample(), language="sw")
    # No German messages: English.
    assert "| Participants || {{formatnum:3}} || complete\n" in summary.to_wikitext(
        "X", _sample(), language="de"
    )


def test_comparison_wikitext_shows_group_names_as_text_and_says_statuses_in_words() -> None:
    hostile = "X]] {{Delete}} [[Category:Spam|<b>"
    text = summary.compare_wikitext("region", {hostile: _sample(), "": _partial()}, {hostile: 2, "": 1})
    assert text.startswith("Outcomes of the events grouped by their region field")
    rows = text.split("\n|-\n")[1:]
    escaped = "<nowiki>X]] {{Delete}} [[Category:Spam|&lt;b></nowiki>"
    assert rows[0].startswith(f"| {escaped} || {{{{formatnum:2}}}} || {{{{formatnum:3}}}} || ")
    assert rows[1].startswith("| (not given) || {{formatnum:1}} || ")
    assert "|| pending ||" in rows[0]  # retained_180d of the sample: its window is still open
    assert ", incomplete data ||" in rows[1]


def test_comparison_json_is_the_api_shape() -> None:
    data = json.loads(
        export.compare_json("region", {"Europe": _partial(), "": _sample()}, {"Europe": 1, "": 3})
    )
    assert (data["kind"], data["by"], data["skipped"]) == ("comparison", "region", [])
    assert [(g["value"], g["events"]) for g in data["groups"]] == [("Europe", 1), (None, 3)]
    assert data["groups"][1]["outcomes"]["figures"]["retained_180d"]["status"] == "pending"
