"""Outcomes of stored events, cohorts and context groups: the store's records in, Outcomes out.

The definitions themselves are pure (tool.metrics); this module only gathers their inputs from
the store — the event's window, its participants with their registration dates, the counts of
their stored contributions (aggregated in SQL, tool.store.tally) and how far the store's
coverage reaches — and says clearly when an event cannot be evaluated (its page lacks dates or
wikis) instead of producing zeros.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from tool import messages
from tool.metrics import Coverage, EventSpec, Outcomes, Person, compute_event, compute_group
from tool.metrics.compute import attendance_of
from tool.metrics.groups import group_by
from tool.metrics.inputs import COMMONS, COMMONS_FILES
from tool.metrics.tally import Plan, Tally
from tool.store import EventRecord, ParticipantRecord, Store
from tool.store.tally import group_tally
from tool.wiki.eventpage import MAX_WIKIS
from tool.wiki.eventtime import in_bounds


class NotEvaluable(ValueError):
    """The event (or every event of a group) lacks what the definitions need; the message says what.

    Like a page's ``Problem``, it is coded: ``code`` is an i18n message key (``evaluate-…`` in
    i18n/en.json) and ``params`` its parameters, so a client can show it in the reader's language;
    ``str()`` is the English text, for logs, the command line and a snapshot's ``left_out``.
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
    """The stored spans on the events' wikis and on Commons (whose uploads always count, DESIGN §5).

    Each membership is judged from its own event's floor (tool.metrics.compute), so every span
    is read, not only the one holding the group's earliest start.
    """
    return store.coverage(sorted({*wikis, COMMONS, COMMONS_FILES}), users)


def _counted(
    store: Store, events: Sequence[tuple[EventSpec, list[Person]]], now: datetime
) -> tuple[Tally, Coverage]:
    """The counts of a set of events — one event is the group of one — and the data's coverage.

    tool.store.tally aggregates the stored contributions in the database (one window table for
    every event of the group), so neither 10,000 people nor millions of revisions pass through
    Python one by one; tool.metrics.compute turns those counts into figures and statuses.
    """
    plans = [Plan.of(spec) for spec, _ in events]
    attendance, _ = attendance_of(plans, [people for _, people in events])
    wikis = {wiki for spec, _ in events for wiki in spec.wikis}
    return group_tally(store, attendance, now), _coverage(store, wikis, sorted(attendance))


def event_outcomes(store: Store, title: str, now: datetime) -> Outcomes:
    record = store.get_event(title)
    if record is None:
        raise NotEvaluable("evaluate-no-such-event", title=title)
    return outcomes_of(store, record, store.participants(title), now)


def outcomes_of(
    store: Store, record: EventRecord, participants: Sequence[ParticipantRecord], now: datetime
) -> Outcomes:
    """event_outcomes for a record and participants already read: nothing about the event is read again."""
    spec = spec_of(record)
    people = people_from(store, record, participants)
    tally, coverage = _counted(store, [(spec, people)], now)
    return compute_event(spec, people, coverage, now, tally)


def group_outcomes(store: Store, titles: Iterable[str], now: datetime) -> Outcomes:
    """A cohort or any set of events, each person and page counted once.

    An event that cannot be evaluated (no valid dates on its page, say) does not stop the group:
    the others are counted, the figures are partial and ``left_out`` says which event and why.
    """
    events: list[tuple[EventSpec, list[Person]]] = []
    left_out: list[str] = []
    for title in titles:
        record = store.get_event(title)
        try:
            if record is None:
                raise NotEvaluable("evaluate-no-such-event", title=title)
            events.append((spec_of(record), people_of(store, record)))
        except NotEvaluable as e:
            left_out.append(str(e))
    if not events:
        if not left_out:
            raise NotEvaluable("evaluate-group-empty")
        raise NotEvaluable("evaluate-group-none-counted", reasons="; ".join(left_out))
    tally, coverage = _counted(store, events, now)
    return compute_group(events, coverage, now, tally).leaving_out(left_out)


def compare(store: Store, by: str, now: datetime) -> tuple[dict[str, Outcomes], list[str]]:
    """Outcomes per value of a context field, and the events left out (with why)."""
    specs: list[EventSpec] = []
    skipped: list[str] = []
    for record in store.list_events():
        try:
            specs.append(spec_of(record))
        except NotEvaluable as e:
            skipped.append(str(e))
    groups = group_by(specs, by)
    return {
        name: group_outcomes(store, [s.key for s in members], now) for name, members in groups.items()
    }, skipped
