"""Cohort pages (DESIGN §4): {{Event outcomes cohort}} groups events, listed or matched by name.

``events = A; B`` and the links of an ``== Events ==`` section list events explicitly;
``match = cohort`` also takes in every event whose ``cohort =`` names this cohort. Like event
pages, a cohort page never raises: what is wrong becomes a Problem, and the result is frozen.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

from tool.wiki import wikitext as markup
from tool.wiki.eventpage import (
    DEFAULT_TEMPLATES,
    Templates,
    cut_page,
    field_value,
    find_template,
    plain,
    shown,
)
from tool.wiki.nearest import nearest
from tool.wiki.problems import Problem
from tool.wiki.siteinfo import SiteInfo, key
from tool.wiki.usernames import clean, normalize_title

EVENTS_HEADINGS = frozenset(
    {"events", "event pages", "eventos", "événements", "evenements", "veranstaltungen", "matukio",
     "الفعاليات", "الأحداث", "события", "eventi", "evenementen"}
)  # fmt: skip
# Every parameter of {{Event outcomes cohort}} the parser reads; its TemplateData documents exactly these.
COHORT_PARAMETERS = ("name", "events", "match")
MATCH_VALUES = frozenset({"cohort", "yes", "true", "1", "name"})
# match = 0 is what the visual editor's checkbox writes when it is cleared.
NO_MATCH_VALUES = frozenset({"", "no", "false", "0", "none"})
_LINK = re.compile(r"\[\[([^\[\]|]+)(?:\|[^\[\]]*)?\]\]")


@dataclass(frozen=True)
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
    return bool(markup.template_starts(markup.blank_hidden(text), {key(templates.cohort)}))


def parse_cohort(
    wikitext: str, site: SiteInfo | None = None, *, title: str, templates: Templates = DEFAULT_TEMPLATES
) -> ParsedCohort:
    """The cohort a page describes. ``site`` puts listed titles in the wiki's own form (namespaces)."""
    problems: list[Problem] = []
    wikitext = cut_page(wikitext, problems)
    budget = markup.Budget()
    visible = markup.blank_hidden(wikitext)
    found = find_template(visible, templates.cohort, problems, budget)
    if found is None:
        return ParsedCohort(title=title, problems=problems)
    fields: dict[str, str] = {}
    where: dict[str, int] = {}
    for param in found.params:
        name = key(param.name).replace(" ", "_")
        if name in where:
            problems.append(
                Problem.of(name, param.line, "problem-repeated-field", field=shown(name), line=where[name])
            )
        fields[name], where[name] = field_value(param, problems), param.line
        if name not in COHORT_PARAMETERS:
            near = nearest(name, COHORT_PARAMETERS)
            problems.append(
                Problem.suggesting(name, param.line, "problem-unknown-field", near, field=shown(param.name))
            )
    name = plain(fields.get("name", ""), budget) or (site.page_name(title) if site else title)
    written = plain(fields.get("match", ""), budget)
    match = key(written) in MATCH_VALUES
    if not match and key(written) not in NO_MATCH_VALUES:
        problems.append(Problem.of("match", where.get("match"), "problem-bad-match", value=shown(written)))
    listed = [_LINK.sub(r"\1", piece) for piece in re.split(r"[;\n]", fields.get("events", ""))]
    events = _titles([*listed, *_section_links(visible, budget, problems)], site)
    if not events and not match:
        problems.append(Problem.of("events", where.get("events", found.line), "problem-cohort-no-events"))
    return ParsedCohort(title, name, events, match, fields, problems)


def _section_links(text: str, budget: markup.Budget, problems: list[Problem]) -> list[str]:
    """Link targets in the cohort's "Events" sections (a subsection's once, however deep it is)."""
    lines = text.split("\n")
    targets: list[str] = []
    read_to = 0  # the line after the last "Events" section read: subsections are read with it
    sections, cut = markup.sections(lines)
    for section in sections:
        if section.heading.line < read_to or key(plain(section.heading.text, budget)) not in EVENTS_HEADINGS:
            continue
        read_to = section.end
        body = "\n".join(section.body(lines))
        for link in _LINK.finditer(body):
            if len(targets) == markup.MAX_EVENTS:
                line = section.heading.line + 1 + body.count("\n", 0, link.start())
                problems.append(
                    Problem.of("events", line, "problem-too-many-events", limit=markup.MAX_EVENTS)
                )
                return targets
            targets.append(link.group(1))
    if cut is not None:
        problems.append(Problem.of("page", cut, "problem-too-many-headings", limit=markup.MAX_HEADINGS))
    return targets


def _titles(texts: Iterable[str], site: SiteInfo | None) -> list[str]:
    found: dict[str, None] = {}  # a dict keeps the order and finds repeats at once
    for text in texts:
        text = clean(text).lstrip(":")
        if not text or text.startswith("#"):
            continue  # a link to a section of the cohort page itself
        title = site.normalize_title(text) if site else normalize_title(text)
        if title:
            found.setdefault(title)
    return list(found)


class Cohort(Protocol):
    """What cohort_members needs: a parsed cohort page or its stored record."""

    @property
    def name(self) -> str: ...

    @property
    def events(self) -> list[str]: ...

    @property
    def match(self) -> bool: ...


def cohort_members(cohort: Cohort, events: Iterable[tuple[str, str | None]]) -> list[str]:
    """The cohort's events: those listed, then (with match = cohort) every event naming the cohort.

    ``events`` are (title, cohort field) of the known events. Names compare as readers see them:
    spaces and letter case do not make another cohort.
    """
    members = list(cohort.events)
    if cohort.match:
        wanted, listed = key(cohort.name), set(members)
        members += sorted(
            title for title, name in events if name and key(name) == wanted and title not in listed
        )
    return members
