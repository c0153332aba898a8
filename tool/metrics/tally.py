"""What every figure is counted from (Tally), the events' windows (Plan), and the reference tally.

The tool counts each event's facts in SQL (tool.store.facts) from these Plans and adds them up
for groups; this Tally is what the pure reference below fills instead.
``tally_contributions`` is the reference the tests compare that aggregation against, and the
counter of the pure definition tests: it is not used by the tool itself.

In the reference, each contribution is looked at once: its author's events (usually one) are
found by name in a dict, and the revision is sorted into the windows of those events whose wikis
it is on. Sets of revisions, pages and people keep the counts distinct when events overlap.
Anything by someone who is not a participant, or on a wiki the event does not track, is skipped.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from tool.metrics.inputs import COMMONS, FILE_NAMESPACE, Contribution, EventSpec
from tool.metrics.windows import (
    RETENTION_KEYS,
    Window,
    after_window,
    before_window,
    event_window,
    retention_windows,
)

RevKey = tuple[str, int]  # (wiki, rev_id)
PageKey = tuple[str, int]  # (wiki, page_id)


@dataclass(frozen=True)
class Plan:
    """An event with its windows worked out once."""

    spec: EventSpec
    during: Window
    before: Window
    after: Window
    retention: tuple[tuple[str, Window], ...]

    @classmethod
    def of(cls, spec: EventSpec) -> Plan:
        retention = tuple(retention_windows(spec).items())
        # observe_retention compares bounds inline, for speed; it relies on this shape.
        if any(not w.start_inclusive or w.stop_inclusive for _, w in retention):
            raise ValueError("retention windows must be [start, stop)")
        return cls(
            spec=spec,
            during=event_window(spec),
            before=before_window(spec),
            after=after_window(spec),
            retention=retention,
        )


@dataclass(frozen=True)
class Attendance:
    """A person's events in the group; the per-week rates use the first and the last of them.

    In one event both are that event. In a cohort, "before" is the 8 weeks before a person's
    first event and "after" the 8 weeks after their last, so each edit is counted once.
    """

    user: str
    plans: tuple[Plan, ...]

    @property
    def first(self) -> Plan:
        return min(self.plans, key=first_order)

    @property
    def last(self) -> Plan:
        return min(self.plans, key=last_order)


# A person's first event starts earliest, their last ends latest; two that tie are told apart by
# their page title, so the store's SQL (tool.store.facts) picks the same one.
def first_order(plan: Plan) -> tuple[datetime, str]:
    return plan.spec.start, plan.spec.key


def last_order(plan: Plan) -> tuple[float, str]:
    return -plan.spec.end.timestamp(), plan.spec.key


@dataclass
class Tally:
    revisions_during: set[RevKey] = field(default_factory=set)
    # Size changes of revisions in W in A, by revision so overlapping events count each once.
    article_sizes: dict[RevKey, int | None] = field(default_factory=dict)
    pages_edited: set[PageKey] = field(default_factory=set)
    pages_created: set[PageKey] = field(default_factory=set)
    uploads: set[PageKey] = field(default_factory=set)
    # Retention figure key → people with an edit in its window.
    active: dict[str, set[str]] = field(default_factory=lambda: {key: set() for key in RETENTION_KEYS})
    edits_before: Counter[str] = field(default_factory=Counter)
    edits_after: Counter[str] = field(default_factory=Counter)


def tally_contributions(attendance: Mapping[str, Attendance], contributions: Iterable[Contribution]) -> Tally:
    """The test reference: one pass over contributions in Python (module docstring)."""
    tally = Tally()
    rate_plans = {user: (person.first, person.last) for user, person in attendance.items()}
    for contribution in contributions:
        person = attendance.get(contribution.user)
        if person is None:
            continue
        first, last = rate_plans[contribution.user]
        for plan in person.plans:
            if contribution.wiki in plan.spec.wikis:
                observe(tally, plan, contribution, first is plan, last is plan)
            elif contribution.wiki == COMMONS:
                observe_commons_upload(tally, plan, contribution)
    return tally


def observe_commons_upload(tally: Tally, plan: Plan, c: Contribution) -> None:
    """A Commons revision for an event that does not track Commons: only an upload in W counts.

    DESIGN §5 counts uploads "on T, Commons included"; Commons' other edits are not the event's.
    """
    if is_upload(c) and plan.during.contains(c.timestamp):
        tally.uploads.add((c.wiki, c.page_id))


def is_upload(c: Contribution) -> bool:
    """A revision that created a file page."""
    return c.namespace == FILE_NAMESPACE and c.new


def observe(tally: Tally, plan: Plan, c: Contribution, rate_before: bool, rate_after: bool) -> None:
    """Sort one revision on a tracked wiki into the windows of one of its author's events."""
    when = c.timestamp
    if plan.during.contains(when):
        observe_during(tally, plan.spec, c)
    if rate_before and plan.before.contains(when):
        tally.edits_before[c.user] += 1
    if rate_after and plan.after.contains(when):
        tally.edits_after[c.user] += 1
    # Every retention window starts at or after the end; most edits are skipped by this test.
    if when >= plan.spec.end:
        observe_retention(tally, plan.retention, c)


def observe_during(tally: Tally, spec: EventSpec, c: Contribution) -> None:
    tally.revisions_during.add((c.wiki, c.rev_id))
    page = (c.wiki, c.page_id)
    if is_upload(c):
        tally.uploads.add(page)
    if c.namespace in spec.namespaces:
        tally.pages_edited.add(page)
        tally.article_sizes[(c.wiki, c.rev_id)] = c.sizediff
        if c.new:
            tally.pages_created.add(page)


def observe_retention(tally: Tally, retention: Sequence[tuple[str, Window]], c: Contribution) -> None:
    when = c.timestamp
    # Inlined Window.contains for these [start, stop) windows: this runs for most revisions.
    for key, window in retention:
        if window.start <= when and (window.stop is None or when < window.stop):
            tally.active[key].add(c.user)
