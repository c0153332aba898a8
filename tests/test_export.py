"""Exports of outcomes: CSV a spreadsheet reads, JSON a program reads, wikitext that cannot inject."""

from __future__ import annotations

import csv
import io
import json

import pytest

from tests.metrics_history import DAY, END, START, covered, edit, event, outcomes, people
from tool import export
from tool.metrics import FIGURE_KEYS, Outcomes


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


def test_wikitext_table_shows_values_pending_and_goals() -> None:
    text = export.to_wikitext("Nairobi training", _sample())
    assert text.startswith("Outcomes of Nairobi training, computed by Event Outcomes")
    assert "| Participants || 3\n" in text
    assert "| Still editing 7 days later || 1 / 3\n" in text
    assert "| Retained after 180 days || pending\n" in text
    assert "| Goal&#58; Participants || 3 / 2 (met)\n" in text
    assert text.count("{|") == 1
    assert text.rstrip().endswith("outcome definitions version 1.")


def test_wikitext_escapes_titles_taken_from_pages() -> None:
    hostile = "X]] {{Delete}} [[Category:Spam|<script>"
    text = export.to_wikitext(hostile, _sample())
    first_line = text.splitlines()[0]
    for markup in ("[[", "]]", "{{", "}}", "<script>", "|"):
        assert markup not in first_line
    assert "&#91;&#91;Category&#58;Spam&#124;&#60;script&#62;" in first_line


def test_wikitext_in_another_language() -> None:
    assert "| Washiriki || 3" in export.to_wikitext("X", _sample(), language="sw")
    assert "| Participants || 3" in export.to_wikitext("X", _sample(), language="de")  # no German: English


def test_comparison_wikitext_escapes_group_names_and_says_statuses_in_words() -> None:
    hostile = "X]] {{Delete}} [[Category:Spam|<b>"
    text = export.compare_wikitext("region", {hostile: _sample(), "": _partial()}, {hostile: 2, "": 1})
    assert text.startswith("Outcomes of the events grouped by their region field")
    rows = text.split("\n|-\n")[1:]
    escaped = "X&#93;&#93; &#123;&#123;Delete&#125;&#125; &#91;&#91;Category&#58;Spam&#124;&#60;b&#62;"
    assert rows[0].startswith(f"| {escaped} || 2 || 3 || ")
    assert rows[1].startswith("| (not given) || 1 || ")
    assert "|| pending ||" in rows[0]  # retained_180d of the sample: its window is still open
    assert " (incomplete data) ||" in rows[1]
    for markup in ("[[", "{{", "<b>"):
        assert markup not in text.replace('{| class="wikitable sortable"', "")


def test_comparison_json_is_the_api_shape() -> None:
    data = json.loads(
        export.compare_json("region", {"Europe": _partial(), "": _sample()}, {"Europe": 1, "": 3})
    )
    assert (data["kind"], data["by"], data["skipped"]) == ("comparison", "region", [])
    assert [(g["value"], g["events"]) for g in data["groups"]] == [("Europe", 1), (None, 3)]
    assert data["groups"][1]["outcomes"]["figures"]["retained_180d"]["status"] == "pending"
