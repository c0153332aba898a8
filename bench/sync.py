"""Benchmark: this tool's batched sync against the per-user pywikibot loop (issue #4, item 7).

Run by ``make bench`` on the farm's ``bench`` profile (≥ 500 participants, ≥ 50,000 revisions).
Each measured step runs in its own process, so its peak memory is its own:

  (a) full     the tool's sync of the bench event's participants on its wikis, into a new store
  (b) incr     the same sync again after ~1 % new edits were imported: only the new window is asked
  (c) per-user pywikibot, ``User.contributions()`` for each participant on each wiki, same windows
  (d) minimum  per wiki, the usercontribs pages needed at 50 users and ``uclimit`` rows a request
  (e) replay   the exact requests of a full sync sent again with a plain ``requests.Session`` (same
               host, in series, the answers read and dropped): the physical limit of this path,
               timed alternately with full syncs into new stores in the same process

and the outcomes of one event with 10,000 participants and 1,000,000 contributions, generated
straight into a SQLite store. It checks that (a) and (c) found the same revisions, then prints
requests, wall seconds and peak memory for each, and the ratios against the targets.
"""

from __future__ import annotations

import json
import math
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
FARM_STATUS = ROOT / ".devwiki" / "bench" / "farm.json"
BENCH_TITLE = "Event outcomes/Benchmark/Global edit-a-thon May 2025"
LOOKBACK = timedelta(weeks=8)
INCREMENT_SHARE = 0.01


def _bench_event() -> Any:
    from devwiki.generator import PROFILES, generate

    history = generate(PROFILES["bench"])
    event = next(e for e in history.events if e.title == BENCH_TITLE)
    return history, event


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _config(db: str) -> dict[str, Any]:
    from tool.config import load_config

    return {**load_config(Path(tempfile.gettempdir())), "FARM": str(FARM_STATUS), "DATABASE_URL": db}


def _windows(event: Any, now: datetime) -> tuple[datetime, datetime]:
    start, _end = event.window()
    return start - LOOKBACK, now


# --- steps, each run in a child process -------------------------------------------------------


def _upgrade(db: str) -> None:
    """Create the schema, as `python -m tool db upgrade` does (nothing else migrates)."""
    from tool.store import Store

    store = Store(db)
    store.upgrade()
    store.dispose()


def step_tool(db: str, now_iso: str) -> dict[str, Any]:
    """(a) or (b): the tool's sync of every participant on the event's wikis, up to ``now``."""
    from tool.pipeline.sync import sync_contributions
    from tool.runtime import Runtime

    _history, event = _bench_event()
    now = datetime.fromisoformat(now_iso)
    rt = Runtime(_config(db))
    store = rt.store
    started = time.perf_counter()
    report = sync_contributions(
        store, rt.bot_client, list(event.wikis), list(event.participants), event.window()[0], now
    )
    seconds = time.perf_counter() - started
    low, high = _windows(event, now)
    found = store.contribution_tuples(list(event.wikis), list(event.participants), low, high)
    return {
        "requests": report.requests,
        # The bot's sessions, before the sync proper: login token, login and rights on each wiki, or
        # one rights request where the kept session is still valid (tool.wiki.api.ApiClient.login).
        "session_requests": rt.requests_made() - report.requests,
        "seconds": seconds,
        "peak_mib": _peak_mib(),
        "added": report.contributions_added,
        "problems": [problem.message for problem in report.problems],
        "found": sorted([row[0], row[1]] for row in found),
        "per_wiki_rows": _rows_per_wiki(store, event, low, high),
    }


def _rows_per_wiki(store: Any, event: Any, low: datetime, high: datetime) -> dict[str, dict[str, int]]:
    """Rows per series of requests the sync makes (tool.pipeline.sync.sources): each tracked wiki, and
    Commons' File namespace for the uploads, which costs at least one request per chunk even empty."""
    from tool.pipeline.sync import sources

    counts: dict[str, dict[str, int]] = {}
    for source in sources(list(event.wikis)):
        per_user = counts.setdefault(source.coverage_key, {})
        for row in store.contribution_tuples([source.wiki], list(event.participants), low, high):
            if source.namespace is None or row[4] == source.namespace:
                per_user[row[2]] = per_user.get(row[2], 0) + 1
    return counts


# Alternating pairs; the ratio is of the sums, steadier than best against best on a busy machine.
REPETITIONS = 5


