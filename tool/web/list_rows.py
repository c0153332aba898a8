"""The rows of the events page: each event's dates, region and headline figures, in the order asked.

Figures come from the event's latest snapshot with their statuses; an event never counted has no
figures at all (never zeros). A snapshot is read only when its numbers are needed: for the rows
shown, or for every matching event when the list is sorted by one of its figures.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from typing import Any
from urllib.parse import quote
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from tool.metrics import Outcomes
from tool.metrics.windows import Status
from tool.store import EventListing
from tool.web.listing import value_of
from tool.web.titles import url_part

#: The figures the list shows, the first things a reader compares events by (DESIGN §5).
HEADLINE = ("participants", "new_editors", "retained_30d")


@dataclass(frozen=True)
class Cell:
    """One figure as the list shows it: a number with its status, or pending and no number."""

    value: int | float | None
    status: Status
    denominator: int | None

    @property
    def number(self) -> str:
        return _number(self.value) if self.value is not None else ""


@dataclass(frozen=True)
class EventRow:
    title: str
    url_title: str  # the title as the tool's and the wiki's URLs write it
    wiki_url: str
    name: str
    dates: str
    region: str | None
    problems: int
    listed: int  # people listed whose account exists: said while the event is not counted yet
    figures: Mapping[str, Cell] | None  # None: never counted


class Entry:
    """A matching event while the page is put together; its outcomes are parsed only for the rows shown."""

    def __init__(self, listing: EventListing) -> None:
        self.listing = listing

    @cached_property
    def outcomes(self) -> Outcomes | None:
        snapshot = self.listing.snapshot
        return Outcomes.from_json(snapshot.figures) if snapshot is not None else None

    def figure(self, key: str) -> int | float | None:
        """The figure's value to sort by; None when there is none (never counted, or pending)."""
        snapshot = self.listing.snapshot
        if snapshot is None:
            return None
        # Only the one number, from the snapshot's JSON form (Outcomes.to_dict): a sort reads it
        # for every matching event, and building all of each event's figures would take three
        # times as long (about 60 ms more at 1,000 events). A pending figure's value is null.
        value: int | float | None = json.loads(snapshot.figures)["figures"][key]["value"]
        return value


def ordered(listings: Sequence[EventListing], sort: str, descending: bool) -> list[Entry]:
    """The events by the column ``sort``; ties by name. Events with nothing to sort by come last.

    "Nothing" is an event not counted yet, a pending figure, no dates or no region: placing them
    last either way keeps them from reading as the smallest (or the largest) value.
    """
    key = _SORT_KEYS.get(sort) or (lambda entry: entry.figure(sort))
    known: list[tuple[Any, Entry]] = []
    unknown: list[Entry] = []
    for entry in sorted((Entry(listing) for listing in listings), key=_by_name):
        value = key(entry)
        if value is None:
            unknown.append(entry)
        else:
            known.append((value, entry))
    # list.sort is stable in both directions, so equal values keep their order by name.
    known.sort(key=lambda pair: pair[0], reverse=descending)
    return [entry for _, entry in known] + unknown


def event_row(entry: Entry, home_wiki_url: str) -> EventRow:
    event = entry.listing.event
    outcomes = entry.outcomes
    figures = None
    if outcomes is not None:
        figures = {key: _cell(outcomes, key) for key in HEADLINE}
    return EventRow(
        title=event.title,
        url_title=url_part(event.title),
        wiki_url=f"{home_wiki_url}?title={quote(url_part(event.title))}",
        name=event.name,
        dates=local_dates(event.start, event.end, event.timezone),
        region=value_of(entry.listing, "region"),
        problems=len(event.problems),
        listed=entry.listing.listed,
        figures=figures,
    )


def local_dates(start: datetime | None, end: datetime | None, timezone: str) -> str:
    """The dates as the organizer wrote them: in the event's own time zone, not UTC."""
    if start is None or end is None:
        return "—"
    try:
        zone = ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")
    try:
        return f"{start.astimezone(zone):%Y-%m-%d} – {end.astimezone(zone):%Y-%m-%d}"
    except OverflowError:
        # A time near year 1 or 9999 stored before dates were bounded (issue #7): shifting it into
        # the zone leaves datetime's range. The UTC dates are still true; one event never takes
        # the page down for every visitor.
        return f"{start.date().isoformat()} – {end.date().isoformat()}"


def _by_name(entry: Entry) -> tuple[str, str]:
    event = entry.listing.event
    return event.name.casefold(), event.title


def _region(entry: Entry) -> str | None:
    region = value_of(entry.listing, "region")
    return region.casefold() if region else None


_SORT_KEYS: dict[str, Callable[[Entry], Any]] = {
    "name": _by_name,
    "start": lambda entry: entry.listing.event.start,
    "region": _region,
    "problems": lambda entry: len(entry.listing.event.problems),
}


def _cell(outcomes: Outcomes, key: str) -> Cell:
    figure = outcomes.figures[key]
    return Cell(figure.value, figure.status, figure.denominator)


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.2f}"
