"""What the store hands out and takes in: plain frozen records, no ORM objects escape it.

A record's fields are named like its table's columns, so a record becomes a row and a row a
record in one way only, by name (``to_row``, ``from_row``, and ``row_reader`` for long results);
a column the record does not carry (a row id, the event a participant belongs to) is added by the
module that owns the table.
"""

from __future__ import annotations

import dataclasses
import operator
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

R = TypeVar("R", bound="DataclassInstance")


def to_row(record: DataclassInstance) -> dict[str, Any]:
    """The record's fields as column values, by name."""
    return {f.name: getattr(record, f.name) for f in dataclasses.fields(record)}


def from_row(kind: type[R], row: Any, prefix: str = "") -> R:
    """A result row as a record of ``kind``, by name (columns labelled ``prefix`` + field name)."""
    values = row._mapping
    return kind(**{f.name: values[prefix + f.name] for f in dataclasses.fields(kind)})


def row_reader(kind: type[R], columns: Sequence[str], prefix: str = "") -> Callable[[Any], R]:
    """``from_row`` for many rows of one result: each field's position among ``columns`` found once.

    Looking every value up by name took as long as the events list's query itself on MariaDB
    (1,000 rows of 27 columns, docs/performance.md); by position it is one C call a row.
    """
    names = list(columns)
    positions = [names.index(prefix + f.name) for f in dataclasses.fields(kind)]
    # itemgetter of one position gives the value itself, not a 1-tuple.
    get: Callable[[Any], Any] = (
        operator.itemgetter(*positions) if len(positions) > 1 else lambda row: (row[positions[0]],)
    )
    return lambda row: kind(*get(row))


@dataclass(frozen=True)
class EventRecord:
    """An event page as last parsed. ``start``/``end``/``wikis`` are empty when the page lacks them."""

    title: str
    page_id: int
    rev_id: int
    name: str
    fields: dict[str, str]
    context: dict[str, str]
    goals: dict[str, float]
    problems: list[dict[str, Any]]
    start: datetime | None
    end: datetime | None
    timezone: str
    wikis: list[str]
    namespaces: list[int]
    cohort: str | None
    registration: int | None
    parsed_at: datetime
    gone_at: datetime | None = None  # the page was deleted or dropped the template (hidden)


@dataclass(frozen=True)
class CohortRecord:
    title: str
    page_id: int
    rev_id: int
    name: str
    events: list[str]  # page titles listed explicitly
    match: bool  # also every event whose cohort= equals ``name``
    problems: list[dict[str, Any]]
    parsed_at: datetime
    gone_at: datetime | None = None


@dataclass(frozen=True)
class ParticipantRecord:
    user: str
    line: int | None  # the page line it came from; None for CampaignEvents registrations
    source: str = "page"  # "page", "participants-page" or "registration"
    exists: bool = True
    state: str = "ok"  # "ok", "missing", "invalid", "blocked"
    global_user_id: int | None = None


@dataclass(frozen=True)
class AccountRecord:
    """What one wiki (or "global" for CentralAuth) says about an account."""

    user: str
    user_id: int | None
    registration: datetime | None
    state: str = "ok"


@dataclass(frozen=True)
class SnapshotRecord:
    id: int
    kind: str
    target: str
    computed_at: datetime
    data_time: datetime
    definitions_version: int
    figures: str  # the Outcomes as JSON (tool.metrics.Outcomes.from_json)
    partial: bool


@dataclass(frozen=True)
class EventListing:
    """An event as the events list shows it: its latest snapshot, and how many listed people exist."""

    event: EventRecord
    snapshot: SnapshotRecord | None
    listed: int  # participants whose account exists (the count to show before the first snapshot)


@dataclass(frozen=True)
class JobRecord:
    id: int
    kind: str
    target: str
    state: str
    progress: float
    message: str
    error: str | None
    created: datetime
    started: datetime | None = None
    finished: datetime | None = None
    done: int = 0
    total: int = 0
    attempts: int = 0
