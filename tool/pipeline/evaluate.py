"""Outcomes of stored events, cohorts and context groups: the store's records in, Outcomes out.

The definitions themselves are pure (tool.metrics); this module only gathers their inputs from
the store — the event's window, its participants with their registration dates and how far the
store's coverage reaches, from which the store counts and keeps each event's facts in SQL
(tool.store.facts), which any set of events then adds up — and says clearly when an event
cannot be evaluated (its page lacks dates or wikis) instead of producing zeros.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import datetime

from tool import messages
from tool.metrics import Coverage, EventSpec, Outcomes, Person
from tool.metrics.compute import group_figures, is_new_editor, member_coverage
from tool.metrics.goals import evaluate_goals
from tool.metrics.groups import group_by
from tool.metrics.inputs import COMMONS, COMMONS_FILES
from tool.metrics.outcomes import LeftOut
from tool.metrics.tally import Plan
from tool.store import EventRecord, ParticipantRecord, Store
from tool.store.facts import MemberInput, spec_key
from tool.wiki.eventpage import MAX_WIKIS
from tool.wiki.eventtime import in_bounds


class NotEvaluable(ValueError):
    """The event (or every event of a group) lacks what the definitions need; the message says what.

    Like a page's ``Problem``, it is coded: ``code`` is an i18n message key (``evaluate-…`` in
    i18n/en.json) and ``params`` its parameters, so a client can show it in the reader's language;
    ``str()`` is the English text, for logs and the command line; a group's ``left_out`` keeps the code.
    """

    def __init__(self, code: str, /, **params: object) -> None:
        self.code = code
        self.params = {name: str(value) for name, value in params.items()}
        super().__init__(messages.text(code, "en", **params))


def spec_of(record: EventRecord) -> EventSpec:
    missing = [
        name
        for name, value in (("start", record.start), ("end", record.end), ("wikis", record.wikis))
        if not value
    ]
    if missing:
        problems = "; ".join(p.get("message", "") for p in record.problems)
        if not problems:
            raise NotEvaluable(
                "evaluate-missing-fields-see-page", title=record.title, fields=", ".join(missing)
            )
        raise NotEvaluable(
            "evaluate-missing-fields", title=record.title, fields=", ".join(missing), problems=problems
        )
    assert record.start is not None
    assert record.end is not None
    # The parser bounds these; a record stored by an older version may not be (issue #7).
    if not in_bounds(record.start, record.end) or len(record.wikis) > MAX_WIKIS:
        raise NotEvaluable(
            "evaluate-out-of-bounds",
            title=record.title,
            start=f"{record.start:%Y-%m-%d}",
            end=f"{record.end:%Y-%m-%d}",
            num_wikis=len(record.wikis),
        )
    try:
        return EventSpec(
            key=record.title,
            start=record.start,
            end=record.end,
            wikis=frozenset(record.wikis),
            namespaces=frozenset(record.namespaces or (0,)),
            goals=dict(record.goals),
            context={**record.context, "year": str(record.start.year)},
        )
    except ValueError as e:
        raise NotEvaluable("evaluate-invalid-event", title=record.title, error=str(e)) from e


def people_of(store: Store, record: EventRecord) -> list[Person]:
    """The event's existing accounts, with registration dates (global, else earliest on its wikis)."""
    return people_from(store, record, store.participants(record.title))


def people_from(store: Store, record: EventRecord, participants: Sequence[ParticipantRecord]) -> list[Person]:
    """people_of for participants already read (refresh reads them once and passes them on)."""
    listed = [p for p in participants if p.exists]
    registrations = store.registrations([p.user for p in listed], list(record.wikis))
    people: dict[str, Person] = {}
    for participant in listed:
        # "unchecked": a wiki was down when discovery checked the name (counted, but partial).
        checked = participant.state != "unchecked"
        people.setdefault(
            participant.user, Person(participant.user, registrations.get(participant.user), checked=checked)
        )
    return list(people.values())


def _coverage(store: Store, wikis: Iterable[str], users: Sequence[str]) -> Coverage:
    """The stored spans on the event's wikis and on Commons (whose uploads always count, DESIGN §5)."""
    return store.coverage(sorted({*wikis, COMMONS, COMMONS_FILES}), users)


