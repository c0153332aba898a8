"""What the outcome definitions read: events, their participants, contributions and coverage.

Flat, frozen records so the store can build them straight from SQL rows. Every time is a
timezone-aware UTC ``datetime``; a naive time is rejected here, with the record it came from,
because comparing it later would fail far from the cause.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from tool.metrics.keys import GOAL_KEYS

# DESIGN §4: "namespaces = 0 (for article metrics; default 0)".
DEFAULT_NAMESPACES = frozenset({0})


def require_aware(value: datetime, what: str) -> None:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{what} must be a timezone-aware UTC time, got naive {value.isoformat()}")


@dataclass(frozen=True, slots=True)
class Contribution:
    """One revision. ``sizediff`` is None when the wiki could not say (hidden parent revision)."""

    wiki: str
    rev_id: int
    user: str
    page_id: int
    namespace: int
    title: str
    timestamp: datetime
    sizediff: int | None
    new: bool  # this revision created the page

    def __post_init__(self) -> None:
        require_aware(self.timestamp, f"contribution {self.wiki} r{self.rev_id} timestamp")


@dataclass(frozen=True, slots=True)
class Person:
    """A participant of an event as listed; ``registration`` None means unknown, not "old".

    ``checked`` False: whether the account exists is not known yet (a wiki was down); the person
    is counted, and every figure that depends on who took part is partial.
    """

    user: str
    registration: datetime | None
    exists: bool = True
    checked: bool = True

    def __post_init__(self) -> None:
        if self.registration is not None:
            require_aware(self.registration, f"registration of {self.user!r}")


@dataclass(frozen=True)
class EventSpec:
    """An event as the definitions need it: window W = [start, end], both ends inclusive."""

    key: str  # the event page's title
    start: datetime
    end: datetime  # inclusive: a date-only end is 23:59:59 of that day
    wikis: frozenset[str]
    namespaces: frozenset[int] = DEFAULT_NAMESPACES  # article namespaces A
    goals: Mapping[str, float] = field(default_factory=dict)
    context: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        require_aware(self.start, f"event {self.key!r} start")
        require_aware(self.end, f"event {self.key!r} end")
        if self.end < self.start:
            raise ValueError(
                f"event {self.key!r}: end {self.end.isoformat()} is before start {self.start.isoformat()}"
            )
        if not self.wikis:
            raise ValueError(f"event {self.key!r}: no tracked wikis")
        if not self.namespaces:
            raise ValueError(f"event {self.key!r}: no article namespaces")
        for goal, target in self.goals.items():
            _check_goal(self.key, goal, target)


def _check_goal(event: str, goal: str, target: float) -> None:
    if goal not in GOAL_KEYS:
        raise ValueError(f"event {event!r}: unknown goal {goal!r}; known: {', '.join(GOAL_KEYS)}")
    if isinstance(target, bool) or not isinstance(target, int | float) or not math.isfinite(target):
        raise ValueError(f"event {event!r}: goal {goal!r} must be a finite number, got {target!r}")
    if target < 0:
        raise ValueError(f"event {event!r}: goal {goal!r} must not be negative, got {target!r}")


# DESIGN §5: uploads are file pages created "on T, Commons included", even by an event that does
# not track Commons. Commons' dbname is the same in production and in the local farm.
COMMONS = "commonswiki"
# https://www.mediawiki.org/wiki/Manual:Namespace — 6 is File; a new page there is an upload.
FILE_NAMESPACE = 6
# The coverage key of Commons' File namespace alone (usercontribs with ucnamespace=6), fetched for
# events that do not track Commons. Its revisions are stored under COMMONS like any other (they
# are Commons revisions), but its coverage must not read as full coverage of Commons: an event
# that tracks Commons needs every namespace. A key in the same wiki column keeps the coverage
# table as it is; "#" never occurs in a dbname, so it cannot clash with a real wiki.
COMMONS_FILES = f"{COMMONS}#{FILE_NAMESPACE}"

Span = tuple[datetime, datetime]


@dataclass(frozen=True)
class Coverage:
    """Which spans of each (wiki, user) history the store holds completely.

    ``spans[(wiki, user)]`` are closed intervals [start, end]: every contribution of that user on
    that wiki in them is in the data. Each event asks from its own floor (its start − 56 days),
    so a person in two events is judged at each event's floor, not at the earliest of the group.
    ``wiki`` may be COMMONS_FILES: Commons' File namespace only.
    """

    spans: Mapping[tuple[str, str], Sequence[Span]] = field(default_factory=dict)

    def until(self, wiki: str, user: str, since: datetime) -> datetime | None:
        """How far the data reaches without a hole from ``since``; None when ``since`` is not held."""
        return self.until_any((wiki,), user, since)

    def until_any(self, wikis: Iterable[str], user: str, since: datetime) -> datetime | None:
        """As ``until``, over the spans of several keys together (Commons fully, or its files only)."""
        reach: datetime | None = None
        for low, high in sorted(span for wiki in wikis for span in self.spans.get((wiki, user), ())):
            if low > (since if reach is None else reach):
                break
            if high >= since:
                reach = high if reach is None else max(reach, high)
        return reach
