"""Outcomes of an event, or of a group of events counting each person and page once.

Group semantics (a cohort, or every event of one region, language, …):

- participants: distinct existing accounts over all events.
- new_editors: people whose registration is in [start − 14 d, end] of any of their events.
- edits_during, bytes: distinct revisions inside W of an event the author takes part in, on a
  wiki that event tracks (and, for bytes, in its article namespaces).
- articles_created / improved, uploads: distinct (wiki, page) across events; uploads also on
  Commons when an event does not track it.
- retained_7d, active_month_k, retained_N: a person counts when they edited in that window
  after any of their events. retained_7d_new: new editors (as above) who count for retained_7d.
- edits_per_week_before / after: per person, the 8 weeks before their first event's start and
  after their last event's end, so no edit is counted twice.

A group figure is pending while the window is open for every event, and partial while it is
open for some, or while the data of one person at one event stops short — judged from that
event's own floor, since each event's people are synced from there. One event is the group of
one, so both follow the same code.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import NamedTuple

from tool.metrics.goals import evaluate_goals
from tool.metrics.inputs import (
    COMMONS,
    COMMONS_FILES,
    Coverage,
    EventSpec,
    Person,
    require_aware,
)
from tool.metrics.outcomes import Figure, Outcomes
from tool.metrics.tally import Attendance, Plan, Tally, first_order, last_order
from tool.metrics.windows import RATE_WEEKS, RETENTION_KEYS, Status, Window

# DESIGN §5: a new editor registered at most 14 days before the start (people often create their
# account in the days before a training).
NEW_EDITOR_LEAD = timedelta(days=14)


@dataclass(frozen=True, slots=True)
class Membership:
    """A person at one event: up to when the data holds them, from that event's own floor, and
    what the per-person figures of any group that holds the event need from them.

    ``edits_before`` / ``edits_after`` are the person's edits in this event's 8 weeks before and
    after (a group uses those of the person's first and last event); ``active`` the retention
    windows of this event in which they edited.
    """

    user: str
    plan: Plan
    until: datetime | None  # the earliest over the event's wikis; None if one was never fetched
    uploads_until: datetime | None  # the same with Commons' files, where uploads also count
    registration: datetime | None = None
    checked: bool = True  # False: a wiki was down when the name was checked
    edits_before: int = 0
    edits_after: int = 0
    active: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class DuringCounts:
    """The group's revisions and pages in W, each counted once however many events hold it."""

    edits: int = 0
    bytes_added: int = 0
    bytes_removed: int = 0
    sizes_unknown: int = 0  # article revisions whose size change the wiki could not give
    pages_edited: int = 0
    pages_created: int = 0
    uploads: int = 0

    @classmethod
    def of(cls, tally: Tally) -> DuringCounts:
        sizes = list(tally.article_sizes.values())
        return cls(
            edits=len(tally.revisions_during),
            bytes_added=sum(s for s in sizes if s is not None and s > 0),
            bytes_removed=-sum(s for s in sizes if s is not None and s < 0),
            sizes_unknown=sum(1 for s in sizes if s is None),
            pages_edited=len(tally.pages_edited),
            pages_created=len(tally.pages_created),
            uploads=len(tally.uploads),
        )


def compute_event(
    spec: EventSpec, people: Iterable[Person], coverage: Coverage, now: datetime, tally: Tally
) -> Outcomes:
    """Every figure of one event, and its goals, from its counts (``tally``)."""
    outcomes = compute_group([(spec, people)], coverage, now, tally)
    return replace(outcomes, goals=evaluate_goals(spec.goals, outcomes.figures))


def compute_group(
    events: Sequence[tuple[EventSpec, Iterable[Person]]], coverage: Coverage, now: datetime, tally: Tally
) -> Outcomes:
    """Every figure of a group of events from the pure reference's counts (the definition tests).

    ``tally``: the counts of tool.metrics.tally.tally_contributions for the people of
    ``attendance_of`` the same events. The tool itself counts each event in SQL once
    (tool.store.facts) and hands the stored counts to ``group_figures``, as this does.
    """
    require_aware(now, "now")
    plans = [Plan.of(spec) for spec, _ in events]
    people_per_event = [list(people) for _, people in events]
    attendance, _ = attendance_of(plans, people_per_event)
    listed: dict[tuple[int, str], Person] = {}
    for plan, people in zip(plans, people_per_event, strict=True):
        for person in people:
            if person.exists:
                listed.setdefault((id(plan), person.user), person)  # the first listing wins
    memberships = []
    for member in _memberships(attendance, coverage):
        person = listed[(id(member.plan), member.user)]
        memberships.append(
            replace(
                member,
                registration=person.registration,
                checked=person.checked,
                edits_before=tally.edits_before.get(member.user, 0),
                edits_after=tally.edits_after.get(member.user, 0),
                active=frozenset(key for key, users in tally.active.items() if member.user in users),
            )
        )
    return group_figures(plans, people_counts(memberships), DuringCounts.of(tally), now)


class Span(NamedTuple):
    """An event with how far the data of some of its people reaches: what statuses are judged on."""

    plan: Plan
    until: datetime | None
    uploads_until: datetime | None


@dataclass(frozen=True)
class PeopleCounts:
    """What the per-person figures of a group need, each person counted once.

    A person is a new editor when their registration, as known at one of their events, lies in
    that event's new-editor window; active in a retention window when they edited in it after any
    of their events; their edits per week are those before their first event (earliest start) and
    after their last (latest end), told apart by title on a tie (tally.first_order). ``before`` and
    ``after`` map a number of edits to how many people made it; the spans are distinct.
    """

    participants: int = 0
    new_editors: int = 0
    registration_unknown: bool = False  # someone's registration is known at none of their events
    retained_new: int = 0  # new editors who count for retained_7d
    active: Mapping[str, int] = field(default_factory=dict)
    unchecked: bool = False  # a listed name could not be checked (a wiki was down)
    before: Mapping[int, int] = field(default_factory=dict)
    after: Mapping[int, int] = field(default_factory=dict)
    spans: Sequence[Span] = ()
    before_spans: Sequence[Span] = ()  # of each person's first event
    after_spans: Sequence[Span] = ()  # of each person's last event


def people_counts(memberships: Sequence[Membership]) -> PeopleCounts:
    """PeopleCounts of memberships given in the group's order of events (the pure reference's way;
    the store gathers the same in SQL from the kept facts, tool.store.facts)."""
    attendance: dict[str, list[Membership]] = {}
    for member in memberships:
        attendance.setdefault(member.user, []).append(member)
    new = {
        user
        for user, members in attendance.items()
        if any(is_new_editor(m.registration, m.plan.spec) for m in members)
    }
    active = {
        key: {user for user, members in attendance.items() if any(key in m.active for m in members)}
        for key in RETENTION_KEYS
    }
    first = [min(members, key=lambda m: first_order(m.plan)) for members in attendance.values()]
    last = [min(members, key=lambda m: last_order(m.plan)) for members in attendance.values()]
    return PeopleCounts(
        participants=len(attendance),
        new_editors=len(new),
        registration_unknown=any(
            all(m.registration is None for m in members) for members in attendance.values()
        ),
        retained_new=len(new & active["retained_7d"]),
        active={key: len(users) for key, users in active.items()},
        unchecked=not all(m.checked for m in memberships),
        before=Counter(m.edits_before for m in first),
        after=Counter(m.edits_after for m in last),
        spans=_distinct(memberships),
        before_spans=_distinct(first),
        after_spans=_distinct(last),
    )


def _distinct(memberships: Iterable[Membership]) -> list[Span]:
    """One span per (event, coverage): the statuses depend on nothing else."""
    seen: dict[tuple[int, datetime | None, datetime | None], Span] = {}
    for m in memberships:
        seen.setdefault((id(m.plan), m.until, m.uploads_until), Span(m.plan, m.until, m.uploads_until))
    return list(seen.values())


def group_figures(
    plans: Sequence[Plan], people: PeopleCounts, during: DuringCounts, now: datetime
) -> Outcomes:
    """Every figure of a group from its people and its counts: the one place figures and statuses
    are made, for one event (the group of one) and any group (module docstring)."""
    require_aware(now, "now")
    figures = {
        "participants": Figure(people.participants, "ok"),
        **_new_editor_figures(people, plans, now),
        **_during_figures(during, plans, people.spans, now),
        **_retention_figures(people, plans, now),
        **_rate_figures("before", people.before, people.before_spans, plans, now),
        **_rate_figures("after", people.after, people.after_spans, plans, now),
    }
    if people.unchecked:
        figures = _partial_per_person(figures)
    return Outcomes(computed_at=now, data_until=_data_until(people.spans), figures=figures)


# Figures that only sum revisions: a listed name that turns out not to be an account adds nothing
# to them. Every other figure counts or averages over the people, so it depends on who took part.
_SUMS = frozenset(
    {"edits_during", "articles_created", "articles_improved", "bytes_added", "bytes_removed", "uploads"}
)


def _partial_per_person(figures: Mapping[str, Figure]) -> dict[str, Figure]:
    """Some listed names are not checked yet (a wiki was down): who took part is not known for sure."""
    return {
        key: value if key in _SUMS else replace(value, status=worst(value.status, "partial"))
        for key, value in figures.items()
    }


def attendance_of(
    plans: Sequence[Plan], people_per_event: Sequence[Iterable[Person]]
) -> tuple[dict[str, Attendance], dict[str, datetime | None]]:
    """Each existing account's events, and its registration (the first one known).

    Who is counted at which event: the tally of a group is gathered for these people.
    """
    events_of: dict[str, list[Plan]] = {}
    registrations: dict[str, datetime | None] = {}
    for plan, people in zip(plans, people_per_event, strict=True):
        for person in people:
            if not person.exists:
                continue  # DESIGN §5: participants are existing accounts only
            joined = events_of.setdefault(person.user, [])
            if plan not in joined:
                joined.append(plan)
            if registrations.get(person.user) is None:
                registrations[person.user] = person.registration
    attendance = {user: Attendance(user, tuple(joined)) for user, joined in events_of.items()}
    return attendance, registrations


def _memberships(attendance: Mapping[str, Attendance], coverage: Coverage) -> list[Membership]:
    """Each (person, event) with its coverage (``member_coverage``)."""
    return [
        Membership(user, plan, *member_coverage(plan, user, coverage))
        for user, person in attendance.items()
        for plan in person.plans
    ]


def member_coverage(plan: Plan, user: str, coverage: Coverage) -> tuple[datetime | None, datetime | None]:
    """Up to when a person's data holds at an event: (its wikis, its wikis and Commons' files).

    Judged from the event's own floor (its "before" start): a person synced for a later event only
    is complete from that event's floor on; asking from a group's earliest floor would call
    complete data partial (DESIGN §5).
    """
    floor = plan.before.start
    tracked = [coverage.until(wiki, user, floor) for wiki in sorted(plan.spec.wikis)]
    files = coverage.until_any((COMMONS, COMMONS_FILES), user, floor)
    return _earliest(tracked), _earliest([*tracked, files])


def _earliest(untils: Sequence[datetime | None]) -> datetime | None:
    """The earliest time, or None when one is None (nothing known there)."""
    if not untils or any(until is None for until in untils):
        return None
    return min(until for until in untils if until is not None)


def _data_until(spans: Sequence[Span]) -> datetime | None:
    return _earliest([m.uploads_until for m in spans])


def combined_status(
    windows: Sequence[Window], covered: Iterable[tuple[Window, datetime | None]], now: datetime
) -> Status:
    """pending if every event's window is open; partial if some are, or the data stops short."""
    closed = [window.closed_at(now) for window in windows]
    if closed and not any(closed):
        return "pending"
    if not all(closed) or not all(window.covered_by(floor) for window, floor in covered):
        return "partial"
    return "ok"


def worst(*statuses: Status) -> Status:
    for status in ("pending", "partial"):
        if status in statuses:
            return status
    return "ok"


def figure(value: int | float | None, status: Status, denominator: int | None = None) -> Figure:
    """A figure whose value is withheld while pending: an open window is never a zero."""
    return Figure(None if status == "pending" else value, status, denominator)


def is_new_editor(registration: datetime | None, spec: EventSpec) -> bool:
    return registration is not None and spec.start - NEW_EDITOR_LEAD <= registration <= spec.end


def _new_editor_figures(people: PeopleCounts, plans: Sequence[Plan], now: datetime) -> dict[str, Figure]:
    # An unknown registration may hide a new editor: the count is then a lower bound.
    new_status: Status = "partial" if people.registration_unknown else "ok"
    retained_status = _retention_status("retained_7d", plans, people.spans, now)
    return {
        "new_editors": Figure(people.new_editors, new_status),
        "retained_7d_new": figure(
            people.retained_new, worst(retained_status, new_status), people.new_editors
        ),
    }


def _during_figures(
    during: DuringCounts, plans: Sequence[Plan], spans: Sequence[Span], now: datetime
) -> dict[str, Figure]:
    windows = [p.during for p in plans]
    status = combined_status(windows, [(m.plan.during, m.until) for m in spans], now)
    # Uploads also count on Commons: its files must be held too (DESIGN §5).
    uploads_status = combined_status(windows, [(m.plan.during, m.uploads_until) for m in spans], now)
    # A revision whose size change the wiki could not give (hidden parent) makes bytes a lower bound.
    bytes_status = worst(status, "partial" if during.sizes_unknown else "ok")
    return {
        "edits_during": figure(during.edits, status),
        "articles_created": figure(during.pages_created, status),
        "articles_improved": figure(during.pages_edited - during.pages_created, status),
        "bytes_added": figure(during.bytes_added, bytes_status),
        "bytes_removed": figure(during.bytes_removed, bytes_status),
        "uploads": figure(during.uploads, uploads_status),
    }


def _retention_status(key: str, plans: Sequence[Plan], spans: Sequence[Span], now: datetime) -> Status:
    # One window per event, looked up by the event's identity (a Plan is not hashable).
    windows = {id(plan): dict(plan.retention)[key] for plan in plans}
    return combined_status(list(windows.values()), [(windows[id(m.plan)], m.until) for m in spans], now)


def _retention_figures(people: PeopleCounts, plans: Sequence[Plan], now: datetime) -> dict[str, Figure]:
    return {
        key: figure(
            people.active.get(key, 0), _retention_status(key, plans, people.spans, now), people.participants
        )
        for key in RETENTION_KEYS
    }


def _rate_figures(
    side: str, edits: Mapping[int, int], spans: Sequence[Span], plans: Sequence[Plan], now: datetime
) -> dict[str, Figure]:
    """Mean and median edits per person per week over the 8 weeks before / after (tally.Attendance).

    ``edits``: how many people made each number of edits in the window of their first (before)
    or last (after) event, whose ``spans`` say how far their data reaches. Everyone counts, those
    who did not edit with 0; the denominator is the number of people.
    """
    covered = [(_rate_window(m.plan, side), m.until) for m in spans]
    # With nobody to average, the events' own windows still say whether the figure is pending.
    windows = [window for window, _ in covered] or [_rate_window(plan, side) for plan in plans]
    status = combined_status(windows, covered, now)
    people = sum(edits.values())
    mean = sum(n * count for n, count in edits.items()) / people / RATE_WEEKS if people else None
    return {
        f"edits_per_week_{side}_mean": figure(mean, status, people),
        f"edits_per_week_{side}_median": figure(_median(edits) if people else None, status, people),
    }


def _median(counts: Mapping[int, int]) -> float:
    """The median rate of people counted by their number of edits (a histogram, not a list)."""
    total = sum(counts.values())
    middle = [(total - 1) // 2, total // 2]  # the one, or two, middle positions
    values: list[float] = []
    seen = 0
    for n in sorted(counts):
        seen += counts[n]
        while middle and middle[0] < seen:
            values.append(n / RATE_WEEKS)
            middle.pop(0)
    return (values[0] + values[1]) / 2


def _rate_window(plan: Plan, side: str) -> Window:
    return plan.before if side == "before" else plan.after
