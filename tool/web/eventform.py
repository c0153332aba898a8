"""The event form of /register and /event/<title>/settings: its fields, what a browser sent, and its
problems, found by the page parser itself (issue #10).

The form is checked by writing the page (or the template) it would save and reading that back with
tool.wiki.eventpage.parse_event, the parser every event page goes through: a value the form accepts
is one the tool reads, with the same words when it does not. It also checks that each value reads
back exactly as typed — a "|" or "}}" in a value would end the field or the template, and is a
problem of its own. Every value is bounded; a browser's request longer than the form allows keeps
what fits and says so.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from tool.metrics.keys import FIGURE_KEYS, GOAL_KEYS
from tool.wiki.eventpage import ParsedEvent
from tool.wiki.problems import Problem

#: The template's fields in the order the form shows them, grouped as its documentation groups them.
GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("when", ("name", "start", "end", "timezone")),
    ("tracked", ("wikis", "namespaces")),
    (
        "context",
        ("types", "format", "region", "country", "language", "theme", "audience", "organizing", "cohort"),
    ),
    ("people", ("organizers", "participants", "registration", "signup")),
)
FIELDS: tuple[str, ...] = tuple(name for _, names in GROUPS for name in names)
#: Fields whose label is the context's own (the events list and comparisons name them so).
CONTEXT_LABELS = frozenset({"region", "country", "language", "theme", "format", "audience", "organizing"})
#: The longest value of a field: a list of 20 wikis or of many organizers fits with room to spare.
MAX_VALUE = 2000
#: The longest description (wikitext): a few paragraphs; the rest of the page is for the wiki.
MAX_DESCRIPTION = 10_000
#: A MediaWiki title is at most 255 bytes.
MAX_TITLE_BYTES = 255
#: Goal rows a form sends: one for each figure at most.
MAX_GOAL_ROWS = len(GOAL_KEYS)
#: Blank goal rows offered after the goals already set.
BLANK_GOAL_ROWS = 2
#: Characters no MediaWiki title holds (Title::legalChars), refused before the wiki is asked.
_TITLE_ILLEGAL = re.compile(r"[#<>\[\]|{}\x00-\x1f\x7f]")
#: What can end a field or the template early: "|", braces, brackets, a tag or a comment.
_MARKUP = re.compile(r"[|{}\[\]<>]")
#: A starttimestamp as the API writes it; anything else from a browser is not passed on.
_API_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")


@dataclass
class EventForm:
    """What the form holds: as typed, or as read from the page."""

    fields: dict[str, str] = field(default_factory=dict)  # every field of FIELDS, "" when empty
    goals: list[tuple[str, str]] = field(default_factory=list)  # (figure, target) rows; no target: no goal
    description: str = ""
    title: str = ""  # the page to create (/register only)
    started: str = ""  # the wiki's time when the form was first shown (starttimestamp)
    base: int = 0  # the revision the settings form was read from (baserevid)

    def goal_targets(self) -> dict[str, str]:
        """goal_<figure> → target, for the rows with a target: the goals the page gets."""
        return {f"goal_{goal}": target for goal, target in self.goals if target}


#: The goals a new event's form offers first: the preload's (tool.wiki.newevent).
FIRST_GOALS = ("participants", "retained_30d")


def blank(organizer: str) -> EventForm:
    """A new event's form: its organizer is the person registering it, its goals the preload's."""
    form = EventForm(fields=dict.fromkeys(FIELDS, ""), goals=[(goal, "") for goal in FIRST_GOALS])
    form.fields["organizers"] = organizer
    return form


def of_page(event: ParsedEvent) -> EventForm:
    """The form of an event page, each value as the page writes it (comments left out)."""
    fields = {name: _one_line(event.fields.get(name, "")) for name in FIELDS}
    goals = [
        (name.removeprefix("goal_"), _one_line(value))
        for name, value in event.fields.items()
        if name.startswith("goal_") and value.strip()
    ]
    return EventForm(fields=fields, goals=goals)


def read(sent: Mapping[str, str]) -> tuple[EventForm, list[Problem]]:
    """The form as a browser sent it, and what is wrong with its shape (lengths, repeated goals).

    Values are kept as typed, but on one line (a template field's value is) and cut at twice their
    limit, so that a request of any size costs no more than a form's.
    """
    problems: list[Problem] = []
    fields = {name: _bounded(sent.get(name, ""), name, MAX_VALUE, problems) for name in FIELDS}
    description = sent.get("description", "").replace("\r\n", "\n")
    if len(description) > MAX_DESCRIPTION:
        problems.append(Problem.of("description", None, "eventform-too-long", limit=MAX_DESCRIPTION))
        description = description[: 2 * MAX_DESCRIPTION]
    goals: list[tuple[str, str]] = []
    for row in range(MAX_GOAL_ROWS):
        goal = sent.get(f"goal-{row}", "").strip()[:100]
        target = _bounded(sent.get(f"goal-target-{row}", ""), f"goal_{goal}", 100, problems)
        if not goal and not target:
            continue  # a row left empty
        if target and goal in {g for g, t in goals if t}:
            problems.append(Problem.of(f"goal_{goal}", None, "eventform-goal-twice"))
        goals.append((goal, target))  # a figure without a target is no goal, but stays as chosen
    form = EventForm(
        fields=fields,
        goals=goals,
        description=description,
        title=_one_line(sent.get("title", ""))[: MAX_TITLE_BYTES * 2],
        started=s if _API_TIME.fullmatch(s := sent.get("started", "")) else "",
        base=int(b) if (b := sent.get("base", "")).isascii() and b.isdigit() and len(b) <= 12 else 0,
    )
    return form, problems


def title_problems(title: str) -> list[Problem]:
    """What makes ``title`` no page's title, seen without asking the wiki."""
    if not title:
        return [Problem.of("title", None, "eventform-title-missing")]
    if len(title.encode("utf-8")) > MAX_TITLE_BYTES:
        return [Problem.of("title", None, "eventform-title-too-long", limit=MAX_TITLE_BYTES)]
    bad = _TITLE_ILLEGAL.search(title)
    if bad:
        return [Problem.of("title", None, "eventform-title-character", character=bad.group())]
    return []


def read_back_problems(form: EventForm, event: ParsedEvent) -> list[Problem]:
    """Values that do not read back as typed: markup in them ended the field or the template early."""
    wanted = {**{name: value for name, value in form.fields.items() if value}, **form.goal_targets()}
    failing = [name for name, value in wanted.items() if _one_line(event.fields.get(name, "")) != value]
    # A "}}" ends the template, and every field after it fails too: name the fields with markup.
    marked = [name for name in failing if _MARKUP.search(wanted[name])]
    return [Problem.of(name, None, "eventform-markup-breaks") for name in marked or failing]


def changes(before: EventForm, after: EventForm) -> dict[str, str]:
    """The fields and goals whose value ``after`` changes (a goal removed: an empty value)."""
    changed = {name: value for name, value in after.fields.items() if before.fields.get(name, "") != value}
    old_goals, new_goals = before.goal_targets(), after.goal_targets()
    for name in [*old_goals, *new_goals]:
        if old_goals.get(name, "") != new_goals.get(name, ""):
            changed[name] = new_goals.get(name, "")
    return changed


def applied(form: EventForm, changed: Mapping[str, str]) -> EventForm:
    """``form`` with ``changed`` (as :func:`changes` gives them) made on it."""
    fields = {**form.fields, **{k: v for k, v in changed.items() if k in form.fields}}
    goals = dict(form.goals)
    for name, value in changed.items():
        if name.startswith("goal_"):
            goals[name.removeprefix("goal_")] = value
    return EventForm(
        fields=fields, goals=[(goal, target) for goal, target in goals.items() if target],
        description=form.description, title=form.title, started=form.started, base=form.base,
    )  # fmt: skip


def goal_choices(rows: Sequence[tuple[str, str]]) -> list[str]:
    """The figures a goal row offers: every figure, and a name the page uses beside them (an alias
    such as edits_per_week_before, or one the parser does not know, shown as written)."""
    return [*FIGURE_KEYS, *(goal for goal, _ in rows if goal and goal not in FIGURE_KEYS)]


def goal_label_key(goal: str) -> str | None:
    """The message naming the figure a goal is for; None for a name that is no figure's."""
    figure = GOAL_KEYS.get(goal)
    return "figure-" + figure.replace("_", "-") if figure else None


def goal_rows(form: EventForm) -> list[tuple[str, str]]:
    """The rows the form shows: the goals set, then blank rows, never more than a browser may send."""
    return [*form.goals, *[("", "")] * BLANK_GOAL_ROWS][: max(MAX_GOAL_ROWS, len(form.goals))]


def _bounded(value: str, name: str, limit: int, problems: list[Problem]) -> str:
    value = _one_line(value[: 2 * limit])
    if len(value) > limit:
        problems.append(Problem.of(name, None, "eventform-too-long", limit=limit))
    return value


def _one_line(value: str) -> str:
    """A value as a field holds it: spaces, tabs and line breaks as one space, none around it."""
    return " ".join(value.split())
