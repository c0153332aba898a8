"""A store holding a few events as the tool leaves them, for the tests of what lists them.

Events and participants saved, outcomes counted by tool.pipeline.evaluate and kept as snapshots,
one event never counted, and a cohort: the API's /events and the events page read the same.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.test_store import event as event_record
from tool.pipeline import evaluate
from tool.pipeline.refresh import keep_snapshot, refresh_cohorts
from tool.store import CohortRecord, ParticipantRecord, Store

NOW = datetime(2026, 6, 1, tzinfo=UTC)
PEOPLE = ["Ana Participant", "Bea Participant", "Cid Participant"]
# (title, name, region, language, start, cohort); every event is counted, but one.
EVENTS = [
    (
        "Event:Nairobi",
        "Nairobi training",
        "Sub-Saharan Africa",
        "sw",
        datetime(2026, 1, 14, tzinfo=UTC),
        "Indaba",
    ),
    (
        "Event:Lagos",
        "Lagos edit-a-thon",
        "Sub-Saharan Africa",
        "yo",
        datetime(2025, 3, 2, tzinfo=UTC),
        "Indaba",
    ),
    ("Event:Lima 2026", "Taller de Lima", "Latin America", "es", datetime(2026, 2, 7, tzinfo=UTC), None),
]
NEVER_COUNTED = "Event:Quito"
COHORT = "Cohort:Indaba"


def fill(store: Store) -> None:
    """Save EVENTS with PEOPLE and count them at NOW; save NEVER_COUNTED and COHORT."""
    for page_id, (title, name, region, language, start, cohort) in enumerate(EVENTS, start=1):
        store.save_event(
            event_record(
                title,
                page_id=page_id,
                name=name,
                context={"region": region, "language": language},
                start=start,
                end=start + timedelta(days=1),
                cohort=cohort,
            )
        )
        store.replace_participants(title, [ParticipantRecord(user, line) for line, user in enumerate(PEOPLE)])
        count(store, title)
    store.save_event(event_record(NEVER_COUNTED, page_id=99, name="Quito", context={}, cohort=None))
    store.save_cohort(
        CohortRecord(COHORT, 50, 1, "Indaba", events=[], match=True, problems=[], parsed_at=NOW)
    )
    refresh_cohorts(store, NOW)


def count(store: Store, title: str, now: datetime = NOW) -> None:
    """Count the event's outcomes as a refresh does, and keep them as its latest snapshot."""
    outcomes = evaluate.event_outcomes(store, title, now)
    keep_snapshot(store, "event", title, outcomes, now, partial=outcomes.partial)
