"""Discovery: find event and cohort pages on the home wiki, parse the changed ones, store them.

Events and cohorts are the pages that transclude their templates (``list=embeddedin``). A page
is parsed again only when its latest revision differs from the one stored, or when it moved
(same page id, new title: its participants and snapshots follow it). Each event page goes
parse (tool.wiki.eventpage, pure) → resolve (tool.pipeline.resolve: its participants page,
registration and accounts) → store. Each page's problems are stored with it; one broken page
never stops the others.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from functools import partial

from tool.pipeline.resolve import (
    ERROR_CHARS,
    REGISTRATION_SOURCE,
    participant_records,
    registration_event,
    resolve_event,
)
from tool.runtime import Runtime
from tool.store import CohortRecord, EventRecord, Store
from tool.wiki.api import ApiError, WikiUnavailable
from tool.wiki.campaignevents import EVENT_NAMESPACE, fetch_page_registration_id
from tool.wiki.cohortpage import ParsedCohort, cohort_members, has_cohort_template, parse_cohort
from tool.wiki.eventpage import ParsedEvent, Templates, parse_event, shown
from tool.wiki.pages import PageRef, PageText, fetch_namespace_pages, fetch_texts, fetch_transclusions
from tool.wiki.problems import Problem
from tool.wiki.siteinfo import SiteInfo


@dataclass(frozen=True)
class Found:
    kind: str  # "event" or "cohort"
    title: str
    status: str  # "parsed", "unchanged", "moved" (and parsed), "failed", "gone", "purged"
    problems: int
    message: str = ""


@dataclass
class DiscoveryReport:
    entries: list[Found] = field(default_factory=list)
    requests: int = 0
    moved: set[str] = field(default_factory=set)  # new titles of events whose page was moved
    # Templates with no transclusion at all: their stored pages were kept, not marked gone.
    unused_templates: list[str] = field(default_factory=list)
    # Why CampaignEvents' Event: pages were not looked for, as (message key, parameters); None: they were.
    event_namespace_skipped: tuple[str, dict[str, str]] | None = None


def templates_of(rt: Runtime) -> Templates:
    return Templates.from_config(rt.config)


def home_site(rt: Runtime) -> SiteInfo:
    return rt.siteinfo(rt.registry.home)


def parse_text(rt: Runtime, text: str, title: str) -> ParsedEvent | ParsedCohort:
    """Parse a page's text as the home wiki would: a cohort page if it uses the cohort template."""
    templates = templates_of(rt)
    if has_cohort_template(text, templates):
        return parse_cohort(text, home_site(rt), title=title, templates=templates)
    return parse_event(text, home_site(rt), rt.registry, title=title, templates=templates)


def parse_page(rt: Runtime, title: str) -> ParsedEvent | ParsedCohort:
    for page in fetch_texts(rt.client(rt.registry.home), [title]):
        if isinstance(page, PageText):
            return parse_text(rt, page.text, page.title)
    raise ValueError(f"there is no page {title!r} on {rt.registry.home}")


def discover_page(rt: Runtime, store: Store, title: str) -> Found:
    """Read one event page again now and store it, as discovery would: after the tool itself
    edited it (registered, changed its settings, added or struck a participant), so that the
    tool's pages show the edit without waiting for the next discovery."""
    for page in fetch_texts(rt.client(rt.registry.home), [title]):
        if isinstance(page, PageText):
            ref = PageRef(page.title, page.page_id, page.revision)
            action = partial(_store_event, rt, store, home_site(rt), ref, page, templates_of(rt))
            return _isolated(store, "event", ref, action)
    return Found("event", title, "gone", 0)


def discover(rt: Runtime, store: Store, *, force: bool = False) -> DiscoveryReport:
    home = rt.client(rt.registry.home)
    before = rt.requests_made()
    report = DiscoveryReport()
    templates = templates_of(rt)
    site = home_site(rt)
    events = fetch_transclusions(home, templates.event)
    cohorts = fetch_transclusions(home, templates.cohort)
    for ref, text in _changed(rt, store, events, force, report, "event"):
        found = _isolated(store, "event", ref, partial(_store_event, rt, store, site, ref, text, templates))
        moved = ref.title in report.moved and found.status == "parsed"
        report.entries.append(replace(found, status="moved") if moved else found)
    for ref, text in _changed(rt, store, cohorts, force, report, "cohort"):
        report.entries.append(
            _isolated(store, "cohort", ref, partial(_store_cohort, store, site, ref, text, templates))
        )
    registered = _discover_event_namespace(rt, store, site, events, force, report)
    _mark_gone(rt, store, [*events, *registered], cohorts, report)
    report.requests = rt.requests_made() - before
    return report


