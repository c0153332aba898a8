"""What an event counts, person by person: the data behind "why a number is what it is".

Read from the store as it stands (no wiki is asked, no outcome computed): the revisions the
event counts (tool.store.contributions.Counting — its participants' edits in W on its tracked
wikis, and their Commons uploads when it does not track Commons), how many each participant
has, and for a participant with none the reason, as a coded message (``why-reason-…``):

- no account of that name, or not a valid name (the page lists one, discovery found none);
- their edits are not fetched yet (the store's coverage does not hold the window on a wiki);
- they edited during the event, but only on wikis it does not track (as far as the store knows:
  it holds the wikis of every event a person is in, not every wiki);
- their stored edits on the tracked wikis are all before, or after, the event;
- no edit on the tracked wikis during the event.

The window's bounds and the coverage rules are the definitions' own (tool.metrics.windows,
tool.metrics.compute.member_coverage, tool.store.facts.window_bounds), so an edit at an edge is
counted here exactly when the outcomes count it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from tool.metrics.compute import member_coverage
from tool.metrics.inputs import COMMONS, COMMONS_FILES, Coverage
from tool.metrics.tally import Plan
from tool.metrics.windows import Status
from tool.store import EventRecord, ParticipantRecord, Store
from tool.store.contributions import CountedOf, Counting
from tool.store.facts import window_bounds

#: The reasons, in the order the totals list them (each an i18n key, and ``…-total`` its label).
REASONS = (
    "why-reason-no-account",
    "why-reason-invalid-name",
    "why-reason-not-fetched",
    "why-reason-elsewhere",
    "why-reason-before",
    "why-reason-after",
    "why-reason-before-and-after",
    "why-reason-none",
)
TIME_FORMAT = "%Y-%m-%d %H:%M"


@dataclass(frozen=True)
class Reason:
    code: str  # one of REASONS
    params: dict[str, str | list[str]] = field(default_factory=dict)  # list_…: a list of names


@dataclass(frozen=True)
class PersonRow:
    """A participant as the page lists them: what is counted of theirs, or why nothing is."""

    user: str
    counted: CountedOf
    reason: Reason | None  # None: something of theirs is counted
    status: Status = "ok"  # of their own count: pending while W is open, partial while data is missing

    @property
    def total(self) -> int:
        return self.counted.edits + self.counted.uploads_only


@dataclass(frozen=True)
class Overview:
    counting: Counting
    status: Status  # pending while W is open; partial when someone's data does not hold W
    people: list[PersonRow]  # every listed name once, in the page's order

    @property
    def edits(self) -> int:
        return sum(person.counted.edits for person in self.people)

    @property
    def uploads_only(self) -> int:
        return sum(person.counted.uploads_only for person in self.people)

    @property
    def with_counted(self) -> int:
        return sum(1 for person in self.people if person.reason is None)

    def by_reason(self) -> list[tuple[str, int]]:
        """(reason, how many participants) for each reason someone has, in REASONS' order."""
        counts = Counter(person.reason.code for person in self.people if person.reason is not None)
        return [(code, counts[code]) for code in REASONS if counts[code]]

    def row_of(self, user: str) -> PersonRow | None:
        return next((person for person in self.people if person.user == user), None)


def counting_of(record: EventRecord, plan: Plan, now: datetime) -> Counting:
    low, high = window_bounds(plan.during, now)
    return Counting(record.title, tuple(sorted(plan.spec.wikis)), low, high)


def overview(store: Store, record: EventRecord, plan: Plan, now: datetime) -> Overview:
    counting = counting_of(record, plan, now)
    listed = _once_each(store.participants(record.title))
    users = [p.user for p in listed if p.exists]
    counted = store.counted_per_user(counting)
    coverage = store.coverage(sorted({*counting.wikis, COMMONS, COMMONS_FILES}), users)
    closed = plan.during.closed_at(now)
    without = [user for user in users if user not in counted]
    outside = store.edits_outside(counting.wikis, without, counting.low, counting.high)
    elsewhere = store.edits_elsewhere(counting.wikis, without, counting.low, counting.high)
    people: list[PersonRow] = []
    for participant in listed:
        user = participant.user
        if not participant.exists:
            code = "why-reason-invalid-name" if participant.state == "invalid" else "why-reason-no-account"
            people.append(PersonRow(user, CountedOf(0, 0), Reason(code)))  # no account: 0 is final
            continue
        status = _status(plan, user, coverage, closed)
        found = counted.get(user)
        if found is not None:
            people.append(PersonRow(user, found, None, status))
            continue
        reason = _reason(_unfetched(plan, user, coverage, closed), elsewhere.get(user), outside.get(user))
        people.append(PersonRow(user, CountedOf(0, 0), reason, status))
    # The list's own status: pending while W is open, else partial if anyone's is.
    overall: Status = "pending" if not closed else "ok"
    if closed and any(person.status == "partial" for person in people):
        overall = "partial"
    return Overview(counting, overall, people)


def _once_each(participants: Sequence[ParticipantRecord]) -> list[ParticipantRecord]:
    """Each name once, where the page first lists it (the outcomes count a person once too)."""
    first: dict[str, ParticipantRecord] = {}
    for participant in participants:
        first.setdefault(participant.user, participant)
    return list(first.values())


def _unfetched(plan: Plan, user: str, coverage: Coverage, closed: bool) -> list[str]:
    """The tracked wikis whose stored data of ``user`` does not hold W (so far, while it is open).

    From the event's floor, as member_coverage judges a person's data.
    """
    missing = []
    for wiki in sorted(plan.spec.wikis):
        until = coverage.until(wiki, user, plan.before.start)
        held = plan.during.covered_by(until) if closed else until is not None and until >= plan.during.start
        if not held:
            missing.append(wiki)
    return missing


def _reason(
    unfetched: list[str], elsewhere: list[str] | None, outside: tuple[datetime | None, datetime | None] | None
) -> Reason:
    if unfetched:
        return Reason("why-reason-not-fetched", {"list_wikis": unfetched})
    if elsewhere:
        return Reason("why-reason-elsewhere", {"list_wikis": elsewhere})
    last, first = outside or (None, None)
    if last is not None and first is not None:
        return Reason("why-reason-before-and-after", {"last": _time(last), "first": _time(first)})
    if last is not None:
        return Reason("why-reason-before", {"last": _time(last)})
    if first is not None:
        return Reason("why-reason-after", {"first": _time(first)})
    return Reason("why-reason-none")


def _status(plan: Plan, user: str, coverage: Coverage, closed: bool) -> Status:
    """As the outcomes' "during" figures are judged: pending while W is open, partial when data is short."""
    if not closed:
        return "pending"
    until, uploads_until = member_coverage(plan, user, coverage)
    if plan.during.covered_by(until) and plan.during.covered_by(uploads_until):
        return "ok"
    return "partial"


def _time(moment: datetime) -> str:
    return moment.strftime(TIME_FORMAT)
