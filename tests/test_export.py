"""Exports of outcomes: CSV a spreadsheet reads, JSON a program reads, wikitext that cannot inject."""

from __future__ import annotations

import csv
import io
import json

from tests.metrics_history import DAY, END, START, edit, event, outcomes, people
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
    assert "| Participants || 3" in export.to_wikitext("X", _sample(), language="sw")  # falls back to English
