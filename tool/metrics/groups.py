"""Sorting events into context groups (region, language, format, …) for the comparison."""

from __future__ import annotations

from collections.abc import Iterable

from tool.metrics.inputs import EventSpec
from tool.metrics.keys import CONTEXT_KEYS

# The group of events that do not say; shown as "unknown", never merged into another group.
UNKNOWN_GROUP = ""


def group_by(specs: Iterable[EventSpec], key: str) -> dict[str, list[EventSpec]]:
    """Context value → its events, in the order given; groups sorted, the unknown group last.

    Values are compared as written, after trimming spaces (the parser normalizes codes such as
    country and language; names are the organizers' own).
    """
    if key not in CONTEXT_KEYS:
        raise ValueError(f"cannot group events by {key!r}; known context fields: {', '.join(CONTEXT_KEYS)}")
    groups: dict[str, list[EventSpec]] = {}
    for spec in specs:
        value = spec.context.get(key, UNKNOWN_GROUP).strip()
        groups.setdefault(value, []).append(spec)
    return dict(sorted(groups.items(), key=lambda item: (item[0] == UNKNOWN_GROUP, item[0])))
