"""An event's figures on each wiki it tracks: the per-wiki table of the event page and its CSV.

Only the figures that add up revisions and pages split by wiki (edits, articles, bytes, uploads);
figures about people (retention, new editors) belong to the person, not to a wiki. Each cell keeps
a status: the event's own status for that figure, made partial where the wiki's sync failed, so
a wiki that could not be read never shows a zero that looks complete.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import replace
from typing import Any

from tool.metrics.compute import worst
from tool.metrics.inputs import COMMONS
from tool.metrics.keys import DURING_KEYS
from tool.metrics.outcomes import Figure, Outcomes

#: The per-wiki figures, in the order of the event's figures.
WIKI_FIGURES: tuple[str, ...] = DURING_KEYS


def _value(key: str, sums: Mapping[str, int]) -> int:
    if key == "edits_during":
        return sums.get("edits", 0)
    if key == "articles_created":
        return sums.get("pages_created", 0)
    if key == "articles_improved":
        return sums.get("pages_edited", 0) - sums.get("pages_created", 0)
    return sums.get(key, 0)


def per_wiki(
    sums: Mapping[str, Mapping[str, int]],
    outcomes: Outcomes,
    tracked: Iterable[str],
    failed: Collection[str] = (),
) -> dict[str, dict[str, Figure]]:
    """Each tracked wiki's figures (and Commons' when the event uploaded there), by wiki name.

    ``sums`` are the event's kept sums per wiki (tool.store.facts ``wiki_sums``); ``failed`` the
    wikis whose contributions could not all be read at this refresh.
    """
    wikis = sorted({*tracked, *(wiki for wiki in sums if wiki == COMMONS or wiki in tracked)})
    table: dict[str, dict[str, Figure]] = {}
    for wiki in wikis:
        found = sums.get(wiki, {})
        row: dict[str, Figure] = {}
        for key in WIKI_FIGURES:
            event_figure = outcomes.figures[key]
            if event_figure.status == "pending":
                row[key] = Figure(None, "pending")
                continue
            status = worst(event_figure.status, "partial" if wiki in failed else "ok")
            if key.startswith("bytes_") and found.get("sizes_unknown", 0):
                status = worst(status, "partial")
            row[key] = replace(event_figure, value=_value(key, found), status=status, denominator=None)
        table[wiki] = row
    return table


def to_json(table: Mapping[str, Mapping[str, Figure]]) -> dict[str, Any]:
    return {wiki: {key: figure.to_dict() for key, figure in row.items()} for wiki, row in table.items()}


def from_json(data: Any) -> dict[str, dict[str, Figure]]:
    """The table kept with a snapshot; a snapshot from before the table was kept has none ({})."""
    if not isinstance(data, dict):
        return {}
    return {
        str(wiki): {str(key): Figure(**value) for key, value in row.items()} for wiki, row in data.items()
    }
