"""The farm's deterministic synthetic world: accounts, events, cohort and contribution history.

Everything comes from ``random.Random(profile.seed)`` and fixed dates, never the clock or the
global random generator, so a profile always gives the same history and byte-identical dumps.
The history is also the ground truth: ``History.contributions()`` says exactly what was written
for any user, wiki and window, and tests compare the tool's results with it.
"""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import datetime, timedelta
from typing import BinaryIO

from devwiki import articles, dump, events, pages, people
from devwiki.activity import PlannedEdit, Planner
from devwiki.seed import GENERATOR_VERSION, NOW, History, Profile, SeedEvent, SeedRevision, SeedUser

__all__ = [
    "GENERATOR_VERSION",
    "NOW",
    "PROFILES",
    "History",
    "Profile",
    "SeedEvent",
    "SeedRevision",
    "SeedUser",
    "generate",
    "write_dump",
]

PROFILES = {
    # Small and quick to import: the end-to-end tests' farm.
    "test": Profile(
        "test", seed=20260314, participants=28, activity=3.0, pool_pages=40, background_edits=250
    ),
    # Lively enough for the demo's charts and comparisons.
    "demo": Profile(
        "demo", seed=20260607, participants=120, activity=5.5, pool_pages=150, background_edits=800
    ),
    # The sync benchmark: one more event with all 520 participants in it (Profile.bench_event).
    "bench": Profile(
        "bench",
        seed=20250501,
        participants=520,
        activity=4.5,
        pool_pages=1500,
        background_edits=3000,
        bench_event=True,
    ),
}
NEW_EDITOR_SHARE = 0.4
NEW_EDITOR_LEAD = timedelta(days=14)  # DESIGN §5: registered in [start − 14 days, end]


def generate(profile: Profile) -> History:
    rng = random.Random(profile.seed)
    names = people.participant_names(rng, profile.participants)
    chosen = events.plans(profile.bench_event)
    assigned = events.assign(names, chosen)
    seed_events = [events.build(plan, assigned[plan.key]) for plan in chosen]
    registered = _registrations(rng, names, seed_events)

    planner = Planner(rng, profile)
    planner.seed_pool()
    for event in seed_events:  # first, so that no random edit takes an edge's second
        planner.edges(event, registered)
    for index, event in enumerate(seed_events):
        for name in event.participants:
            planner.participate(name, registered[name], event)
        planner.bystanders(event, index)
    planner.background()

    meta = pages.template_revisions()
    for index, event in enumerate(seed_events):
        meta += pages.event_revisions(event, index, registered)
    meta += pages.cohort_revisions(seed_events)
    users = [SeedUser(name, registered[name], "participant") for name in names] + people.staff()
    cohorts = [(events.COHORT_TITLE, events.COHORT)]
    return History(profile, users, seed_events, cohorts, meta + _revisions(rng, planner.edits))


def write_dump(history: History, wiki: str, out: BinaryIO) -> int:
    """One wiki's pages as MediaWiki export XML (schema 0.11) for importDump.php; returns the count."""
    if wiki not in history.wikis():
        raise ValueError(
            f"no wiki {wiki!r} in the {history.profile.name} history (it has {', '.join(history.wikis())})"
        )
    return dump.write_dump(history.revisions_on(wiki), wiki, out)


def _registrations(rng: random.Random, names: list[str], seed_events: list[SeedEvent]) -> dict[str, datetime]:
    """Registration dates relative to each person's first event; two sit on the new-editor edge."""
    first: dict[str, SeedEvent] = {}
    for event in sorted(seed_events, key=lambda e: e.start):
        for name in event.participants:
            first.setdefault(name, event)
    edges: dict[str, datetime] = {}
    for event in seed_events:
        # The last two people for whom this is the first event: exactly at start − 14 days (a new
        # editor) and one second earlier (not one).
        firsts = [n for n in event.participants if first[n] is event][-2:]
        start = event.window()[0]
        for name, shift in zip(firsts, (timedelta(0), timedelta(seconds=1)), strict=False):
            edges[name] = start - NEW_EDITOR_LEAD - shift
    result = {}
    for name in names:
        start, end = first[name].window()
        new = rng.random() < NEW_EDITOR_SHARE
        result[name] = edges.get(name) or people.registration(rng, start, end, new)
    return result


def _revisions(rng: random.Random, planned: list[PlannedEdit]) -> list[SeedRevision]:
    """Each page's edits in time order, with the text each leaves and the size changes that follow."""
    by_page: dict[tuple[str, str], list[PlannedEdit]] = defaultdict(list)
    for edit in planned:
        by_page[(edit.wiki, edit.title)].append(edit)
    revisions: list[SeedRevision] = []
    for key in sorted(by_page):
        previous: SeedRevision | None = None
        for edit in sorted(by_page[key], key=lambda e: e.timestamp):
            previous = _revision(rng, edit, previous)
            revisions.append(previous)
    return revisions


def _revision(rng: random.Random, edit: PlannedEdit, previous: SeedRevision | None) -> SeedRevision:
    if previous is None:
        text = articles.first_text(rng, edit.title, edit.namespace, edit.user, edit.timestamp)
        comment = edit.comment if edit.kind == "create" else f"Created page: {edit.comment}"
    else:
        text = articles.revise(rng, previous.text, edit.namespace, edit.kind, edit.user, edit.timestamp)
        comment = edit.comment
    size = len(text.encode("utf-8"))
    sizediff = size - (previous.size if previous else 0)
    return SeedRevision(
        edit.wiki,
        edit.title,
        edit.namespace,
        edit.user,
        edit.timestamp,
        text,
        size,
        sizediff,
        previous is None,
        comment,
    )
