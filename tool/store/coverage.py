"""Interval arithmetic for coverage: which spans of a (wiki, user) history the store holds.

Pure functions over sorted lists of closed intervals [start, end], so the rules can be tested
without a database: overlapping or touching intervals merge, and a gap is what a sync must fetch.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

Interval = tuple[datetime, datetime]


def merge(intervals: Iterable[Interval]) -> list[Interval]:
    """Sorted, with overlapping and touching intervals joined."""
    merged: list[Interval] = []
    for start, end in sorted(intervals):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def gaps(covered: Iterable[Interval], start: datetime, end: datetime) -> list[Interval]:
    """The parts of [start, end] that ``covered`` leaves out.

    Gaps share their edges with the covered intervals: usercontribs bounds are inclusive, and a
    revision at exactly the edge is then asked for twice rather than never (duplicates are ignored).
    """
    result: list[Interval] = []
    cursor = start
    for low, high in merge(covered):
        if high < cursor:
            continue
        if low > end:
            break
        if low > cursor:
            result.append((cursor, low))
        cursor = max(cursor, high)
    if cursor < end:
        result.append((cursor, end))
    return result