def step_wall(now_iso: str) -> dict[str, Any]:
    """(e): full syncs into new stores, each followed by a replay of the requests it sent."""
    import requests

    from tool.pipeline.sync import sources, sync_contributions
    from tool.runtime import Runtime
    from tool.store import Store

    _history, event = _bench_event()
    now = datetime.fromisoformat(now_iso)
    synced: list[float] = []
    replayed: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        rt = Runtime(_config(f"sqlite:///{tmp}/unused.sqlite"))
        sent: list[tuple[str, str, dict[str, Any]]] = []
        plain = requests.Session()
        for source in sources(list(event.wikis)):
            # Logged in before any timing, as the replay's session then is: the same identity,
            # so the same limits and the same answers.
            client = rt.bot_client(source.wiki)
            plain.cookies.update(client.session.cookies)
            plain.headers["User-Agent"] = client.session.headers["User-Agent"]
            client.session.request = _recording(client.session.request, sent)  # type: ignore[method-assign]
        for n in range(REPETITIONS):
            db = f"sqlite:///{tmp}/full-{n}.sqlite"
            _upgrade(db)
            store = Store(db)
            sent.clear()
            started = time.perf_counter()
            sync_contributions(
                store, rt.bot_client, list(event.wikis), list(event.participants), event.window()[0], now
            )
            synced.append(time.perf_counter() - started)
            store.dispose()
            requests_sent = list(sent)
            started = time.perf_counter()
            for method, url, kwargs in requests_sent:
                plain.request(method, url, **kwargs).content  # noqa: B018 - read the whole answer, parse nothing
            replayed.append(time.perf_counter() - started)
    return {"requests": len(requests_sent), "synced": synced, "replayed": replayed}


def _recording(request: Any, sent: list[tuple[str, str, dict[str, Any]]]) -> Any:
    """``request`` that first notes what it is asked to send (method, URL, query and form)."""

    def recorded(method: str, url: str, *args: Any, **kwargs: Any) -> Any:
        kept = {key: kwargs[key] for key in ("params", "data", "headers", "timeout") if kwargs.get(key)}
        sent.append((method, url, kept))
        return request(method, url, *args, **kwargs)

    return recorded


def step_pywikibot(now_iso: str) -> dict[str, Any]:
    """(c): what an organizer would otherwise write (bench/pywikibot_baseline.py)."""
    from bench.pywikibot_baseline import fetch_per_user

    _history, event = _bench_event()
    status = json.loads(FARM_STATUS.read_text())
    apis = {wiki: status["wikis"][wiki]["api"] for wiki in event.wikis}
    low, high = _windows(event, datetime.fromisoformat(now_iso))
    started = time.perf_counter()
    found, requests = fetch_per_user(apis, list(event.participants), low, high)
    seconds = time.perf_counter() - started
    return {
        "requests": requests,
        "seconds": seconds,
        "peak_mib": _peak_mib(),
        "found": sorted(map(list, found)),
    }


def step_outcomes(participants: int = 10_000, contributions: int = 1_000_000) -> dict[str, Any]:
    """One event's outcomes over a store holding ``contributions`` rows by ``participants`` people."""
    from bench.synthetic import fill_store
    from tool.pipeline import evaluate

    with tempfile.TemporaryDirectory() as tmp:
        store, title, now = fill_store(f"sqlite:///{tmp}/outcomes.sqlite", participants, contributions)
        started = time.perf_counter()
        outcomes = evaluate.event_outcomes(store, title, now)
        seconds = time.perf_counter() - started
        return {
            "seconds": seconds,
            "peak_mib": _peak_mib(),
            "participants": outcomes.figures["participants"].value,
            "edits_during": outcomes.figures["edits_during"].value,
        }


# --- the parent -------------------------------------------------------------------------------


def _child(*args: str) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-m", "bench.sync", *args], cwd=ROOT, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise SystemExit(f"bench step {args[0]} failed:\n{done.stderr[-4000:]}")
    result: dict[str, Any] = json.loads(done.stdout.splitlines()[-1])
    return result


def minimum_requests(
    per_wiki_rows: dict[str, dict[str, int]], users: list[str], limit: int, per_request: int
) -> int:
    """(d): per wiki and chunk of ``per_request`` users, ceil(rows / limit) pages (at least one)."""
    total = 0
    for rows in per_wiki_rows.values():
        for i in range(0, len(users), per_request):
            chunk_rows = sum(rows.get(user, 0) for user in users[i : i + per_request])
            total += max(1, math.ceil(chunk_rows / limit))
    return total


def import_increment(event: Any, when: datetime) -> int:
    """Import ~1 % new revisions (new pages by participants, at ``when``) into the event's wikis."""
    from devwiki.dump import write_dump
    from devwiki.mediawiki import maintenance
    from devwiki.seed import SeedRevision

    status = json.loads(FARM_STATUS.read_text())
    history, _ = _bench_event()
    wikis = list(event.wikis)
    total = sum(1 for r in history.revisions if r.wiki in wikis)
    count = max(1, round(total * INCREMENT_SHARE))
    stamp = when.strftime("%Y%m%d%H%M%S")
    for index, wiki in enumerate(wikis):
        revisions = []
        for n in range(index, count, len(wikis)):
            user = event.participants[n % len(event.participants)]
            text = f"Benchmark increment {stamp} number {n} by {user}."
            revisions.append(
                SeedRevision(
                    wiki,
                    f"Bench increment {stamp}/{n}",
                    0,
                    user,
                    when,
                    text,
                    len(text),
                    len(text),
                    True,
                    "bench",
                )
            )
        with tempfile.NamedTemporaryFile("wb", suffix=".xml", delete=False) as out:
            write_dump(revisions, wiki, out.file)  # type: ignore[arg-type]
        try:
            maintenance(
                Path(status["wikis"][wiki]["settings"]),
                "importDump.php",
                "--username-prefix=",
                "--quiet",
                out.name,
            )
        finally:
            os.unlink(out.name)
    return count


