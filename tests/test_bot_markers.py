"""The bot's block between its markers (bots/markers.py): what people wrote around it is theirs."""

from __future__ import annotations

import pytest

from bots import markers
from tool.summary import Summary

BODY = 'Outcomes of X.\n\n{| class="wikitable"\n|}'
FIRST = Summary(BODY, "Data as of 2026-11-01 03:17 UTC.")
LATER = Summary(BODY, "Data as of 2026-11-02 03:17 UTC.")
CHANGED = Summary(BODY.replace("X", "Y"), "Data as of 2026-11-02 03:17 UTC.")


def _block(summary: Summary) -> str:
    return markers.block(summary, "note")


def test_a_missing_page_gets_the_block() -> None:
    assert markers.place("", FIRST, "note") == _block(FIRST) + "\n"


def test_a_new_data_time_alone_is_no_change() -> None:
    page = "Above.\n\n" + _block(FIRST) + "\n\nBelow."
    assert markers.place(page, LATER, "note") is None


def test_new_figures_replace_the_block_and_nothing_else() -> None:
    page = "Above.\n\n" + _block(FIRST) + "\n\nBelow."
    assert markers.place(page, CHANGED, "note") == "Above.\n\n" + _block(CHANGED) + "\n\nBelow."


def test_a_block_edited_by_hand_is_rewritten_inside_its_markers() -> None:
    page = "Above.\n" + _block(FIRST).replace("Outcomes of X.", "Outcomes of X (fixed by hand).") + "\nBelow."
    assert markers.place(page, FIRST, "note") == "Above.\n" + _block(FIRST) + "\nBelow."


@pytest.mark.parametrize(
    "page",
    [
        "Notes.\n\nThe figures were here.",  # both markers deleted
        f"Notes.\n{markers.BEGIN} · note -->\nhalf a block, its end marker deleted",
        f"Notes.\nits begin marker deleted\n{markers.END}\nMore notes.",
    ],
)
def test_a_page_without_a_whole_block_gets_one_appended_and_keeps_every_line(page: str) -> None:
    placed = markers.place(page, FIRST, "note")
    assert placed == page + "\n\n" + _block(FIRST) + "\n"
    # And the next run finds that block: nothing more is appended.
    assert markers.place(placed, LATER, "note") is None


def test_an_orphaned_begin_marker_never_makes_the_text_after_it_the_bots() -> None:
    orphan = f"{markers.BEGIN} · note -->\nPeople's text after a lost begin marker.\n"
    page = orphan + "\n" + _block(FIRST)
    placed = markers.place(page, CHANGED, "note")
    assert placed == orphan + "\n" + _block(CHANGED)


def test_the_note_cannot_end_the_marker_comment() -> None:
    block = markers.block(FIRST, "a note --> with <!-- markup")
    first_line = block.split("\n")[0]
    assert first_line.count("-->") == 1
    assert first_line.endswith("-->")
    assert "<!--" not in first_line.removeprefix("<!--")
