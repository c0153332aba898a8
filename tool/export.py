"""Outcomes as files: JSON for programs, CSV for spreadsheets (wikitext: tool.summary)."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Mapping, Sequence
from typing import Any

from tool.metrics import FIGURE_KEYS, UNKNOWN_GROUP, Figure, Outcomes
from tool.metrics.outcomes import LeftOut

FORMATS = ("json", "csv", "wikitext")


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
