"""The wikitext of a new event page, as the tool's register form writes it (issue #10).

It is the shipped preload (Template:Event outcomes/preload, which the wiki's "Start an event" box
opens a new page with) filled in: each field the organizer gave replaces the preload's comment for
it, the fields left empty keep the comment that says what to write, the fields the preload does
not name are added after its own, and the description replaces the preload's invitation to write
one. So a page registered through the tool looks like one started on the wiki, and an organizer
who opens it later finds every field where the preload puts it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from functools import cache

from tool.config import DEFAULTS
from tool.wiki.eventpage import DEFAULT_TEMPLATES, Templates
from tool.wiki.templatefiles import template_pages

PRELOAD = "Template:" + DEFAULTS["EVENT_TEMPLATE"] + "/preload"
# A field's line in the preload: " | name         = <!-- what to write -->".
_FIELD_LINE = re.compile(r" \| ([a-z0-9_]+)( *)= <!--[^<>]*-->")
_DESCRIPTION = re.compile(r"<!-- Describe the event[^<>]*-->")


@cache
def preload() -> str:
    """The preload's text as MediaWiki copies it into a new page: its includeonly part."""
    text = template_pages()[PRELOAD]
    return text.split("<includeonly>", 1)[1].split("</includeonly>", 1)[0]


def event_page(
    fields: Mapping[str, str],
    goals: Sequence[tuple[str, str]],
    description: str = "",
    templates: Templates = DEFAULT_TEMPLATES,
) -> str:
    """The page for ``fields`` (name → value, as the organizer wrote them), ``goals`` ((figure,
    target) pairs) and ``description`` (wikitext; empty: the preload's comment stays)."""
    values = {name: value for name, value in fields.items() if value}
    values.update((f"goal_{goal}", target) for goal, target in goals if target)
    lines = preload().split("\n")
    width = None  # the names' column, as the preload's first field aligns it
    last = {False: 0, True: 0}  # the last line of a field, and of a goal
    for index, line in enumerate(lines):
        found = _FIELD_LINE.fullmatch(line)
        if found is None:
            continue
        name, padding = found.groups()
        width = len(name) + len(padding) - 1 if width is None else width
        last[name.startswith("goal_")] = index
        if name in values:
            lines[index] = f" | {name}{padding}= {values.pop(name)}"
    last[True] = max(last.values())
    # What the preload has no line for: fields after its fields, goals after its goals, in the
    # order given. Goals first, as their lines come later.
    for goal in (True, False):
        added = [
            f" | {name.ljust(width or 0)} = {value}"
            for name, value in values.items()
            if name.startswith("goal_") == goal
        ]
        lines[last[goal] + 1 : last[goal] + 1] = added
    text = "\n".join(lines)
    if description.strip():
        text = _DESCRIPTION.sub(lambda _: description.strip(), text, count=1)
    return _named(text, templates)


def _named(text: str, templates: Templates) -> str:
    """The preload names the default templates; a wiki that renamed them gets its own names."""
    text = text.replace("{{" + DEFAULT_TEMPLATES.event + "\n", "{{" + templates.event + "\n", 1)
    return text.replace("{{" + DEFAULT_TEMPLATES.participant + "|", "{{" + templates.participant + "|")
