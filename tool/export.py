"""Outcomes as files: JSON for programs, CSV for spreadsheets, wikitext for wiki pages.

The wikitext is what the nightly bot writes between its markers, so it is built only from
numbers and escaped text: a name or title taken from a wiki page can never add markup.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping
from typing import Any

from tool import messages
from tool.metrics import FIGURE_KEYS, Figure, Outcomes

FORMATS = ("json", "csv", "wikitext")

# Characters that start or end wikitext markup; as numeric entities they render as themselves.
_WIKITEXT_SPECIAL = {c: f"&#{ord(c)};" for c in "&<>[]{}|'=~*#:;_!\n\r\t"}


def escape_wikitext(text: str) -> str:
    return "".join(_WIKITEXT_SPECIAL.get(c, c) for c in text)


def to_json(kind: str, title: str, outcomes: Outcomes, extra: Mapping[str, Any] | None = None) -> str:
    document = {"kind": kind, "title": title, **(extra or {}), "outcomes": outcomes.to_dict()}
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def to_csv(outcomes: Outcomes) -> str:
    """One row per figure, then one per goal; values as plain numbers a spreadsheet can sum."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["figure", "value", "status", "denominator"])
    for key in FIGURE_KEYS:
        figure = outcomes.figures[key]
        writer.writerow([key, _plain(figure.value), figure.status, _plain(figure.denominator)])
    for key, goal in sorted(outcomes.goals.items()):
        writer.writerow([f"goal_{key}", _plain(goal.value), goal.status, _plain(goal.target)])
    return out.getvalue()


def to_wikitext(title: str, outcomes: Outcomes, language: str = "en") -> str:
    """A sortable table of every figure and goal, with the data time and definitions version."""

    def msg(key: str, **params: object) -> str:
        return escape_wikitext(messages.text(key, language, **params))

    data_until = outcomes.data_until.strftime("%Y-%m-%d %H:%M UTC") if outcomes.data_until else "—"
    lines = [
        f"{msg('export-wikitext-intro', event=title)}",
        "",
        '{| class="wikitable sortable"',
        f"! {msg('export-column-figure')} !! {msg('export-column-value')}",
    ]
    for key in FIGURE_KEYS:
        lines += ["|-", f"| {msg('figure-' + key.replace('_', '-'))} || {_cell(outcomes.figures[key], msg)}"]
    for key, goal in sorted(outcomes.goals.items()):
        value = "—" if goal.value is None else _number(goal.value)
        status = msg(f"goal-status-{goal.status.replace('_', '-')}")
        label = msg("export-goal", figure=messages.text("figure-" + key.replace("_", "-"), language))
        lines += ["|-", f"| {label} || {value} / {_number(goal.target)} ({status})"]
    lines += ["|}", msg("export-wikitext-footer", time=data_until, version=outcomes.version)]
    return "\n".join(lines) + "\n"


def _cell(figure: Figure, msg: Any) -> str:
    if figure.status == "pending" or figure.value is None:
        return str(msg("figure-status-pending"))
    value = _number(figure.value)
    if figure.denominator is not None:
        value = f"{value} / {figure.denominator}"
    if figure.status == "partial":
        value += f" ({msg('figure-status-partial')})"
    return value


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.2f}"


def _plain(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else f"{value:.4f}"


def compare_csv(by: str, groups: Mapping[str, Outcomes]) -> str:
    """One row per context group, one column per figure (values only; statuses in the JSON)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([by, *FIGURE_KEYS])
    for name, outcomes in groups.items():
        writer.writerow([name or "(unknown)", *(_plain(outcomes.figures[key].value) for key in FIGURE_KEYS)])
    return out.getvalue()