def _discover_event_namespace(
    rt: Runtime, store: Store, site: SiteInfo, templated: Sequence[PageRef], force: bool,
    report: DiscoveryReport,
) -> list[PageRef]:  # fmt: skip
    """CampaignEvents' ``Event:`` pages that do not use the template: events with a registration only.

    Organizers who use the extension alone are not left out (issue #8). A page that also uses the
    template was read above, once (the template wins; its ``registration =`` adds the people). The
    registration is read at every run — people register, and dates change, without a page edit —
    but the page is viewed for its registration id only when its revision changed. Returns the
    pages that are events (and those stored before, when the namespace could not be listed), so
    that marking pages gone leaves them alone.
    """
    home = rt.registry.home
    if EVENT_NAMESPACE not in site.names:
        report.event_namespace_skipped = ("cli-discover-no-event-namespace", {"wiki": home})
        return []
    try:
        refs = fetch_namespace_pages(rt.client(home), EVENT_NAMESPACE)
    except (ApiError, WikiUnavailable) as e:
        report.event_namespace_skipped = (
            "cli-discover-event-namespace-failed", {"wiki": home, "error": shown(str(e), ERROR_CHARS)}
        )  # fmt: skip
        return [
            PageRef(e.title, e.page_id, e.rev_id)
            for e in store.list_events()
            if e.fields.get("source") == REGISTRATION_SOURCE
        ]
    taken = {ref.title for ref in templated}
    events: list[PageRef] = []
    for ref in refs:
        if ref.title in taken:
            continue
        stored = store.get_event(ref.title, include_gone=True)
        moved = store.event_by_page_id(ref.page_id) if stored is None else None
        if moved is not None and moved.title != ref.title:
            # Moved on the wiki (same page id): its people and snapshots follow it, as for templates.
            store.rename_event(moved.title, ref.title)
            stored = store.get_event(ref.title, include_gone=True)
        changed = force or stored is None or stored.rev_id != ref.latest_revision
        action = partial(_store_registration_event, rt, store, ref, stored, changed)
        found = _isolated(store, "event", ref, action)
        if found.status != "none":
            events.append(ref)
            report.entries.append(
                replace(found, status="moved") if moved and found.status == "parsed" else found
            )
    return events


def _store_registration_event(
    rt: Runtime, store: Store, ref: PageRef, stored: EventRecord | None, changed: bool
) -> Found:
    """Store an Event: page from its registration; status "none" when the page has no registration."""
    if changed or stored is None or stored.registration is None:
        registration_id = fetch_page_registration_id(rt.client(rt.registry.home), ref.title)
    else:
        registration_id = stored.registration
    if registration_id is None:
        return Found("event", ref.title, "none", 0)
    record, participants = registration_event(rt, ref, registration_id)
    store.save_event(record)
    store.replace_participants(ref.title, participants)
    return Found("event", ref.title, "parsed" if changed else "unchanged", len(record.problems))


def _mark_gone(
    rt: Runtime, store: Store, events: Sequence[PageRef], cohorts: Sequence[PageRef], report: DiscoveryReport
) -> None:
    """Pages that no longer transclude their template (deleted, or the template removed) leave.

    They vanish from lists, comparisons and ``sync --all`` now: vandalism that the wiki's admins
    removed must not stay visible here. Their data is removed GONE_GRACE_DAYS later, unless the page
    comes back first (an undeletion restores it as it was). After the pages are stored, so that a
    moved event is already under its new title.
    """
    now = datetime.now(UTC)
    templates = templates_of(rt)
    for kind, refs, template in (("event", events, templates.event), ("cohort", cohorts, templates.cohort)):
        if not refs:
            # No page uses the template at all: far likelier a renamed template or a wrong
            # EVENT_TEMPLATE/COHORT_TEMPLATE than every page deleted at once. Hiding (and later
            # purging) everything on such a mistake would lose data, so nothing is marked gone.
            report.unused_templates.append(template)
            continue
        for title in store.mark_gone(kind, [ref.title for ref in refs], now):
            report.entries.append(Found(kind, title, "gone", 0))
    grace = timedelta(days=float(rt.config["GONE_GRACE_DAYS"]))
    for kind, title in store.purge_gone(now - grace):
        report.entries.append(Found(kind, title, "purged", 0))


def _changed(
    rt: Runtime, store: Store, refs: Sequence[PageRef], force: bool, report: DiscoveryReport, kind: str
) -> list[tuple[PageRef, PageText]]:
    """The pages whose latest revision is not the one stored, with their text."""
    todo: list[PageRef] = []
    for ref in refs:
        stored = store.parsed_revision(ref.title)
        if kind == "event" and stored is None:
            moved = store.event_by_page_id(ref.page_id)
            if moved is not None and moved.title != ref.title:
                store.rename_event(moved.title, ref.title)
                report.moved.add(ref.title)
                stored = moved.rev_id
        if force or stored != ref.latest_revision:
            todo.append(ref)
        else:
            # include_gone: an undeleted page is back under its old revision; _mark_gone shows it again.
            get = store.get_event if kind == "event" else store.get_cohort
            record = get(ref.title, include_gone=True)
            report.entries.append(Found(kind, ref.title, "unchanged", len(record.problems) if record else 0))
    by_title = {ref.title: ref for ref in todo}
    texts: list[tuple[PageRef, PageText]] = []
    for page in fetch_texts(rt.client(rt.registry.home), list(by_title)):
        if isinstance(page, PageText) and page.title in by_title:
            texts.append((by_title[page.title], page))
    return texts


