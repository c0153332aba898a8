"""The outcome summary in wikitext: what the nightly bot writes on the wiki, and the .wiki download.

One renderer for both, so an organizer who pastes the download gets the page the bot keeps. It
reads well on the page and in the source editor: numbers through ``{{formatnum:}}`` (the wiki shows
them in its own digits and separators), shares as "20 of 40 (50 %)", a weekly rate with the
number of people it is over, every status in words, then the goals, the definitions version, a
link to the event's page in the tool, and the time of the data.

Everything that is not the renderer's own markup goes through ``tool.wiki.literal``: a name or a
translation that holds markup is shown as text, and ordinary text is left as it is.

The summary comes in two parts (``Summary``): the body, which changes only when the outcomes do,
and the stamp line with the data time, which moves at every refresh. The bot saves a page only
when the body changed, so a night that adds no contribution makes no edit.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import quote

from babel.numbers import format_decimal

from tool import messages
from tool.metrics import DEFINITIONS_VERSION, FIGURE_KEYS, UNKNOWN_GROUP, Figure, GoalResult, Outcomes
from tool.web import readings
from tool.wiki.literal import literal

# Where a message's parameters stand while the message is formatted: private-use characters no
# translation holds, so the text around them can be escaped apart from the markup put in them.
_SLOT = re.compile("\ue000([0-9]+)\ue001")


class Markup(str):
    """Wikitext the renderer made itself (``{{formatnum:…}}``, a link): written as it is."""


@dataclass(frozen=True)
class Summary:
    body: str  # the figures, goals, definitions version and link
    stamp: str  # "Data as of …": one line, last

    def text(self) -> str:
        return f"{self.body}\n{self.stamp}\n"


def tool_url(public_url: str, kind: str, title: str) -> str:
    """The page of an event or cohort (``kind``) in the tool, as a wiki's external link takes it:
    no space, "]" or quote in it.
    """
    # The tool's URLs write a title's spaces as underscores, as the wiki's do (tool.web.titles).
    return f"{public_url.rstrip('/')}/{kind}/{quote(title.replace(' ', '_'), safe='/:,')}"


def summary(name: str, outcomes: Outcomes, language: str = "en", link: str | None = None) -> Summary:
    """The summary of one event or cohort called ``name``; ``link``: its page in the tool."""
    msg = _Messages(language)
    lines = [msg("export-wikitext-intro", event=name)]
    if link is not None:
        lines[0] += " " + f"[{link} {msg('export-wikitext-link')}]"
    lines += ["", '{| class="wikitable"', _headings(msg, "figure", "value", "status")]
    for key in FIGURE_KEYS:
        label = msg("figure-" + key.replace("_", "-"))
        figure = outcomes.figures[key]
        lines += ["|-", f"| {label} || {_value(key, outcomes.figures, msg)} || {_status(figure, msg)}"]
    lines.append("|}")
    if outcomes.goals:
        lines += ["", '{| class="wikitable"', _headings(msg, "figure", "target", "value", "status")]
        for key, goal in sorted(outcomes.goals.items()):
            lines += ["|-", "| " + " || ".join(_goal_cells(key, goal, msg))]
        lines.append("|}")
    lines += ["", msg("export-wikitext-definitions", version=str(outcomes.version))]
    return Summary("\n".join(lines), _stamp(outcomes.data_until, msg))


def to_wikitext(name: str, outcomes: Outcomes, language: str = "en", link: str | None = None) -> str:
    """The summary as one text: the .wiki download, and what the bot writes between its markers."""
    return summary(name, outcomes, language, link).text()


def compare_wikitext(
    by: str, groups: Mapping[str, Outcomes], events: Mapping[str, int] | None = None, language: str = "en"
) -> str:
    """A sortable table with one row per group and a column per figure, each cell with its status.

    The last line gives the data time of the stalest group, as the stored comparison does.
    """
    msg = _Messages(language)
    times = [o.data_until for o in groups.values() if o.data_until is not None]
    version = min((o.version for o in groups.values()), default=DEFINITIONS_VERSION)
    header = [msg("export-column-group"), *([msg("export-column-events")] if events is not None else [])]
    header += [msg("figure-" + key.replace("_", "-")) for key in FIGURE_KEYS]
    lines = [msg("export-compare-intro", field=by), "", '{| class="wikitable sortable"']
    lines.append("! " + " !! ".join(header))
    for name, outcomes in groups.items():
        cells = [literal(name) if name != UNKNOWN_GROUP else msg("export-unknown-group")]
        cells += [_formatnum(events.get(name, 0))] if events is not None else []
        for key in FIGURE_KEYS:
            figure = outcomes.figures[key]
            value = _value(key, outcomes.figures, msg)
            if figure.status == "partial":
                value = msg("readings-with-status", value=Markup(value), status=_status(figure, msg))
            cells.append(_status(figure, msg) if figure.status == "pending" else value)
        lines += ["|-", "| " + " || ".join(cells)]
    lines += ["|}", "", msg("export-wikitext-definitions", version=str(version))]
    return "\n".join(lines) + "\n" + _stamp(min(times, default=None), msg) + "\n"


def _headings(msg: _Messages, *columns: str) -> str:
    return "! " + " !! ".join(msg(f"export-column-{column}") for column in columns)


def _stamp(data_until: datetime | None, msg: _Messages) -> str:
    if data_until is None:
        return msg("export-wikitext-no-data-time")
    return msg("export-wikitext-data-time", time=data_until.strftime("%Y-%m-%d %H:%M UTC"))


def _value(key: str, figures: Mapping[str, Figure], msg: _Messages) -> str:
    """A figure as it reads in a cell, as the web reads it (tool.web.readings), in wikitext."""
    figure = figures[key]
    if figure.status == "pending":
        return "—"  # the status cell beside it says "pending"
    if figure.value is None:
        return msg("readings-nobody")
    match readings.kind(key):
        case "rate":
            people = _Count(figure.denominator or 0)
            return msg("readings-per-week", rate=Markup(_formatnum(figure.value)), num_people=people)
        case "share":
            compared = readings.comparable(key, figures)
            if compared.value is None or compared.denominator is None:
                return msg("readings-nobody")
            percent = msg("export-wikitext-percent", percent=Markup(_formatnum(round(compared.value * 100))))
            count, total = _formatnum(figure.value), _formatnum(compared.denominator)
            return msg("readings-share", count=Markup(count), total=Markup(total), percent=Markup(percent))
        case _:
            return _formatnum(figure.value)


def _status(figure: Figure, msg: _Messages) -> str:
    return msg(f"figure-status-{figure.status}")


def _goal_cells(key: str, goal: GoalResult, msg: _Messages) -> list[str]:
    label = msg("export-goal", figure=messages.text("figure-" + key.replace("_", "-"), msg.language))
    value = "—" if goal.value is None else _formatnum(goal.value)
    return [label, _formatnum(goal.target), value, msg(f"goal-status-{goal.status.replace('_', '-')}")]


def _formatnum(value: float) -> Markup:
    """A number for {{formatnum:}}: plain digits, no grouping; a count whole, a rate to one decimal."""
    return Markup("{{formatnum:" + format_decimal(value, format="0.#", locale="en") + "}}")


class _Count(int):
    """A number of people in a message: PLURAL reads the number, the text shows it through formatnum."""

    slot = ""

    def __format__(self, spec: str) -> str:
        return self.slot


class _Messages:
    """The interface messages in one language, as wikitext.

    A message's own text is written through ``literal``, so no translation can add markup; its
    parameters are escaped the same way, except ``Markup`` the renderer made and numbers of
    people (``_Count``), which are put in after.
    """

    def __init__(self, language: str) -> None:
        self.language = language

    def __call__(self, key: str, **params: Any) -> str:
        pieces: list[str] = []

        def slot(markup: str) -> str:
            pieces.append(markup)
            return f"\ue000{len(pieces) - 1}\ue001"

        arguments: dict[str, object] = {}
        for name, value in params.items():
            if isinstance(value, _Count):
                count = _Count(value)
                count.slot = slot(_formatnum(value))
                arguments[name] = count
            elif isinstance(value, Markup):
                arguments[name] = slot(value)
            elif isinstance(value, str):
                arguments[name] = slot(literal(value))
            else:
                arguments[name] = value
        text = messages.text(key, self.language, **arguments)
        parts = _SLOT.split(text)
        # split() alternates text and slot numbers: text, number, text, …
        return "".join(literal(part) if i % 2 == 0 else pieces[int(part)] for i, part in enumerate(parts))
