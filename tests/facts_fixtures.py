"""Counting as the tool counts: events stored, each event's facts counted in SQL, a group added up.

For the definition tests that give the coverage by hand (tests/metrics_history.py): the tool
reads coverage from the store, these tests say it, and everything else is the tool's own path
(tool.store.facts for the counting, tool.metrics.compute.group_figures for the figures).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime

from tool.metrics import Contribution, Coverage, EventSpec, Outcomes, Person
from tool.metrics.compute import is_new_editor, member_coverage
from tool.metrics.tally import Plan
from tool.pipeline.evaluate import figures_of
from tool.store import EventRecord, Store
from tool.store.facts import MemberInput


def record_of(spec: EventSpec) -> EventRecord:
    return EventRecord(
        title=spec.key,
        page_id=abs(hash(spec.key)) % 1_000_000 + 1,
        rev_id=1,
        name=spec.key,
        fields={},
        context=dict(spec.context),
        goals=dict(spec.goals),
        problems=[],
        start=spec.start,
        end=spec.end,
        timezone="UTC",
        wikis=sorted(spec.wikis),
        namespaces=sorted(spec.namespaces),
        cohort=None,
        registration=None,
        parsed_at=datetime(2026, 1, 1, tzinfo=UTC),
    )


def store_history(store: Store, history: Iterable[Contribution]) -> None:
    history = list(history)
    for wiki in sorted({c.wiki for c in history}):
        store.add_contributions(wiki, [c for c in history if c.wiki == wiki])


def count_events(
    store: Store, events: Sequence[tuple[EventSpec, Iterable[Person]]], coverage: Coverage, now: datetime
) -> None:
    """Store the events and count each one's facts at ``now`` with the given coverage."""
    for spec, listed in events:
        if store.get_event(spec.key) is None:
            store.save_event(record_of(spec))
        plan = Plan.of(spec)
        people = {p.user: p for p in reversed(list(listed)) if p.exists}  # the first listing wins
        members = [
            MemberInput(
                p.user,
                p.registration,
                is_new_editor(p.registration, spec),
                p.checked,
                *member_coverage(plan, p.user, coverage),
            )
            for p in people.values()
        ]
        store.count_facts(spec.key, plan, members, now)


def counted_group(
    store: Store,
    events: Sequence[tuple[EventSpec, Iterable[Person]]],
    history: Iterable[Contribution],
    coverage: Coverage,
    now: datetime,
) -> Outcomes:
    """The group's outcomes as the tool counts them, from ``history`` stored in ``store``."""
    store_history(store, history)
    count_events(store, events, coverage, now)
    return figures_of(store, [spec for spec, _ in events], now)
