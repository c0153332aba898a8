"""The sync of one event with 10,000 participants, and its peak memory (issue #12, item 6).

One event on two Wikipedias (and Commons, for uploads) with 10,000 participants, each with up to
``--per-wiki`` revisions a wiki from before the event's 8-week look-back to now; the store holds
the event, its people and their accounts as discovery leaves them (bench/nightly.py's ``fill``).
Then ``python -m tool sync <event>`` — the refresh the nightly job and the CLI run: sync, count,
keep the snapshot — runs in its own process against bench/scripted_api.py, and its peak resident
memory is read from the kernel when it ends (its ``ru_maxrss``, through a small go-between, so the
scripted wikis, which run in this process, are left out: see LAUNCHER). The target: under 500 MB.

    .venv/bin/python -m bench.sync_memory [--participants 10000] [--per-wiki 40] [--high-limits]
                                          [--engine sqlite|mariadb]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import secrets
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa

from bench.nightly import HOME, Plan, fill
from bench.scale import MARIADB_SERVER
from bench.scripted_api import Row, ScriptedWikis, WikiData, farm_status, serve
from tool.metrics.inputs import COMMONS
from tool.store import Store

ROOT = Path(__file__).resolve().parent.parent
TITLE = "Event outcomes/Memory/Edit-a-thon of 10,000"
START = datetime(2025, 6, 1, tzinfo=UTC)
NOW = datetime(2026, 1, 1, tzinfo=UTC)
HISTORY_FROM = START - timedelta(weeks=10)  # before the sync's look-back: some rows are never asked
WIKIS = ["enwiki", "swwiki"]
TARGET_MIB = 500 * 1000 * 1000 / 2**20  # 500 MB
#: The refresh of the event as the CLI and the nightly job run it.
SYNC = [sys.executable, "-m", "tool", "sync", TITLE, "--now", NOW.isoformat()]
# Runs the command as its child and prints the child's peak RSS (KiB) last on standard error. Why a
# go-between: a process's ru_maxrss starts at the RSS of the process it was forked from (Linux keeps
# the old address space's high-water mark across exec), and this process holds the scripted wikis'
# revisions; the go-between is small when it forks, so the figure is the sync's own.
LAUNCHER = """
import resource, subprocess, sys
code = subprocess.run(sys.argv[1:]).returncode
print("\\n", resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr)
sys.exit(code)
"""


def plan(participants: int, per_wiki: int, seed: int = 12) -> Plan:
    rng = random.Random(seed)
    people = [f"Memory user {n}" for n in range(participants)]
    span = int((NOW - HISTORY_FROM).total_seconds())
    on: dict[str, dict[str, list[Row]]] = {wiki: {} for wiki in [*WIKIS, COMMONS, HOME]}
    revid = 0
    for wiki in [*WIKIS, COMMONS]:
        for name in people:
            rows = []
            for _ in range(rng.randrange(per_wiki + 1 if wiki != COMMONS else 4)):
                revid += 1
                page = rng.randrange(1, 50_000)
                when = HISTORY_FROM + timedelta(seconds=rng.randrange(span))
                ns = 6 if wiki == COMMONS else rng.choice((0, 0, 0, 1, 2, 4))
                rows.append(
                    Row(revid, page, ns, f"Page {page}", when, rng.randrange(-500, 3000), rng.random() < 0.1)
                )
            on[wiki][name] = sorted(rows, key=lambda r: (r.timestamp, r.revid))
    return Plan([(TITLE, START, list(WIKIS), people)], {wiki: WikiData(users) for wiki, users in on.items()})


@contextmanager
def database(kind: str, folder: str) -> Iterator[str]:
    """A new, empty store: a SQLite file in ``folder``, or a database on the shared MariaDB, dropped after."""
    if kind == "sqlite":
        yield f"sqlite:///{folder}/memory.sqlite"
        return
    name = f"eo_bench_memory_{secrets.token_hex(4)}"
    server = sa.create_engine(MARIADB_SERVER)
    with server.begin() as conn:
        conn.execute(sa.text(f"CREATE DATABASE {name} CHARACTER SET utf8mb4 COLLATE utf8mb4_bin"))
    try:
        yield f"{MARIADB_SERVER.split('?')[0].rstrip('/')}/{name}?charset=utf8mb4"
    finally:
        with server.begin() as conn:
            conn.execute(sa.text(f"DROP DATABASE IF EXISTS {name}"))
        server.dispose()


def run(participants: int, per_wiki: int, high_limits: bool, kind: str = "sqlite") -> dict[str, object]:
    planned = plan(participants, per_wiki)
    generated = sum(len(rows) for data in planned.wikis.values() for rows in data.users.values())
    scripted = ScriptedWikis(planned.wikis, high_limits=high_limits)
    with tempfile.TemporaryDirectory() as tmp, serve(scripted) as apis, database(kind, tmp) as url:
        farm = Path(tmp) / "farm.json"
        farm.write_text(json.dumps(farm_status(apis, HOME)))
        store = Store(url)
        store.upgrade()
        fill(store, planned)
        store.dispose()
        env = {**os.environ, "TOOL_FARM": str(farm), "TOOL_DATABASE_URL": url, "TOOL_INSTANCE_PATH": tmp}
        env.pop("TOOL_REDIS_URL", None)
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-c", LAUNCHER, *SYNC],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        seconds = time.perf_counter() - started
        store = Store(url)
        try:
            with store.engine.connect() as conn:
                stored = conn.exec_driver_sql("SELECT count(*) FROM contribution").scalar_one()
            snapshot = store.latest_snapshot("event", TITLE)
        finally:
            store.dispose()
    if done.returncode != 0:
        said = done.stdout[-4000:] + done.stderr[-4000:]
        raise SystemExit(f"the sync failed (exit {done.returncode}):\n{said}")
    return {
        "participants": participants,
        "generated": generated,
        "stored": stored,
        "requests": dict(scripted.counts.by_kind),
        "seconds": seconds,
        "peak_mib": int(done.stderr.strip().splitlines()[-1]) / 1024,  # the launcher's last line: KiB
        "snapshot": snapshot is not None,
        "summary": done.stdout.strip().splitlines()[0] if done.stdout.strip() else "",
    }


def main(argv: list[str] | None = None) -> bool:
    parser = argparse.ArgumentParser(prog="python -m bench.sync_memory", description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=10_000)
    parser.add_argument(
        "--per-wiki", type=int, default=40, help="at most this many revisions a person a wiki"
    )
    parser.add_argument("--high-limits", action="store_true", help="the scripted wikis grant apihighlimits")
    parser.add_argument(
        "--engine", choices=("sqlite", "mariadb"), default="sqlite", help="the store's database"
    )
    args = parser.parse_args(argv)
    result = run(args.participants, args.per_wiki, args.high_limits, args.engine)
    requests: dict[str, int] = result["requests"]  # type: ignore[assignment]
    peak = float(result["peak_mib"])  # type: ignore[arg-type]
    print(
        f"one event, {result['participants']:,} participants on {', '.join(WIKIS)} and Commons; "
        f"{result['generated']:,} revisions on the scripted wikis; store on {args.engine}"
    )
    print(f"  {result['summary']}")
    print(
        f"  python -m tool sync: {sum(requests.values()):,} requests ({requests}), "
        f"{result['stored']:,} contributions stored, snapshot kept: {result['snapshot']}, "
        f"{result['seconds']:.0f} s"
    )
    verdict = "met" if peak < TARGET_MIB else "NOT MET"
    target = f"target < 500 MB = {TARGET_MIB:.0f} MiB"
    print(f"  peak memory of the sync process: {peak:,.0f} MiB ({target}): {verdict}")
    return peak < TARGET_MIB and bool(result["snapshot"])


if __name__ == "__main__":
    sys.exit(0 if main() else 1)
