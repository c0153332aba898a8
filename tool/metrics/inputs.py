"""What the outcome definitions read: events, their participants, contributions and coverage.

Flat, frozen records so the store can build them straight from SQL rows. Every time is a
timezone-aware UTC ``datetime``; a naive time is rejected here, with the record it came from,
because comparing it later would fail far from the cause.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
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


@dataclass(frozen=True)
class Coverage:
    """Up to which time the store holds every contribution of a (wiki, user).

    A key means: every contribution of that user on that wiki from the earliest window the
    definitions look at (start − 56 days of each event) up to ``complete_until`` is in the data.
    A missing key means nothing was fetched, so every figure that needs it is partial.
    """

    complete_until: Mapping[tuple[str, str], datetime] = field(default_factory=dict)

    def until(self, wiki: str, user: str) -> datetime | None:
        return self.complete_until.get((wiki, user))
