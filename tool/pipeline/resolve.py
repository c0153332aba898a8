"""Resolve: what the wikis say about an event's people beyond its page, asked once and stored.

A parsed page names people the page itself does not hold: a participants page
(``participants =``), a CampaignEvents registration (``registration =``), and behind every name an
account (list=users on the home wiki and the tracked wikis, CentralAuth's global account).

- Discovery resolves each event it parses (``resolve_event``): the participants page, the
  registration and the accounts, into a ResolvedEvent beside the parse result, which stays as the
  parser returned it. What each wiki said about the accounts is stored (``save_checked``). An
  ``Event:`` page without the template is an event by its registration alone
  (``registration_event``).
- Refresh resolves what is still open before a sync: names discovery could not check
  (``recheck_participants``) and registration dates not stored yet (``refresh_accounts``,
  ``refresh_global_accounts``). A registration date never changes, so nothing is asked twice.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

from tool.runtime import Runtime
from tool.store import AccountRecord, EventRecord, ParticipantRecord, Store
from tool.wiki.api import ApiError, WikiUnavailable
from tool.wiki.campaignevents import RegistrationError, RegistrationParticipants, fetch_registration
from tool.wiki.eventpage import ParsedEvent, Templates, shown, with_list
from tool.wiki.pages import PageRef, PageText, fetch_texts
from tool.wiki.participants import Participant, ParticipantsResult, participants_from_text
from tool.wiki.problems import Problem
from tool.wiki.registry import UnknownWiki
from tool.wiki.siteinfo import SiteInfo
from tool.wiki.users import Account, fetch_accounts, fetch_global_registration

# How much of a wiki's error a problem repeats: enough to tell the cause, never a whole HTML page.
ERROR_CHARS = 300


@dataclass(frozen=True)
class AccountCheck:
    accounts: dict[str, Account]  # by the name as listed; a name not in it could not be checked
    failed: list[tuple[str, str]]  # (wiki, error) for each wiki that could not be read
    # What each wiki said (its user id and registration), stored so that refresh does not ask again.
    by_wiki: dict[str, list[Account]] = field(default_factory=dict)


@dataclass(frozen=True)
class ResolvedEvent:
    """A parsed event with what the wiki said about its people; ``parsed`` is left as it was read."""

    parsed: ParsedEvent
    people: ParticipantsResult  # the page's list, with its participants page's added
    registration: RegistrationParticipants | None  # None: the page names none, or it could not be read
    accounts: AccountCheck
    # The page's problems, then those found here: participants page, registration, accounts.
    problems: list[Problem]


def resolve_event(
    rt: Runtime, store: Store, site: SiteInfo, event: ParsedEvent, templates: Templates
) -> ResolvedEvent:
    """The participants page, the registration and the accounts of a parsed event; the accounts stored."""
    people, problems = read_participants_page(rt, site, event, templates)
    registration = read_registration(rt, event, problems)
    check = check_accounts(rt, [p.user for p in people.participants], event.wikis)
    problems += account_problems([(p.user, p.line) for p in people.participants], check, rt.registry.home)
    save_checked(store, check)
    return ResolvedEvent(event, people, registration, check, [*event.problems, *problems])


def read_participants_page(
    rt: Runtime, site: SiteInfo, event: ParsedEvent, templates: Templates
) -> tuple[ParticipantsResult, list[Problem]]:
    """The page's people with its participants page's (one request), and the problems that page brings."""
    if not event.participants_page:
        return event.people, []
    for page in fetch_texts(rt.client(rt.registry.home), [event.participants_page]):
        if isinstance(page, PageText):
            # with_list reports repeats and names that cannot be accounts, as for a section.
            return with_list(event.people, participants_from_text(page.text, site, [templates.participant]))
    # Missing, invalid, special (Special:…) and interwiki titles all give no text: each is a problem.
    missing = Problem.of(
        "participants", None, "problem-participants-page-missing", page=event.participants_page
    )
    return event.people, [missing]


def read_registration(
    rt: Runtime, event: ParsedEvent, problems: list[Problem]
) -> RegistrationParticipants | None:
    """The CampaignEvents registration the page names; one that cannot be read adds a problem."""
    if event.registration is None:
        return None
    try:
        return fetch_registration(rt.client(rt.registry.home), event.registration)
    except (RegistrationError, ApiError, WikiUnavailable) as e:
        code = "problem-registration-unavailable"
        problems.append(Problem.of("registration", None, code, registration=event.registration, error=str(e)))
        return None


#: ``fields["source"]`` of an event read from its CampaignEvents registration alone.
REGISTRATION_SOURCE = "campaignevents"


def registration_event(
    rt: Runtime, ref: PageRef, registration_id: int
) -> tuple[EventRecord, list[ParticipantRecord]]:
    """An ``Event:`` page without the template, as its registration describes it, and its people.

    Read at every discovery: people register, and dates change, without a page edit.
    """
    read = fetch_registration(rt.client(rt.registry.home), registration_id)
    registration = read.registration
    problems: list[Problem] = []
    wikis: list[str] = []
    for wiki in registration.wikis:
        if wiki == "*":
            problems.append(
                Problem.of("wikis", None, "problem-registration-all-wikis", registration=registration.id)
            )
            continue
        try:
            wikis.append(rt.registry.dbname(wiki))
        except UnknownWiki:
            problems.append(Problem.of("wikis", None, "problem-unknown-wiki", value=wiki))
    if not registration.wikis:
        problems.append(
            Problem.of("wikis", None, "problem-registration-no-wikis", registration=registration.id)
        )
    fields = {"source": REGISTRATION_SOURCE}
    if read.not_visible:
        fields["registration_not_visible"] = str(read.not_visible)
    context = {"format": ", ".join(registration.types)} if registration.types else {}
    record = EventRecord(
        title=ref.title, page_id=ref.page_id, rev_id=ref.latest_revision, name=registration.name,
        fields=fields, context=context, goals={}, problems=[p.to_json() for p in problems],
        start=registration.start, end=registration.end, timezone=registration.timezone, wikis=wikis,
        namespaces=[0], cohort=None, registration=registration.id, parsed_at=datetime.now(UTC),
    )  # fmt: skip
    people = [
        ParticipantRecord(person.user_name, None, "registration", global_user_id=person.user_id)
        for person in read.participants
    ]
    return record, people


def save_checked(store: Store, check: AccountCheck) -> None:
    """Keep the accounts each wiki knows: a registration date never changes, so it is asked once."""
    for wiki, accounts in check.by_wiki.items():
        store.save_accounts(
            wiki,
            [
                AccountRecord(user=a.name, user_id=a.user_id, registration=a.registration, state=a.state)
                for a in accounts
                if a.state == "ok"
            ],
        )


def check_accounts(rt: Runtime, names: Sequence[str], wikis: Sequence[str]) -> AccountCheck:
    """Each name checked with list=users (50 a request) on the home wiki, then on the tracked wikis.

    A name is an account if the home wiki or any tracked wiki knows it (without CentralAuth an
    account can exist on one wiki only). So when a wiki cannot be read, a name that no wiki read so
    far knows is left unchecked — never taken as an account, never as missing.
    """
    home = rt.registry.home
    try:
        accounts = fetch_accounts(rt.client(home), names)
    except (ApiError, WikiUnavailable) as e:
        return AccountCheck({}, [(home, str(e))])
    by_wiki = {home: list(accounts.values())}
    failed: list[tuple[str, str]] = []
    for wiki in wikis:
        unknown = [name for name, account in accounts.items() if account.state == "missing"]
        if not unknown:
            break
        try:
            found = fetch_accounts(rt.client(wiki), unknown)
        except (ApiError, WikiUnavailable) as e:
            failed.append((wiki, str(e)))
            continue
        by_wiki[wiki] = list(found.values())
        accounts.update({n: a for n, a in found.items() if a.state == "ok"})
    if failed:
        accounts = {name: account for name, account in accounts.items() if account.state != "missing"}
    return AccountCheck(accounts, failed, by_wiki)


def account_problems(
    listed: Sequence[tuple[str, int | None]], check: AccountCheck, home: str
) -> list[Problem]:
    """The problems of listed (name, line) pairs: missing, invalid, blocked, and each wiki not read."""
    problems: list[Problem] = []
    for user, line in listed:
        account = check.accounts.get(user)
        if account is None:
            continue
        if account.state == "missing":
            problems.append(Problem.of("participants", line, "problem-account-missing", user=user, wiki=home))
        elif account.state == "invalid":
            problems.append(Problem.of("participants", line, "problem-account-invalid", user=user, wiki=home))
        elif account.blocked:
            problems.append(Problem.of("participants", line, "problem-account-blocked", user=user, wiki=home))
    unchecked = sum(1 for user, _ in listed if user not in check.accounts)
    for wiki, error in check.failed:
        problems.append(
            Problem.of("participants", None, "problem-accounts-unchecked", wiki=wiki, count=unchecked,
                       error=shown(error, ERROR_CHARS))
        )  # fmt: skip
    return problems


def participant_records(
    listed: Sequence[Participant], registration: RegistrationParticipants | None, accounts: dict[str, Account]
) -> list[ParticipantRecord]:
    """The people to store: those listed on the pages, then those only the registration names."""
    records: list[ParticipantRecord] = []
    seen: set[str] = set()
    for entry in listed:
        account = accounts.get(entry.user)
        state = "unchecked" if account is None else ("blocked" if account.blocked else account.state)
        name = account.name if account is not None and account.state == "ok" else entry.user
        exists = state in ("ok", "blocked", "unchecked")
        records.append(ParticipantRecord(name, entry.line, "page", exists=exists, state=state))
        seen.add(name)
    for person in registration.participants if registration else ():
        if person.user_name not in seen:
            seen.add(person.user_name)
            records.append(
                ParticipantRecord(person.user_name, None, "registration", global_user_id=person.user_id)
            )
    return records


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
