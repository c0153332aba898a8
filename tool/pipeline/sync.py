"""Bring the store up to date with what an event's participants edited on its tracked wikis,
and with the files they uploaded to Commons (DESIGN §5 counts those for every event).

Only the parts of the needed window that the store does not already cover are asked for
(coverage), users that share the same gap are asked for together (50 per request), and every
API answer is committed as it arrives, so an interrupted sync resumes where it stopped.

Many events are synced together (``sync_needs``, the nightly run): each person's windows on a wiki
are merged across the events first, so a person in five events is asked once per missing span,
with everyone missing the same span, not once per event.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Protocol

from tool.metrics.inputs import COMMONS, COMMONS_FILES, FILE_NAMESPACE, Contribution
from tool.metrics.windows import RATE_SPAN
from tool.wiki.api import ApiClient, ApiError, WikiUnavailable
from tool.wiki.contribs import contributions, usercontribs_pages
from tool.wiki.problems import Problem
from tool.wiki.readahead import read_ahead
from tool.wiki.registry import UnknownWiki

# An edit saved moments ago can reach the API after later ones (replication lag, slow saves). The
# last minutes before the wall clock are fetched but not counted as covered, so the next sync asks
# for them again (duplicates are ignored) instead of missing such an edit for ever.
SETTLE = timedelta(minutes=10)

#: Told after each batch: how many are done, of how many, and which wiki the last one read.
Progress = Callable[[int, int, str], None]


@dataclass
class SyncReport:
    requests: int = 0
    contributions_added: int = 0
    windows_fetched: int = 0
    # A wiki that failed (coded, with the wiki and the error as parameters); the others were still
    # synced. Never a silent zero.
    problems: list[Problem] = field(default_factory=list)


@dataclass(frozen=True)
class Source:
    """What to fetch from one wiki: every namespace, or one, with its own coverage key."""

    wiki: str
    coverage_key: str
    namespace: int | None = None


def sources(wikis: Sequence[str]) -> list[Source]:
    """The tracked wikis in full, and Commons' File namespace when Commons is not tracked.

    DESIGN §5 counts uploads on Commons for every event; one more series of requests (50 people a
    request, ucnamespace=6) fetches them, with coverage of its own (tool.metrics.inputs.COMMONS_FILES).
    """
    found = [Source(wiki, wiki) for wiki in wikis]
    # Someone whose Commons is synced in full for another event is still asked for its files here
    # (the rows are stored once): simpler than computing gaps over two coverage keys.
    if COMMONS not in wikis:
        found.append(Source(COMMONS, COMMONS_FILES, FILE_NAMESPACE))
    return found


@dataclass(frozen=True)
class Need:
    """What one event needs: its people's contributions on its wikis from ``start`` − 8 weeks on."""

    wikis: Sequence[str]
    users: Sequence[str]
    start: datetime


def merged(needs: Sequence[Need]) -> dict[Source, dict[str, datetime]]:
    """Per source, each person's earliest window start over ``needs`` (the windows all end now).

    The merged window holds every event's window, so its gaps are the union of theirs: a span
    two events need is asked for once.
    """
    found: dict[Source, dict[str, datetime]] = {}
    for need in needs:
        window_start = need.start - RATE_SPAN
        for source in sources(need.wikis):
            starts = found.setdefault(source, {})
            for user in need.users:
                known = starts.get(user)
                if known is None or window_start < known:
                    starts[user] = window_start
    return found


class ContributionStore(Protocol):
    """What sync needs from the store (tool.store.Store implements it)."""

    def uncovered(
        self, wiki: str, users: Sequence[str], start: datetime, end: datetime
    ) -> list[tuple[datetime, datetime, list[str]]]: ...

    def add_contributions(self, wiki: str, rows: Sequence[Contribution]) -> int: ...

    def add_coverage(self, wiki: str, users: Sequence[str], start: datetime, end: datetime) -> None: ...


def sync_contributions(
    store: ContributionStore,
    client_for: Callable[[str], ApiClient],
    wikis: Sequence[str],
    users: Sequence[str],
    start: datetime,
    now: datetime,
    progress: Progress | None = None,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> SyncReport:
    """Fetch every contribution by ``users`` on ``wikis`` from ``start − 8 weeks`` up to ``now``,
    and their Commons uploads (sources)."""
    return sync_needs(store, client_for, [Need(wikis, users, start)], now, progress, clock)


def sync_needs(
    store: ContributionStore,
    client_for: Callable[[str], ApiClient],
    needs: Sequence[Need],
    now: datetime,
    progress: Progress | None = None,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> SyncReport:
    """What every one of ``needs`` needs up to ``now``, merged across them first (merged)."""
    report = SyncReport()
    settled = min(now, clock() - SETTLE)
    todo = merged(needs)
    for index, (source, starts) in enumerate(todo.items()):
        client: ApiClient | None = None
        before = 0
        try:
            # Getting the client may log in, which is a request that can fail like any other.
            client = client_for(source.wiki)
            before = client.requests_made
            _sync_source(store, client, source, starts, now, settled, report)
        except (WikiUnavailable, ApiError) as e:
            report.problems.append(
                Problem.of("wikis", None, "problem-wiki-unavailable", wiki=source.wiki, error=str(e))
            )
        except UnknownWiki:
            # A farm without Commons: its uploads then stay partial, never a silent zero.
            report.problems.append(Problem.of("wikis", None, "problem-wiki-unknown", wiki=source.wiki))
        if client is not None:
            report.requests += client.requests_made - before
        if progress:
            progress(index + 1, len(todo), source.wiki)
    return report


def _sync_source(
    store: ContributionStore,
    client: ApiClient,
    source: Source,
    starts: dict[str, datetime],
    end: datetime,
    settled: datetime,
    report: SyncReport,
) -> None:
    for (gap_start, gap_end), gap_users in _gaps(store, source, starts, end):
        pages = usercontribs_pages(client, gap_users, gap_start, gap_end, source.namespace)
        # The next page is fetched while this one is converted and stored: a sync then takes about
        # the time of its requests alone (docs/performance.md).
        for rows in read_ahead(pages):
            report.contributions_added += store.add_contributions(
                source.wiki, contributions(source.wiki, rows)
            )
        # Coverage is recorded only once the whole gap was read: a crash mid-gap re-reads it,
        # and the rows already stored are ignored as duplicates.
        covered_until = min(gap_end, settled)
        if covered_until > gap_start:
            store.add_coverage(source.coverage_key, gap_users, gap_start, covered_until)
        report.windows_fetched += 1


def _gaps(
    store: ContributionStore, source: Source, starts: dict[str, datetime], end: datetime
) -> list[tuple[tuple[datetime, datetime], list[str]]]:
    """The spans the store lacks, each with everyone who lacks exactly it (whatever their start)."""
    by_start: dict[datetime, list[str]] = {}
    for user, start in starts.items():
        by_start.setdefault(start, []).append(user)
    groups: dict[tuple[datetime, datetime], list[str]] = {}
    for start, users in sorted(by_start.items()):
        for low, high, members in store.uncovered(source.coverage_key, users, start, end):
            groups.setdefault((low, high), []).extend(members)
    return sorted(groups.items())
