"""Cohort pages (DESIGN §4): {{Event outcomes cohort}} groups events, listed or matched by name."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from tool.wiki import wikitext
from tool.wiki.eventpage import DEFAULT_TEMPLATES, Templates, params_with_lines, plain
from tool.wiki.problems import Problem
from tool.wiki.siteinfo import key
from tool.wiki.usernames import normalize_title

EVENTS_HEADINGS = frozenset({"events", "eventos", "événements", "veranstaltungen", "matukio", "الفعاليات"})
_LINK = re.compile(r"\[\[([^\[\]|#]+)(?:#[^\[\]|]*)?(?:\|[^\[\]]*)?\]\]")


@dataclass
class ParsedCohort:
    title: str
    name: str = ""
    events: list[str] = field(default_factory=list)  # page titles listed explicitly, in order
    match: bool = False
    fields: dict[str, str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    kind: str = "cohort"

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "fields": dict(self.fields),
            "name": self.name,
            "events": list(self.events),
            "match": self.match,
            "problems": [p.to_json() for p in self.problems],
        }


def has_cohort_template(text: str, templates: Templates = DEFAULT_TEMPLATES) -> bool:
    return bool(wikitext.template_starts(wikitext.blank_hidden(text), {key(templates.cohort)}))


def parse_cohort(text: str, *, title: str, templates: Templates = DEFAULT_TEMPLATES) -> ParsedCohort:
    cohort = ParsedCohort(title=title)
    visible = wikitext.blank_hidden(text)
    starts = wikitext.template_starts(visible, {key(templates.cohort)})
    if not starts:
        cohort.problems.append(Problem("page", None, "problem-no-template", {"template": templates.cohort}))
        return cohort
    line = wikitext.line_of(visible, starts[0])
    end = wikitext.template_end(visible, starts[0])
    source = visible[starts[0] : end] if end else visible[starts[0] :] + "}}"
    for name, value, _ in params_with_lines(source, line):
        cohort.fields[key(name)] = value
    cohort.name = plain(cohort.fields.get("name", "")) or title.rsplit("/", 1)[-1]
    cohort.match = key(plain(cohort.fields.get("match", ""))) in {"cohort", "yes", "true", "1"}
    listed = [t for t in re.split(r"[;\n]", cohort.fields.get("events", ""))]
    cohort.events = _titles([_LINK.sub(r"\1", t) for t in listed])
    lines = visible.split("\n")
    for heading in wikitext.headings(lines):
        if key(plain(heading.text)) in EVENTS_HEADINGS:
            body = "\n".join(text for _, text in wikitext.section_lines(lines, heading))
            cohort.events += [
                t for t in _titles(m.group(1) for m in _LINK.finditer(body)) if t not in cohort.events
            ]
    if not cohort.events and not cohort.match:
        cohort.problems.append(Problem("events", line, "problem-cohort-no-events"))
    return cohort


def _titles(texts: Iterable[str]) -> list[str]:
    found: list[str] = []
    for text in texts:
        title = normalize_title(text.strip().lstrip(":"))
        if title and title not in found:
            found.append(title)
    return found


def cohort_members(cohort: ParsedCohort | Any, events: Iterable[tuple[str, str | None]]) -> list[str]:
    """The cohort's events: those listed, then (with match = cohort) every event naming the cohort."""
    members = list(cohort.events)
    if cohort.match:
        members += sorted(title for title, name in events if name == cohort.name and title not in members)
    return members
