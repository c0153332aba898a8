"""Benchmark: the nightly refresh of 1,000 events against a scripted API (issue #8, item 5).

1,000 events on five Wikipedias (a few track Commons too), 12,000 people of whom half are in
several events, each with up to 30 revisions a wiki. The store holds the events, their people and
their accounts as discovery leaves them; then the tool's own refresh of every event runs as the
nightly job runs it (``python -m tool sync --all``, the nightly's step after discovery, in its own
process, configured with the scripted wikis as its farm) against bench/scripted_api.py, which
counts every request it answers.

The floor is what the union of people and spans costs at least: per series of requests
(tool.pipeline.sync.sources: each wiki, and Commons' files), each person's windows across their
events merged into one span; the people with the same span asked together, at least
ceil(people / users a request) and ceil(rows / rows a request) requests for each span.

    .venv/bin/python -m bench.nightly [--events N] [--high-limits]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bench.scripted_api import LIMIT, LIMIT_HIGH, Row, ScriptedWikis, WikiData, farm_status, rows_in, serve
from tool.metrics.inputs import COMMONS
from tool.pipeline.sync import Need, merged
from tool.store import AccountRecord, EventRecord, ParticipantRecord, Store

ROOT = Path(__file__).resolve().parent.parent
NOW = datetime(2026, 1, 1, tzinfo=UTC)
HISTORY_FROM = datetime(2023, 9, 1, tzinfo=UTC)
WIKIS = ["enwiki", "frwiki", "swwiki", "eswiki", "arwiki"]
HOME = "metawiki"
# How many events one person is in: half in one, a long tail up to twelve (as bench/scale.py).
EVENTS_PER_PERSON = {1: 50, 2: 18, 3: 10, 4: 7, 5: 5, 6: 3, 8: 3, 10: 2, 12: 2}
USERS_PER_REQUEST = 50
USERS_PER_REQUEST_HIGH = 500
TARGET = 1.1


@dataclass
class Plan:
    events: list[tuple[str, datetime, list[str], list[str]]]  # title, start, wikis, people
    wikis: dict[str, WikiData]


def plan(events: int, people: int, seed: int = 8) -> Plan:
    """Events, their people (many in several events) and every person's revisions on their wikis."""
    rng = random.Random(seed)
    drafts: list[tuple[str, datetime, list[str], list[str]]] = []
    for n in range(events):
        start = datetime(2024, 1, 1, tzinfo=UTC) + timedelta(days=rng.randrange(700), hours=rng.randrange(24))
        wikis = rng.sample(WIKIS, rng.choice((1, 1, 1, 2, 2)))
        if rng.random() < 0.05:
            wikis.append(COMMONS)
        drafts.append((f"Event outcomes/Nightly/Event {n:04d}", start, wikis, []))
    pull = [rng.paretovariate(1.3) for _ in drafts]
    for person in range(people):
        count = min(rng.choices(list(EVENTS_PER_PERSON), weights=list(EVENTS_PER_PERSON.values()))[0], events)
        for index in set(rng.choices(range(events), weights=pull, k=count)):
            drafts[index][3].append(f"Nightly user {person}")
    drafts = [draft for draft in drafts if draft[3]]
    span = int((NOW - HISTORY_FROM).total_seconds())
    on: dict[str, dict[str, list[Row]]] = {wiki: {} for wiki in [*WIKIS, COMMONS, HOME]}
    revid = 0
    for _title, _start, wikis, names in drafts:
        for wiki in [*wikis, COMMONS]:  # everyone may upload to Commons
            for name in names:
                if name in on[wiki]:
                    continue
                rows = []
                for _ in range(rng.randrange(31 if wiki != COMMONS else 6)):
                    revid += 1
                    ns = rng.choice((6, 6, 0, 14)) if wiki == COMMONS else rng.choice((0, 0, 0, 1, 2, 4))
                    when = HISTORY_FROM + timedelta(seconds=rng.randrange(span))
                    page = rng.randrange(1, 20_000)
                    rows.append(
                        Row(
                            revid,
                            page,
                            ns,
                            f"Page {page}",
                            when,
                            rng.randrange(-500, 3000),
                            rng.random() < 0.2,
                        )
                    )
                on[wiki][name] = sorted(rows, key=lambda r: (r.timestamp, r.revid))
    return Plan(drafts, {wiki: WikiData(users) for wiki, users in on.items()})