def count_event(
    store: Store, record: EventRecord, spec: EventSpec, people: Sequence[Person], now: datetime
) -> None:
    """Count the event's facts at ``now`` (tool.store.facts), replacing what was kept of it."""
    plan = Plan.of(spec)
    users = [person.user for person in people]
    coverage = _coverage(store, spec.wikis, users)
    members = [
        MemberInput(
            person.user,
            person.registration,
            is_new_editor(person.registration, spec),
            person.checked,
            *member_coverage(plan, person.user, coverage),
        )
        for person in people
    ]
    store.count_facts(record.title, plan, members, now)


def _ensure_facts(store: Store, events: Sequence[tuple[EventRecord, EventSpec]], now: datetime) -> int:
    """Count again the events whose kept facts are not their counts at ``now`` (tool.store.facts)."""
    stamp = store.stamp()
    states = store.fact_states([record.title for record, _ in events])
    counted = 0
    for record, spec in events:
        state = states.get(record.title)
        if state is None or not state.valid(stamp, spec_key(Plan.of(spec)), now):
            count_event(store, record, spec, people_of(store, record), now)
            counted += 1
    return counted


def count_stale(store: Store, now: datetime) -> int:
    """Count again every event whose facts are stale (the nightly run's last step): how many.

    Each event's refresh counts its facts, but the syncs of the events after it move the store's
    stamp; counted once more at the end, they hold until the next sync, and a comparison or a
    cohort reads them as they are.
    """
    events: list[tuple[EventRecord, EventSpec]] = []
    for record in store.list_events():
        try:
            events.append((record, spec_of(record)))
        except NotEvaluable:
            continue  # said by its own refresh
    return _ensure_facts(store, events, now)


def figures_of(store: Store, specs: Sequence[EventSpec], now: datetime) -> Outcomes:
    """The figures of a set of events from their kept facts: each person and page counted once."""
    plans = [Plan.of(spec) for spec in specs]
    during, people = store.group_facts(plans)
    return group_figures(plans, people, during, now)


def event_outcomes(store: Store, title: str, now: datetime) -> Outcomes:
    record = store.get_event(title)
    if record is None:
        raise NotEvaluable("evaluate-no-such-event", title=title)
    return outcomes_of(store, record, store.participants(title), now)


def outcomes_of(
    store: Store, record: EventRecord, participants: Sequence[ParticipantRecord], now: datetime
) -> Outcomes:
    """An event's outcomes, its facts counted anew at ``now``: nothing about the event is read again."""
    spec = spec_of(record)
    count_event(store, record, spec, people_from(store, record, participants), now)
    outcomes = figures_of(store, [spec], now)
    return replace(outcomes, goals=evaluate_goals(spec.goals, outcomes.figures))


def group_outcomes(store: Store, titles: Iterable[str], now: datetime) -> Outcomes:
    """A cohort or any set of events, each person and page counted once.

    An event that cannot be evaluated (no valid dates on its page, say) does not stop the group:
    the others are counted, the figures are partial and ``left_out`` says which event and why.
    """
    events: dict[str, tuple[EventRecord, EventSpec]] = {}
    left_out: list[LeftOut] = []
    records = store.events_titled(list(titles))
    for title in dict.fromkeys(titles):
        record = records.get(title)
        try:
            if record is None:
                raise NotEvaluable("evaluate-no-such-event", title=title)
            events[title] = (record, spec_of(record))
        except NotEvaluable as e:
            left_out.append(LeftOut(e.code, e.params))
    if not events:
        if not left_out:
            raise NotEvaluable("evaluate-group-empty")
        raise NotEvaluable("evaluate-group-none-counted", reasons="; ".join(r.text() for r in left_out))
    _ensure_facts(store, list(events.values()), now)
    return figures_of(store, [spec for _, spec in events.values()], now).leaving_out(left_out)


def compare(store: Store, by: str, now: datetime) -> tuple[dict[str, Outcomes], list[LeftOut]]:
    """Outcomes per value of a context field, and the events left out (with why, coded)."""
    events: list[tuple[EventRecord, EventSpec]] = []
    skipped: list[LeftOut] = []
    for record in store.list_events():
        try:
            events.append((record, spec_of(record)))
        except NotEvaluable as e:
            skipped.append(LeftOut(e.code, e.params))
    _ensure_facts(store, events, now)
    groups = group_by([spec for _, spec in events], by)
    return {name: figures_of(store, members, now) for name, members in groups.items()}, skipped
