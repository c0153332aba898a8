"""A participant's line on an event page: added when they join, struck when they withdraw (issue #10).

The line is the one the template's documentation asks people to write by hand,
``# {{Event participant|Name}} ~~~~`` (the wiki turns the four tildes into the person's signature
as it saves), at the end of the page's first participants section, after the lines already there
and before any subsection. Withdrawing strikes the person's lines (``<s>…</s>`` inside the list
item), as people strike their own names by hand; joining again un-strikes a line the tool struck.
Nothing else on the page changes. These functions only rewrite text: the caller parses the result
and checks that it now says what was meant (tool.web.join).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from tool.wiki import wikitext as markup
from tool.wiki.eventpage import DEFAULT_TEMPLATES, PARTICIPANT_HEADINGS, ParsedEvent, Templates, heading_key

# A list item's marker (anchored, no backtracking: a line can be 10,000 characters long).
_MARKER = re.compile(r"[#*:;]+ ?")


def participant_line(user: str, templates: Templates = DEFAULT_TEMPLATES) -> str:
    # A name holding "=" would be read as a named parameter: "1=" keeps it the first one.
    argument = f"1={user}" if "=" in user else user
    return f"# {{{{{templates.participant}|{argument}}}}} ~~~~"


def with_participant(
    text: str,
    event: ParsedEvent,
    user: str,
    templates: Templates = DEFAULT_TEMPLATES,
    headings: tuple[str, ...] = PARTICIPANT_HEADINGS,
) -> str:
    """``text`` with ``user`` listed: their struck line un-struck, else a new line.

    ``event`` is ``text`` as parsed; ``user`` is a normalized account name.
    """
    lines = text.split("\n")
    for withdrawn in event.withdrawn:
        if withdrawn.user == user:
            marker, rest = _split(lines[withdrawn.line - 1])
            # Only a line struck as the tool strikes one: the list marker, then all of it in <s>.
            if marker and rest.startswith("<s>") and rest.endswith("</s>"):
                lines[withdrawn.line - 1] = marker + rest[3:-4]
                return "\n".join(lines)
    line = participant_line(user, templates)
    at = _list_end(lines, headings)
    if at is None:
        # No participants section: one at the end of the page, named as the preload names it.
        return text.rstrip("\n") + f"\n\n== {headings[0]} ==\n{line}\n"
    lines.insert(at, line)
    return "\n".join(lines)


def without_participant(text: str, line_numbers: Sequence[int]) -> str:
    """``text`` with each of the (1-based) lines struck, inside its list marker."""
    lines = text.split("\n")
    for number in line_numbers:
        marker, rest = _split(lines[number - 1])
        # A table row is left alone (striking across its cells would break the table): the
        # caller's check then fails, and the person strikes it on the wiki.
        if rest and not rest.startswith(("|", "!", "{|")):
            lines[number - 1] = f"{marker}<s>{rest}</s>"
    return "\n".join(lines)


def _split(line: str) -> tuple[str, str]:
    """A line as its list marker ("# ", "" for a plain line) and the rest, without trailing spaces."""
    marker = _MARKER.match(line)
    cut = marker.end() if marker else 0
    return line[:cut], line[cut:].rstrip()


def _list_end(lines: list[str], headings: tuple[str, ...]) -> int | None:
    """Where a new line goes (0-based): after the last line that is not blank in the first
    participants section's own text (before its first subsection); None when there is no section."""
    visible = markup.blank_hidden("\n".join(lines)).split("\n")
    wanted = {heading_key(heading) for heading in headings}
    found, _cut = markup.sections(visible)
    for index, section in enumerate(found):
        if heading_key(section.heading.text) not in wanted:
            continue
        first = section.heading.line  # 0-based index of the line after the heading
        stop = found[index + 1].heading.line - 1 if index + 1 < len(found) else len(lines)
        # The original lines, not the visible ones: a comment (the preload's guidance) stays above.
        filled = [i for i in range(first, stop) if lines[i].strip()]
        return filled[-1] + 1 if filled else first
    return None