def fill(store: Store, planned: Plan) -> None:
    """The events, people and accounts as discovery stores them (so the refresh asks no account)."""
    for n, (title, start, wikis, names) in enumerate(planned.events):
        store.save_event(
            EventRecord(
                title=title, page_id=n + 1, rev_id=n + 1, name=title, fields={}, context={}, goals={},
                problems=[], start=start, end=start + timedelta(days=2), timezone="UTC", wikis=wikis,
                namespaces=[0], cohort=None, registration=None, parsed_at=NOW,
            )
        )  # fmt: skip
        store.replace_participants(title, [ParticipantRecord(name, i + 1) for i, name in enumerate(names)])
    for wiki, data in planned.wikis.items():
        accounts = [
            AccountRecord(name, actor, datetime(2020, 1, 1, tzinfo=UTC)) for name, actor in data.actor.items()
        ]
        store.save_accounts(wiki, accounts)


def floor(planned: Plan, high_limits: bool) -> int:
    """Requests the union of people and spans needs at least (see the module's docstring)."""
    users_max = USERS_PER_REQUEST_HIGH if high_limits else USERS_PER_REQUEST
    rows_max = LIMIT_HIGH if high_limits else LIMIT
    needs = [Need(wikis, names, start) for _title, start, wikis, names in planned.events]
    total = 0
    for source, starts in merged(needs).items():
        by_span: dict[datetime, list[str]] = {}
        for name, low in starts.items():
            by_span.setdefault(low, []).append(name)
        data = planned.wikis[source.wiki]
        for low, names in by_span.items():
            rows = sum(rows_in(data.users.get(name, []), low, NOW, source.namespace) for name in names)
            total += max(math.ceil(len(names) / users_max), math.ceil(rows / rows_max))
    return total


def run(events: int, people: int, high_limits: bool) -> dict[str, Any]:
    planned = plan(events, people)
    scripted = ScriptedWikis(planned.wikis, high_limits=high_limits)
    memberships = sum(len(names) for *_, names in planned.events)
    distinct = len({name for *_, names in planned.events for name in names})
    with tempfile.TemporaryDirectory() as tmp, serve(scripted) as apis:
        farm = Path(tmp) / "farm.json"
        farm.write_text(json.dumps(farm_status(apis, HOME)))
        url = f"sqlite:///{tmp}/nightly.sqlite"
        store = Store(url)
        store.upgrade()
        fill(store, planned)
        store.dispose()
        env = {**os.environ, "TOOL_FARM": str(farm), "TOOL_DATABASE_URL": url, "TOOL_INSTANCE_PATH": tmp}
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "tool", "sync", "--all", "--now", NOW.isoformat()],
            cwd=ROOT, env=env, capture_output=True, text=True, check=False,
        )  # fmt: skip
        seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"the refresh failed:\n{done.stdout[-2000:]}\n{done.stderr[-4000:]}")
    counts = scripted.counts.by_kind
    contribs = sum(n for kind, n in counts.items() if kind.startswith("usercontribs"))
    shared = next((line for line in done.stdout.splitlines() if line.startswith("All events together")), "")
    return {
        "events": len(planned.events),
        "people": distinct,
        "memberships": memberships,
        "requests": sum(counts.values()),
        "usercontribs": contribs,
        "other": {kind: n for kind, n in counts.items() if not kind.startswith("usercontribs")},
        "floor": floor(planned, high_limits),
        "seconds": seconds,
        "summary": shared,
    }


def main(argv: list[str] | None = None) -> bool:
    parser = argparse.ArgumentParser(prog="python -m bench.nightly")
    parser.add_argument("--events", type=int, default=1_000)
    parser.add_argument("--people", type=int, default=12_000)
    parser.add_argument("--high-limits", action="store_true", help="the scripted wikis grant apihighlimits")
    args = parser.parse_args(argv)
    result = run(args.events, args.people, args.high_limits)
    limits = "500 users/5000 rows" if args.high_limits else "50 users/500 rows"
    print(
        f"{result['events']:,} events, {result['people']:,} people in {result['memberships']:,} places "
        f"(a person in {result['memberships'] / result['people']:.2f} events on average); limits {limits}"
    )
    print(f"  {result['summary']}")
    print(
        f"  refresh of every event: {result['requests']:,} requests "
        f"({result['usercontribs']:,} usercontribs, "
        f"other {result['other']}) in {result['seconds']:.0f} s"
    )
    ratio = result["requests"] / result["floor"]
    verdict = "ok" if ratio <= TARGET else "MISSED"
    print(f"  floor for the union of people and spans: {result['floor']:,} requests")
    print(f"  requests / floor: {ratio:.3f}  (target ≤ {TARGET})  {verdict}")
    return ratio <= TARGET


if __name__ == "__main__":
    sys.exit(0 if main() else 1)
