"""Refresh one event: resolve what is still open about its people, sync, evaluate, keep a snapshot.

This is what the CLI's ``sync``, the web's refresh button and the nightly bot run for each event;
after them, ``refresh_cohorts`` keeps a snapshot of each cohort holding a refreshed event. Failures
of one wiki are recorded with the snapshot (it is then partial), never turned into zeros. What the
CLI and the web show are these snapshots: counting again is always an explicit action.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from tool.metrics import Outcomes, per_wiki
from tool.metrics.keys import DEFINITIONS_VERSION
from tool.pipeline import evaluate
from tool.pipeline.discover import cohort_events
from tool.pipeline.resolve import recheck_participants, refresh_accounts, refresh_global_accounts
from tool.pipeline.sync import Need, Progress, SyncReport, sources, sync_contributions, sync_needs
from tool.runtime import Runtime
from tool.store import EventRecord, ParticipantRecord, Store
from tool.wiki.problems import Problem


@dataclass
class RefreshReport:
    title: str
    sync: SyncReport
    account_requests: int = 0
    outcomes: Outcomes | None = None
    # Coded like the parser's (tool.wiki.problems): shown in the reader's language, stored with the snapshot.
    problems: list[Problem] = field(default_factory=list)


@dataclass
class SharedSync:
    """One sync of many events' people at once (sync_events), before each event's own refresh."""

    report: SyncReport
    # Per event title, the people synced for it (on all its wikis, up to the run's ``now``).
    users: dict[str, frozenset[str]] = field(default_factory=dict)

    def problems_for(self, wikis: Sequence[str]) -> list[Problem]:
        """The wikis that failed among those an event is synced from (with Commons' files)."""
        asked = {source.wiki for source in sources(wikis)}
        return [problem for problem in self.report.problems if problem.params.get("wiki") in asked]


def sync_events(
    rt: Runtime, store: Store, titles: Sequence[str], now: datetime, progress: Progress | None = None
) -> SharedSync:
    """The contributions of every event in ``titles``, merged across events (tool.pipeline.sync.sync_needs).

    A person in five events is asked for once per missing span, not five times (issue #8). An event
    that cannot be evaluated is left to its own refresh, which says why; people whose account is
    checked only at the refresh (unchecked at discovery) are synced by it too.
    """
    needs: list[Need] = []
    shared = SharedSync(SyncReport())
    for title in titles:
        record = store.get_event(title)
        if record is None:
            continue
        try:
            spec = evaluate.spec_of(record)
        except evaluate.NotEvaluable:
            continue
        users = frozenset(p.user for p in store.participants(title) if p.exists)
        needs.append(Need(sorted(spec.wikis), sorted(users), spec.start))
        shared.users[title] = users
    shared.report = sync_needs(store, rt.bot_client, needs, now, progress)
    return shared


def refresh_event(
    rt: Runtime,
    store: Store,
    title: str,
    now: datetime,
    progress: Progress | None = None,
    shared: SharedSync | None = None,
) -> RefreshReport:
    """Resolve, sync, evaluate from the record and people read once, then keep a snapshot.

    Resolving here is what discovery left open: names it could not check, and registration dates
    not stored yet (tool.pipeline.resolve).

    With ``shared`` (sync_events ran in this run, up to the same ``now``) only the people it did not
    sync for this event are synced here, and its problems with the event's wikis are the event's.
    """
    record = store.get_event(title)
    if record is None:
        raise evaluate.NotEvaluable("evaluate-no-such-event", title=title)
    spec = evaluate.spec_of(record)
    record, listed, recheck_problems = recheck_participants(rt, store, record, store.participants(title))
    users = sorted({p.user for p in listed if p.exists})
    wikis = sorted(spec.wikis)
    global_requests, problems = refresh_global_accounts(rt, store, users)
    account_requests, local_problems = refresh_accounts(rt, store, wikis, users)
    account_requests += global_requests
    problems += local_problems + recheck_problems
    done = shared.users.get(title, frozenset()) if shared is not None else frozenset()
    rest = [user for user in users if user not in done]
    report = SyncReport()
    if rest or shared is None:
        report = sync_contributions(store, rt.bot_client, wikis, rest, spec.start, now, progress)
    if shared is not None:
        report.problems[:0] = shared.problems_for(wikis)
    problems += report.problems
    failed = {str(problem.params["wiki"]) for problem in report.problems if "wiki" in problem.params}
    outcomes = count_and_keep(store, record, listed, now, problems, failed)
    return RefreshReport(title, report, account_requests, outcomes, problems)


def count_and_keep(
    store: Store,
    record: EventRecord,
    listed: Sequence[ParticipantRecord],
    now: datetime,
    problems: Sequence[Problem] = (),
    failed: Collection[str] = (),
) -> Outcomes:
    """Count the event from what the store holds and keep the snapshot its page shows.

    The snapshot holds the figures and goals, the per-wiki table (``failed``: the wikis whose
    contributions could not all be read, so their cells are partial) and the refresh's problems.
    """
    outcomes = evaluate.outcomes_of(store, record, listed, now)
    spec = evaluate.spec_of(record)
    table = per_wiki.per_wiki(store.wiki_sums(record.title), outcomes, spec.wikis, failed)
    keep_snapshot(
        store, "event", record.title, outcomes, now, partial=outcomes.partial or bool(problems),
        problems=problems, extra={"wikis": per_wiki.to_json(table)},
    )  # fmt: skip
    return outcomes


def keep_snapshot(
    store: Store,
    kind: str,
    title: str,
    outcomes: Outcomes,
    now: datetime,
    *,
    partial: bool,
    problems: Sequence[Problem] = (),
    extra: Mapping[str, Any] | None = None,
) -> None:
    """Store ``outcomes`` as the newest snapshot of the event or cohort ``title``, with its problems.

    ``extra``: more of what pages show and must not count on a request (an event's per-wiki table).
    """
    store.save_snapshot(
        kind,
        title,
        # The figures with what went wrong getting them: a partial snapshot says why, in any language.
        json.dumps(
            {
                **outcomes.to_dict(),
                "problems": [problem.to_json() for problem in problems],
                **(extra or {}),
            },
            ensure_ascii=False,
        ),
        definitions_version=DEFINITIONS_VERSION,
        data_time=outcomes.data_until or now,
        partial=partial,
    )


@dataclass(frozen=True)
class CohortRefresh:
    title: str
    events: int  # how many of its events were counted
    error: str | None = None  # why it could not be counted at all (no snapshot stored then)


def refresh_cohorts(
    store: Store, now: datetime, events: Collection[str] | None = None
) -> list[CohortRefresh]:
    """A new snapshot of every cohort holding one of ``events`` (None: of every cohort).

    Its events are added up from their facts (tool.store.facts; their own refresh synced and
    counted them); an event left out is said with the snapshot (left_out).
    """
    done: list[CohortRefresh] = []
    for cohort in store.list_cohorts():
        members = cohort_events(store, cohort)
        if events is not None and not set(members) & set(events):
            continue
        try:
            outcomes = evaluate.group_outcomes(store, members, now)
        except evaluate.NotEvaluable as e:
            done.append(CohortRefresh(cohort.title, 0, str(e)))
            continue
        keep_snapshot(store, "cohort", cohort.title, outcomes, now, partial=outcomes.partial)
        done.append(CohortRefresh(cohort.title, len(members) - len(outcomes.left_out)))
    return done