def _isolated(store: Store, kind: str, ref: PageRef, action: Callable[[], Found]) -> Found:
    """One page's parse and store; whatever fails is stored as a problem on the page, and the run goes on.

    Every exception is caught on purpose: one page must never stop the pages after it (issue #7), and
    one that fails for a reason nobody foresaw is exactly the page an organizer needs to hear about.
    Only a store that cannot take the failure either (the database is down) ends the run.
    """
    try:
        return action()
    except Exception as e:
        error = shown(f"{type(e).__name__}: {e}", ERROR_CHARS)
        problems = _store_failure(
            store, kind, ref, Problem.of("page", None, "problem-page-failed", error=error)
        )
        return Found(kind, ref.title, "failed", problems, message=error)


def _store_failure(store: Store, kind: str, ref: PageRef, problem: Problem) -> int:
    """Keep what an earlier revision gave, with the failure added; else the page with only its problem.

    The stored revision stays the earlier one (0 when there is none), so the next discovery reads the
    page again instead of taking the failure as its final word. Returns the number of problems stored.
    """
    now = datetime.now(UTC)
    old = store.get_event(ref.title) if kind == "event" else store.get_cohort(ref.title)
    if old is not None:
        problems = [p for p in old.problems if p.get("code") != problem.code] + [problem.to_json()]
        # Failed half-way (its participants, say): this revision was not read in full.
        rev_id = 0 if old.rev_id == ref.latest_revision else old.rev_id
        if isinstance(old, EventRecord):
            store.save_event(replace(old, rev_id=rev_id, problems=problems, parsed_at=now))
        else:
            store.save_cohort(replace(old, rev_id=rev_id, problems=problems, parsed_at=now))
        return len(problems)
    if kind == "event":
        store.save_event(
            EventRecord(
                title=ref.title, page_id=ref.page_id, rev_id=0, name=ref.title, fields={}, context={},
                goals={}, problems=[problem.to_json()], start=None, end=None, timezone="UTC", wikis=[],
                namespaces=[0], cohort=None, registration=None, parsed_at=now,
            )
        )  # fmt: skip
    else:
        store.save_cohort(
            CohortRecord(ref.title, ref.page_id, 0, ref.title, [], False, [problem.to_json()], now)
        )
    return 1


def _store_cohort(store: Store, site: SiteInfo, ref: PageRef, page: PageText, templates: Templates) -> Found:
    cohort = parse_cohort(page.text, site, title=page.title, templates=templates)
    store.save_cohort(
        CohortRecord(ref.title, ref.page_id, page.revision, cohort.name, cohort.events, cohort.match,
                     [p.to_json() for p in cohort.problems], datetime.now(UTC))
    )  # fmt: skip
    return Found("cohort", ref.title, "parsed", len(cohort.problems))


def _store_event(
    rt: Runtime, store: Store, site: SiteInfo, ref: PageRef, page: PageText, templates: Templates
) -> Found:
    """Parse, resolve (participants page, registration, accounts), store: the flow for one event page."""
    event = parse_event(page.text, site, rt.registry, title=page.title, templates=templates)
    resolved = resolve_event(rt, store, site, event, templates)
    registration = resolved.registration
    not_visible = registration.not_visible if registration else 0
    fields = dict(event.fields)
    if not_visible:
        fields["registration_not_visible"] = str(not_visible)
    store.save_event(
        EventRecord(
            title=page.title, page_id=page.page_id, rev_id=page.revision, name=event.name, fields=fields,
            context=event.context, goals=event.goals, problems=[p.to_json() for p in resolved.problems],
            start=event.start, end=event.end, timezone=event.timezone or "UTC", wikis=event.wikis,
            namespaces=event.namespaces, cohort=event.cohort, registration=event.registration,
            parsed_at=datetime.now(UTC),
        )
    )  # fmt: skip
    records = participant_records(resolved.people.participants, registration, resolved.accounts.accounts)
    store.replace_participants(page.title, records)
    return Found("event", page.title, "parsed", len(resolved.problems))


def cohort_events(store: Store, cohort: CohortRecord) -> list[str]:
    """The cohort's events, without those whose page is gone (even when the cohort lists them)."""
    gone = {e.title for e in store.list_events(include_gone=True) if e.gone_at is not None}
    members = cohort_members(cohort, [(e.title, e.cohort) for e in store.list_events()])
    return [title for title in members if title not in gone]
