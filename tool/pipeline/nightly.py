"""The nightly run: discover the pages, refresh every event, count what went stale, then the cohorts
and the comparisons, and draw the pages' charts ahead.

The CLI's ``nightly`` (and ``sync --all``) and the outcomes bot run this one sequence; each says what
happened in its own way, through an ``Observer``. One event that cannot be refreshed, for whatever
reason, never stops the others (issue #7); a store that is gone or a refused bot login stops the
run, as it would stop every event.

The bot refreshes inline, in its own process. When the job queue (issue #10) exists, this is the
seam: enqueue ``refresh_event`` per title and wait, then go on from ``count_stale``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from tool import messages
from tool.pipeline import evaluate
from tool.pipeline.comparisons import keep_comparisons
from tool.pipeline.discover import DiscoveryReport, discover
from tool.pipeline.refresh import (
    CohortRefresh,
    Progress,
    RefreshReport,
    SharedSync,
    refresh_cohorts,
    refresh_event,
    sync_events,
)
from tool.runtime import BotLoginFailed, Runtime
from tool.store import Store, StoreUnavailable
from tool.wiki.api import ApiError, WikiUnavailable
from tool.wiki.registry import UnknownWiki

#: Failures that stop the whole run: every other event would fail the same way.
STOPS_THE_RUN = (StoreUnavailable, BotLoginFailed)
#: Failures whose message says all (coded, in words); anything else is named with its type too.
_EXPECTED = (evaluate.NotEvaluable, ApiError, WikiUnavailable, UnknownWiki, ValueError)


class Observer(Protocol):
    """Told each step's result as soon as it is known (the CLI prints it, the bot keeps it)."""

    def progress(self, label: str) -> Progress | None: ...

    def discovered(self, report: DiscoveryReport) -> None: ...

    def shared(self, shared: SharedSync | None, error: str | None) -> None: ...

    def refreshed(self, result: EventRefresh) -> None: ...

    def cohorts(self, done: Sequence[CohortRefresh]) -> None: ...

    def comparisons(self, fields: Sequence[str]) -> None: ...


@dataclass(frozen=True)
class EventRefresh:
    """One event's refresh: its report, or why there is none."""

    title: str
    report: RefreshReport | None
    error: str | None = None
    # The event's page lacks what counting needs (dates, wikis): its organizers' to fix, not a fault.
    not_evaluable: bool = False

    @property
    def failed(self) -> bool:
        """Not refreshed, or refreshed with problems (a wiki that could not be read in full)."""
        return self.report is None or bool(self.report.problems)


@dataclass
class NightlyRun:
    discovery: DiscoveryReport
    events: list[EventRefresh] = field(default_factory=list)
    cohorts: list[CohortRefresh] = field(default_factory=list)
    comparisons: list[str] = field(default_factory=list)


def run_nightly(
    rt: Runtime, store: Store, now: datetime, observer: Observer, keep_alive: Callable[[], None]
) -> NightlyRun:
    """Discovery, a refresh of every event, the stale ones counted, then cohorts and comparisons.

    ``keep_alive`` is called between steps and events (the run's lock: tool.cli.runlock).
    """
    run = NightlyRun(discover(rt, store, force=False))
    observer.discovered(run.discovery)
    titles = [e.title for e in store.list_events()]
    run.events = refresh_events(rt, store, titles, now, observer, keep_going=True, before_each=keep_alive)
    keep_alive()
    evaluate.count_stale(store, now)
    keep_alive()
    run.cohorts = refresh_cohorts(store, now, None)
    observer.cohorts(run.cohorts)
    keep_alive()
    run.comparisons = keep_comparisons(store, now)
    observer.comparisons(run.comparisons)
    keep_alive()
    # What the pages show, drawn ahead: the first reader of each event finds its charts drawn.
    from tool.web import chartcache  # pygal and the web's readings, loaded for this step only

    chartcache.draw_ahead(store, messages.interface_languages())
    return run


def refresh_events(
    rt: Runtime,
    store: Store,
    titles: Sequence[str],
    now: datetime,
    observer: Observer,
    *,
    keep_going: bool,
    before_each: Callable[[], None] = lambda: None,
) -> list[EventRefresh]:
    """Refresh each event (tool.pipeline.refresh), their people synced together first.

    With ``keep_going`` an event that fails is recorded and the next one refreshed; without it (one
    event asked for by name) its failure is raised as it is.
    """
    shared: SharedSync | None = None
    if len(titles) > 1:
        # Every event's people at once, so a person in five events is asked for once per span.
        before_each()
        try:
            shared = sync_events(rt, store, titles, now, observer.progress("sync"))
        except Exception as e:
            # Anything but a stop leaves each event to sync its own people, as before.
            if not keep_going or _stops(e):
                raise
            observer.shared(None, why(e))
        else:
            observer.shared(shared, None)
    done: list[EventRefresh] = []
    for title in titles:
        before_each()
        try:
            report = refresh_event(rt, store, title, now, observer.progress(f"sync {title}"), shared)
        except Exception as e:
            # Every exception on purpose: one event that fails for a reason nobody foresaw must not
            # stop the events after it, and is exactly the one its organizers need to hear about.
            if not keep_going or _stops(e):
                raise
            result = EventRefresh(title, None, why(e), isinstance(e, evaluate.NotEvaluable))
        else:
            result = EventRefresh(title, report)
        observer.refreshed(result)
        done.append(result)
    return done


def why(error: BaseException) -> str:
    """What went wrong, in words: a coded error's own message, else its type and message."""
    return str(error) if isinstance(error, _EXPECTED) else f"{type(error).__name__}: {error}"


def _stops(error: BaseException) -> bool:
    return isinstance(error, STOPS_THE_RUN) or isinstance(error.__cause__, STOPS_THE_RUN)