def main() -> bool:
    """Runs every step and prints the figures; whether every target was met."""
    if not FARM_STATUS.exists():
        raise SystemExit("the bench farm is not running: python -m devwiki start --profile bench")
    history, event = _bench_event()
    users = list(event.participants)
    print(
        f"bench event: {len(users)} participants on {', '.join(event.wikis)}; "
        f"farm history {len(history.revisions):,} revisions"
    )
    now = datetime.now(UTC).replace(microsecond=0)
    with tempfile.TemporaryDirectory() as tmp:
        db = f"sqlite:///{tmp}/bench.sqlite"
        _upgrade(db)
        full = _child("tool", db, now.isoformat())
        per_user = _child("pywikibot", now.isoformat())
        same = full["found"] == per_user["found"]
        added = import_increment(event, now + timedelta(seconds=1))
        later = max(datetime.now(UTC).replace(microsecond=0), now + timedelta(seconds=2))
        incremental = _child("tool", db, later.isoformat())
    wall = _child("wall", now.isoformat())
    outcomes = _child("outcomes")
    minimum_50 = minimum_requests(full["per_wiki_rows"], users, 500, 50)
    minimum_high = minimum_requests(full["per_wiki_rows"], users, 5000, 500)
    rows = len(full["found"])
    print(f"contributions in the windows: {rows:,}; (a) and (c) found the same revisions: {same}")
    print(f"{'step':34} {'requests':>9} {'seconds':>9} {'peak MiB':>9}")
    for name, step in (
        ("(a) tool, full sync", full),
        (f"(b) tool, incremental (+{added} edits)", incremental),
        ("(c) pywikibot per-user loop", per_user),
    ):
        print(f"{name:34} {step['requests']:>9} {step['seconds']:>9.2f} {step['peak_mib']:>9.0f}")
    print(f"{'(d) minimum at 50 users/500 rows':34} {minimum_50:>9}")
    print(
        f"{'    minimum at 500 users/5000 rows':34} {minimum_high:>9}   (the bot account has apihighlimits)"
    )
    print(
        f"{'    bot sessions before (a), (b)':34} {full['session_requests']:>9}, "
        f"{incremental['session_requests']} (login token, login and rights; rights alone when kept)"
    )
    print(
        f"{'outcomes, 10,000 people, 1M rows':34} {'':>9} "
        f"{outcomes['seconds']:>9.2f} {outcomes['peak_mib']:>9.0f}"
    )
    synced, replayed = sum(wall["synced"]), sum(wall["replayed"])
    print(
        f"{'(e) full sync / its replay':34} {wall['requests']:>9} {synced:>9.2f} {replayed:>9.2f} (sums of "
        + ", ".join(f"{a:.2f}/{b:.2f}" for a, b in zip(wall["synced"], wall["replayed"], strict=True))
        + ")"
    )
    checks = [
        ("(a) requests ≤ 1.1 × (d)", full["requests"] / minimum_50, 1.1),
        # The floor at the account's own limits: its rights come with the bot's session, not the sync.
        ("(a) requests ≤ 1.1 × high minimum", full["requests"] / minimum_high, 1.1),
        ("(a) wall ≤ 1/3 × (c)", full["seconds"] / per_user["seconds"], 1 / 3),
        ("(b) wall ≤ 0.2 × (a)", incremental["seconds"] / full["seconds"], 0.2),
        ("(e) full sync wall ≤ 1.25 × replay", synced / replayed, 1.25),
        ("outcomes ≤ 2 s", outcomes["seconds"] / 2.0, 1.0),
    ]
    print("ratios:")
    for label, ratio, target in checks:
        print(f"  {label:34} {ratio:8.3f}  (target ≤ {target:.3f})  {'ok' if ratio <= target else 'MISSED'}")
    print(f"  (c) requests / (a) requests: {per_user['requests'] / full['requests']:.1f}")
    return same and all(ratio <= target for _, ratio, target in checks)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] in {"tool", "pywikibot", "outcomes", "wall"}:
        steps = {"tool": step_tool, "pywikibot": step_pywikibot, "outcomes": step_outcomes, "wall": step_wall}
        step = steps[sys.argv[1]]
        print(json.dumps(step(*sys.argv[2:])))  # type: ignore[operator]
    else:
        sys.exit(0 if main() else 1)
