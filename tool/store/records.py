"""What the store hands out and takes in: plain frozen records, no ORM objects escape it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


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
    figures_json: str
    partial: bool


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
    extra: dict[str, Any] = field(default_factory=dict)
