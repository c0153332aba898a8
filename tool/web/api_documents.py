"""The JSON the API answers with, built only from stored pages and snapshots (never counted here).

Aggregates only: a snapshot's figures and goals, never who took part or what each person did.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

from tool.metrics import Outcomes
from tool.metrics.keys import DEFINITIONS_VERSION
from tool.store import CohortRecord, EventListing, SnapshotRecord


def event_summary(listing: EventListing) -> dict[str, Any]:
    event = listing.event
    return {
        "title": event.title,
        "name": event.name,
        "url": api_url("event", event.title),
        "start": _iso(event.start),
        "end": _iso(event.end),
        "timezone": event.timezone,
        "year": event.start.year if event.start else None,
        "context": dict(sorted(event.context.items())),
        "cohort": event.cohort,
        # Accounts that exist among those listed: the count to show before the first snapshot.
        "listed": listing.listed,
        "problem_count": len(event.problems),
        "snapshot": snapshot_document(listing.snapshot),
    }


def event_detail(listing: EventListing) -> dict[str, Any]:
    event = listing.event
    return {
        **event_summary(listing),
        "wikis": list(event.wikis),
        "namespaces": list(event.namespaces),
        "goals": dict(sorted(event.goals.items())),
        "problems": [_problem(problem) for problem in event.problems],
    }


def cohort_detail(cohort: CohortRecord, events: list[str], snapshot: SnapshotRecord | None) -> dict[str, Any]:
    return {
        "title": cohort.title,
        "name": cohort.name,
        "url": api_url("cohort", cohort.title),
        "events": [{"title": title, "url": api_url("event", title)} for title in events],
        "problems": [_problem(problem) for problem in cohort.problems],
        "snapshot": snapshot_document(snapshot),
    }


def comparison_document(snapshot: SnapshotRecord) -> dict[str, Any]:
    stored = json.loads(snapshot.figures)
    return {
        "by": stored["by"],
        **snapshot_meta(snapshot),
        "groups": stored["groups"],
        "skipped": stored["skipped"],
    }


def snapshot_document(snapshot: SnapshotRecord | None) -> dict[str, Any] | None:
    """The stored outcomes with their statuses; None until the first refresh stored one."""
    if snapshot is None:
        return None
    # Read back through Outcomes so only the figures travel: the problems kept beside them can
    # name a participant (an account that could not be checked), and the API is aggregate only.
    outcomes = Outcomes.from_json(snapshot.figures)
    return {**snapshot_meta(snapshot), "outcomes": outcomes.to_dict()}


def snapshot_meta(snapshot: SnapshotRecord) -> dict[str, Any]:
    """When a snapshot was counted, from data up to when, under which definitions (the downloads too)."""
    return {
        "computed_at": _iso(snapshot.computed_at),
        "data_time": _iso(snapshot.data_time),
        "definitions_version": snapshot.definitions_version,
        # A snapshot counted under older definitions is still served, marked so a reader knows.
        "definitions_current": snapshot.definitions_version == DEFINITIONS_VERSION,
        "partial": snapshot.partial,
    }


def _problem(problem: dict[str, Any]) -> dict[str, Any]:
    return {
        "code": problem.get("code"),
        "field": problem.get("field"),
        "line": problem.get("line"),
        "message": problem.get("message"),
    }


def api_url(kind: str, title: str) -> str:
    return f"/api/v1/{kind}?title={quote(title, safe='')}"


def _iso(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    # SQLite hands back naive times; the store writes UTC.
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")
