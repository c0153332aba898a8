"""Refresh one event: check its participants' accounts, sync their contributions, keep a snapshot.

This is what the CLI's ``sync``, the web's refresh button and the nightly bot run for each event;
after them, ``refresh_cohorts`` keeps a snapshot of each cohort holding a refreshed event. Failures
of one wiki are recorded with the snapshot (it is then partial), never turned into zeros. What the
CLI and the web show are these snapshots: counting again is always an explicit action.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime

from tool.metrics import Outcomes
from tool.metrics.keys import DEFINITIONS_VERSION
from tool.pipeline import evaluate
from tool.pipeline.discover import account_problems, check_accounts, cohort_events, save_checked
from tool.pipeline.sync import Need, SyncReport, sources, sync_contributions, sync_needs
from tool.runtime import Runtime
from tool.store import AccountRecord, EventRecord, ParticipantRecord, Store
from tool.wiki.api import ApiError, WikiUnavailable
from tool.wiki.problems import Problem
from tool.wiki.users import Account, fetch_accounts, fetch_global_registration

Progress = Callable[[float, str], None]


@dataclass
class RefreshReport:
    title: str
    sync: SyncReport
    account_requests: int = 0
    outcomes: Outcomes | None = None
    # Coded like the parser's (tool.wiki.problems): shown in the reader's language, stored with the snapshot.
    problems: list[Problem] = field(default_factory=list)


def refresh_accounts(
    rt: Runtime, store: Store, wikis: Sequence[str], users: Sequence[str]
) -> tuple[int, list[Problem]]:
    """Registration dates on each tracked wiki (the earliest counts where there is no CentralAuth).

    A registration date never changes, so a wiki is asked only about people it has not told before
    (discovery stores what it learned while checking the names) and who have no global date.
    """
    requests = 0
    problems: list[Problem] = []
    settled = {user for user, date in store.registrations(users, []).items() if date is not None}
    for wiki in wikis:
        known = store.known_accounts(wiki, users, state="ok")
        todo = [user for user in users if user not in known and user not in settled]
        if not todo:
            continue
        client = rt.client(wiki)
        before = client.requests_made
        try:
            accounts = fetch_accounts(client, todo)
        except (WikiUnavailable, ApiError) as e:
            code = "problem-refresh-accounts-failed"
            problems.append(Problem.of("participants", None, code, wiki=wiki, error=str(e)))
            continue
        finally:
            requests += client.requests_made - before
        store.save_accounts(
            wiki,
            [
                AccountRecord(user=a.name, user_id=a.user_id, registration=a.registration, state=a.state)
                for a in accounts.values()
            ],
        )
    return requests, problems


def refresh_global_accounts(rt: Runtime, store: Store, users: Sequence[str]) -> tuple[int, list[Problem]]:
    """Global registration dates (meta=globaluserinfo, one name a request) where CentralAuth exists.

    A registration date never changes, so only people without a stored global account are asked;
    a name CentralAuth does not know is stored as such, and not asked again either.
    """
    home = rt.registry.home
    before = rt.requests_made()
    problems: list[Problem] = []
    try:
        known = store.known_accounts("global", users)
        todo = [user for user in users if user not in known]
        if todo and rt.has_centralauth(home):
            client = rt.client(home)
            found: list[AccountRecord] = []
            for user in todo:
                result = fetch_global_registration(client, user)
                if result is None:
                    found.append(AccountRecord(user=user, user_id=None, registration=None, state="missing"))
                else:
                    found.append(AccountRecord(user=user, user_id=result[0], registration=result[1]))
            store.save_accounts("global", found)
    except (WikiUnavailable, ApiError) as e:
        problems.append(
            Problem.of(
                "participants", None, "problem-refresh-global-accounts-failed", wiki=home, error=str(e)
            )
        )
    return rt.requests_made() - before, problems


def recheck_participants(
    rt: Runtime, store: Store, record: EventRecord, listed: list[ParticipantRecord]
) -> tuple[EventRecord, list[ParticipantRecord], list[Problem]]:
    """Names discovery could not check (a wiki was down) are checked now, and the page's problems follow.

    Until then they are counted as "unchecked" and the figures that depend on them are partial.
    Returns the record and participants as stored now, and a problem for each wiki still not read.
    """
    unchecked = [p for p in listed if p.state == "unchecked"]
    if not unchecked:
        return record, listed, []
    check = check_accounts(rt, [p.user for p in unchecked], record.wikis)
    save_checked(store, check)
    if check.accounts:
        listed = [_checked(p, check.accounts.get(p.user)) for p in listed]
        store.replace_participants(record.title, listed)
    found = account_problems([(p.user, p.line) for p in unchecked], check, rt.registry.home)
    kept = [p for p in record.problems if p.get("code") != "problem-accounts-unchecked"]
    record = replace(record, problems=kept + [problem.to_json() for problem in found])
    store.save_event(record)
    failed = [
        Problem.of("participants", None, "problem-refresh-accounts-failed", wiki=wiki, error=error)
        for wiki, error in check.failed
    ]
    return record, listed, failed


def _checked(participant: ParticipantRecord, account: Account | None) -> ParticipantRecord:
    if participant.state != "unchecked" or account is None:
        return participant
    state = "blocked" if account.blocked else account.state
    name = account.name if account.state == "ok" else participant.user
    return replace(participant, user=name, state=state, exists=state in ("ok", "blocked"))


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
    """Accounts, then contributions, then outcomes from the record and people read once, then a snapshot.

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
    outcomes = evaluate.outcomes_of(store, record, listed, now)
    partial = outcomes.partial or bool(problems)
    keep_snapshot(store, "event", title, outcomes, now, partial=partial, problems=problems)
    return RefreshReport(title, report, account_requests, outcomes, problems)


def keep_snapshot(
    store: Store,
    kind: str,
    title: str,
    outcomes: Outcomes,
    now: datetime,
    *,
    partial: bool,
    problems: Sequence[Problem] = (),
) -> None:
    """Store ``outcomes`` as the newest snapshot of the event or cohort ``title``, with its problems."""
    store.save_snapshot(
        kind,
        title,
        # The figures with what went wrong getting them: a partial snapshot says why, in any language.
        json.dumps(
            {**outcomes.to_dict(), "problems": [problem.to_json() for problem in problems]},
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

    Its events are counted from what the store holds (their own refresh synced them), in the one
    SQL aggregation of tool.store.tally; an event left out is said with the snapshot (left_out).
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
