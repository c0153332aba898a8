"""Small contribution histories for the outcome definition tests, written as readable tables.

One training: W = [2026-03-14 00:00:00, 2026-03-15 23:59:59] UTC, tracked wikis swwiki and
commonswiki, article namespace 0. Times in tests are written relative to START and END.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime, timedelta

from tool.metrics import Contribution, Coverage, EventSpec, Outcomes, Person, compute_event
from tool.metrics.compute import attendance_of
from tool.metrics.inputs import COMMONS_FILES
from tool.metrics.tally import Plan, Tally, tally_contributions
from tool.metrics.windows import RATE_SPAN

START = datetime(2026, 3, 14, 0, 0, 0, tzinfo=UTC)
END = datetime(2026, 3, 15, 23, 59, 59, tzinfo=UTC)
DAY = timedelta(days=1)
SECOND = timedelta(seconds=1)
# Long after every window closed (the last, retained_180d, closes at END + 210 d).
LATE = END + 400 * DAY
OLD_ACCOUNT = datetime(2015, 1, 1, tzinfo=UTC)
WIKIS = frozenset({"swwiki", "commonswiki"})

_rev_ids = itertools.count(1000)


def event(key: str = "Training", start: datetime = START, end: datetime = END, **fields: object) -> EventSpec:
    values: dict[str, object] = {"wikis": WIKIS, "namespaces": frozenset({0})} | fields
    return EventSpec(key, start, end, **values)  # type: ignore[arg-type]


def edit(
    user: str,
    at: datetime,
    wiki: str = "swwiki",
    ns: int = 0,
    page: int = 1,
    size: int | None = 10,
    new: bool = False,
) -> Contribution:
    return Contribution(wiki, next(_rev_ids), user, page, ns, f"Page {page}", at, size, new)


def people(*names: str, registration: datetime | None = OLD_ACCOUNT) -> list[Person]:
    return [Person(name, registration) for name in names]


def covered(specs: Iterable[EventSpec], names: Iterable[str], until: datetime) -> Coverage:
    """Complete data up to ``until`` for every name on every wiki of the events and Commons' files,
    from the earliest moment any event looks at."""
    specs = list(specs)
    wikis = {wiki for spec in specs for wiki in spec.wikis} | {COMMONS_FILES}
    since = min(spec.start for spec in specs) - RATE_SPAN
    return Coverage({(wiki, name): [(since, until)] for wiki in wikis for name in names})


def reference_tally(
    events: Sequence[tuple[EventSpec, Iterable[Person]]], history: Iterable[Contribution]
) -> Tally:
    """The events' counts by the pure reference tally, which the store's SQL aggregation matches."""
    plans = [Plan.of(spec) for spec, _ in events]
    attendance, _ = attendance_of(plans, [list(listed) for _, listed in events])
    return tally_contributions(attendance, history)


def outcomes(
    history: Iterable[Contribution],
    participants: list[Person],
    spec: EventSpec | None = None,
    now: datetime = LATE,
    coverage: Coverage | None = None,
) -> Outcomes:
    spec = spec or event()
    if coverage is None:
        coverage = covered([spec], [p.user for p in participants], now)
    return compute_event(spec, participants, coverage, now, reference_tally([(spec, participants)], history))


def values(result: Outcomes, *keys: str) -> Mapping[str, int | float | None]:
    return {key: result.figures[key].value for key in keys}
