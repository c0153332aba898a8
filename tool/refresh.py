"""Refresh one event: check its participants' accounts, sync their contributions, keep a snapshot.

This is what the CLI's ``sync``, the web's refresh button and the nightly bot run for each event.
Failures of one wiki are recorded with the snapshot (it is then partial), never turned into zeros.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime

from tool import evaluate
from tool.discovery import account_problems, check_accounts
from tool.metrics import Outcomes
from tool.metrics.keys import DEFINITIONS_VERSION
from tool.runtime import Runtime
from tool.store import AccountRecord, EventRecord, ParticipantRecord, Store
from tool.sync import SyncReport, sync_contributions
from tool.wiki.api import ApiError, WikiUnavailable
from tool.wiki.users import Account, fetch_accounts, fetch_global_registration, has_centralauth

Progress = Callable[[float, str], None]


@dataclass
class RefreshReport:
    title: str
    sync: SyncReport
    account_requests: int = 0
    outcomes: Outcomes | None = None
    problems: list[str] = field(default_factory=list)


def refresh_accounts(
    rt: Runtime, store: Store, wikis: Sequence[str], users: Sequence[str]
) -> tuple[int, list[str]]:
    """Registration dates on each tracked wiki (the earliest counts where there is no CentralAuth)."""
    requests = 0
    problems: list[str] = []
    for wiki in wikis:
        client = rt.client(wiki)
        before = client.requests_made
        try:
            accounts = fetch_accounts(client, users)
        except (WikiUnavailable, ApiError) as e:
            problems.append(f"{wiki}: could not read accounts ({e})")
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


def refresh_global_accounts(rt: Runtime, store: Store, users: Sequence[str]) -> tuple[int, list[str]]:
    """Global registration dates (meta=globaluserinfo, one name a request) where CentralAuth exists.

    A registration date never changes, so only people without a stored global account are asked.
    """
    client = rt.client(rt.registry.home)
    before = client.requests_made
    problems: list[str] = []
    try:
        if has_centralauth(client):
            known = store.known_accounts("global", users)
            found: list[AccountRecord] = []
            for user in users:
                if user in known:
                    continue
                result = fetch_global_registration(client, user)
                if result is not None:
                    found.append(AccountRecord(user=user, user_id=result[0], registration=result[1]))
            store.save_accounts("global", found)
    except (WikiUnavailable, ApiError) as e:
        problems.append(f"{rt.registry.home}: could not read global accounts ({e})")
    return client.requests_made - before, problems


def recheck_participants(rt: Runtime, store: Store, record: EventRecord) -> list[str]:
    """Names discovery could not check (a wiki was down) are checked now, and the page's problems follow.

    Until then they are counted as "unchecked" and the figures that depend on them are partial.
    """
    listed = store.participants(record.title)
    unchecked = [p for p in listed if p.state == "unchecked"]
    if not unchecked:
        return []
    check = check_accounts(rt, [p.user for p in unchecked], record.wikis)
    if check.accounts:
        store.replace_participants(record.title, [_checked(p, check.accounts.get(p.user)) for p in listed])
    found = account_problems([(p.user, p.line) for p in unchecked], check, rt.registry.home)
    kept = [p for p in record.problems if p.get("code") != "problem-accounts-unchecked"]
    store.save_event(replace(record, problems=kept + [problem.to_json() for problem in found]))
    return [f"{wiki}: could not check accounts ({error})" for wiki, error in check.failed]


def _checked(participant: ParticipantRecord, account: Account | None) -> ParticipantRecord:
    if participant.state != "unchecked" or account is None:
        return participant
    state = "blocked" if account.blocked else account.state
    name = account.name if account.state == "ok" else participant.user
    return replace(participant, user=name, state=state, exists=state in ("ok", "blocked"))


def refresh_event(
    rt: Runtime, store: Store, title: str, now: datetime, progress: Progress | None = None
) -> RefreshReport:
    record = store.get_event(title)
    if record is None:
        raise evaluate.NotEvaluable(
            f"{title}: no such event in the store (run `python -m tool discover` first)"
        )
    spec = evaluate.spec_of(record)
    recheck_problems = recheck_participants(rt, store, record)
    users = sorted({p.user for p in store.participants(title) if p.exists})
    wikis = sorted(spec.wikis)
    global_requests, problems = refresh_global_accounts(rt, store, users)
    account_requests, local_problems = refresh_accounts(rt, store, wikis, users)
    account_requests += global_requests
    problems += local_problems + recheck_problems
    report = sync_contributions(store, rt.bot_client, wikis, users, spec.start, now, progress)
    problems += [f"{wiki}: {message}" for wiki, message in report.problems]
    outcomes = evaluate.event_outcomes(store, title, now)
    store.save_snapshot(
        "event",
        title,
        outcomes.to_json(),
        definitions_version=DEFINITIONS_VERSION,
        data_time=outcomes.data_until or now,
        partial=outcomes.partial or bool(problems),
    )
    return RefreshReport(title, report, account_requests, outcomes, problems)
