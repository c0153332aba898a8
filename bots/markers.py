"""The bot's part of a page: the text between its two marker comments, and nothing else.

People write on the Outcomes pages too — a note, a discussion link, a category. Everything outside
the markers is theirs and survives every run; a page whose markers were deleted gets the block
appended, never replaced; a block edited by hand is rewritten inside its markers only.

Pure functions of text, linear in its length (str.find and str.rfind only).
"""

from __future__ import annotations

from tool.summary import Summary
from tool.wiki.literal import comment

#: The begin marker starts with this; a note for editors follows it, in the page's language.
BEGIN = "<!-- event-outcomes:begin"
END = "<!-- event-outcomes:end -->"
_CLOSE = "-->"


def block(summary: Summary, note: str) -> str:
    """The markers with the summary between them; ``note`` tells editors what the markers are for."""
    return f"{BEGIN} · {comment(note)} {_CLOSE}\n{summary.body}\n{summary.stamp}\n{END}"


def find(text: str) -> tuple[int, int] | None:
    """Where the bot's block is in ``text`` (start, end), markers included; None without one.

    The last begin marker with an end marker after it: a begin marker left alone (its block's end
    deleted by hand) can then never make the bot take the people's text after it for its own.
    """
    start = text.rfind(BEGIN)
    if start < 0:
        return None
    close = text.find(_CLOSE, start + len(BEGIN))
    if close < 0:
        return None
    end = text.find(END, close + len(_CLOSE))
    if end < 0:
        return None
    return start, end + len(END)


def settled(old_block: str) -> str:
    """The part of a block that must change for an edit: all but its markers and its stamp line."""
    lines = old_block.split("\n")
    return "\n".join(lines[1:-2])


def place(text: str, summary: Summary, note: str) -> str | None:
    """``text`` with the summary written between the markers, or None when that changes nothing.

    Nothing changes when the block already holds the same body: a new data time alone (the stamp
    line) is no reason to edit. Without a block, one is appended after what the page holds.
    """
    span = find(text)
    new = block(summary, note)
    if span is None:
        kept = text.rstrip()
        return f"{kept}\n\n{new}\n" if kept else f"{new}\n"
    start, end = span
    if settled(text[start:end]) == summary.body:
        return None
    return text[:start] + new + text[end:]
