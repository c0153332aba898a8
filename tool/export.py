"""Outcomes as files: JSON for programs, CSV for spreadsheets, wikitext for wiki pages.

The wikitext is what the nightly bot writes between its markers, so it is built only from
numbers and escaped text: a name or title taken from a wiki page can never add markup.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any

from tool import messages
from tool.metrics import DEFINITIONS_VERSION, FIGURE_KEYS, UNKNOWN_GROUP, Figure, Outcomes
from tool.metrics.outcomes import LeftOut

FORMATS = ("json", "csv", "wikitext")

# Characters that start or end wikitext markup; as numeric entities they render as themselves.
_WIKITEXT_SPECIAL = {c: f"&#{ord(c)};" for c in "&<>[]{}|'=~*#:;_!\n\r\t"}


def escape_wikitext(text: str) -> str:
    return "".join(_WIKITEXT_SPECIAL.get(c, c) for c in text)


def to_json(kind: str, title: str, outcomes: Outcomes, extra: Mapping[str, Any] | None = None) -> str:
    document = {"kind": kind, "title": title, **(extra or {}), "outcomes": outcomes.to_dict()}
    return _dump(document)


def compare_json(
    by: str,
    groups: Mapping[str, Outcomes],
    events: Mapping[str, int] | None = None,
    skipped: Sequence[LeftOut] = (),
    extra: Mapping[str, Any] | None = None,
) -> str:
    """The groups in their order as the API's comparison gives them: the unknown group's value null."""
    document = {
        "kind": "comparison",
        "by": by,
        **(extra or {}),
        "groups": [
            {
                "value": None if name == UNKNOWN_GROUP else name,
                **({"events": events.get(name, 0)} if events is not None else {}),
                "outcomes": outcomes.to_dict(),
            }
            for name, outcomes in groups.items()
        ],
        "skipped": [reason.to_json() for reason in skipped],
    }
    return _dump(document)


def _dump(document: Mapping[str, Any]) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def to_csv(outcomes: Outcomes) -> str:
    """One row per figure, then one per goal; values as plain numbers a spreadsheet can sum.

    A pending figure has an empty value and the status ``pending``, never a zero.
    """
    rows = [["figure", "value", "status", "denominator"]]
    for key in FIGURE_KEYS:
        figure = outcomes.figures[key]
        rows.append([key, _plain(figure.value), figure.status, _plain(figure.denominator)])
    for key, goal in sorted(outcomes.goals.items()):
        rows.append([f"goal_{key}", _plain(goal.value), goal.status, _plain(goal.target)])
    return _write_csv(rows)


def compare_csv(by: str, groups: Mapping[str, Outcomes], events: Mapping[str, int] | None = None) -> str:
    """One row per context group; for each figure its value, then its status (ok, pending, partial).

    A pending figure has an empty value and the status ``pending``; a partial one keeps its number
    and says ``partial``, so a spreadsheet user can tell a low count from a count still missing data.
    With ``events`` (group → how many events it counts), an ``events`` column follows the group's
    name, so a group of one is not read as weighing as much as a group of fifty.
    """
    header = [by, *(["events"] if events is not None else [])]
    for key in FIGURE_KEYS:
        header += [key, f"{key}_status"]
    rows = [header]
    for name, outcomes in groups.items():
        row = [name or "(unknown)", *([str(events.get(name, 0))] if events is not None else [])]
        for key in FIGURE_KEYS:
            figure = outcomes.figures[key]
            row += [_plain(figure.value), figure.status]
        rows.append(row)
    return _write_csv(rows)


def _write_csv(rows: list[list[str]]) -> str:
    out = io.StringIO()
    # RFC 4180's CRLF: with a bare "\n" terminator the writer would not quote a "\r" inside a
    # value, and a spreadsheet would split that row in two.
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerows([[neutralise_formula(cell) for cell in row] for row in rows])
    return out.getvalue()


# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection: "=HYPERLINK(…)"
# in a context value taken from a wiki page would run on the organizer's computer). OWASP's advice is
# to prefix such a cell with a single quote, which makes it text; a plain number such as "-20" is not
# a formula and stays a number a spreadsheet can sum.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")


def neutralise_formula(cell: str) -> str:
    if cell.startswith(_FORMULA_START) and not _PLAIN_NUMBER.fullmatch(cell):
        return "'" + cell
    return cell


def to_wikitext(title: str, outcomes: Outcomes, language: str = "en") -> str:
    """A sortable table of every figure and goal, with the data time and definitions version."""
    msg = _messages(language)
    data_until = _time(outcomes.data_until)
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


def compare_wikitext(
    by: str, groups: Mapping[str, Outcomes], events: Mapping[str, int] | None = None, language: str = "en"
) -> str:
    """A sortable table with one row per group and a column per figure, each cell with its status.

    The footer gives the data time of the stalest group, as the stored comparison does.
    """
    msg = _messages(language)
    times = [o.data_until for o in groups.values() if o.data_until is not None]
    version = min((o.version for o in groups.values()), default=DEFINITIONS_VERSION)
    header = [msg("export-column-group"), *([msg("export-column-events")] if events is not None else [])]
    header += [msg("figure-" + key.replace("_", "-")) for key in FIGURE_KEYS]
    lines = [msg("export-compare-intro", field=by), "", '{| class="wikitable sortable"']
    lines.append("! " + " !! ".join(header))
    for name, outcomes in groups.items():
        cells = [escape_wikitext(name) if name != UNKNOWN_GROUP else msg("export-unknown-group")]
        cells += [str(events.get(name, 0))] if events is not None else []
        cells += [_cell(outcomes.figures[key], msg) for key in FIGURE_KEYS]
        lines += ["|-", "| " + " || ".join(cells)]
    footer = msg("export-wikitext-footer", time=_time(min(times, default=None)), version=version)
    lines += ["|}", footer]
    return "\n".join(lines) + "\n"


def _messages(language: str) -> Callable[..., str]:
    """The interface messages in ``language``, escaped so that no translation can add markup."""

    def msg(key: str, **params: object) -> str:
        return escape_wikitext(messages.text(key, language, **params))

    return msg


def _time(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC") if moment else "—"


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


def per_wiki_csv(table: Mapping[str, Mapping[str, Figure]]) -> str:
    """One row per wiki; for each per-wiki figure its value, then its status (as compare_csv)."""
    keys = list(next(iter(table.values())).keys()) if table else []
    header = ["wiki"]
    for key in keys:
        header += [key, f"{key}_status"]
    rows = [header]
    for wiki, row in sorted(table.items()):
        cells = [wiki]
        for key in keys:
            cells += [_plain(row[key].value), row[key].status]
        rows.append(cells)
    return _write_csv(rows)
