"""The web tool under load (issue #9, item 9): gunicorn on the 1,000-event store, 16 clients, 30 s.

The store is bench/scale.py's (1,000 events, 50,000 people, 5,000,000 contributions), taken as
the nightly run leaves it: each event's facts counted and its outcomes kept as its newest
snapshot, a cohort of 200 of its events counted, a comparison kept for every context field. That
takes minutes once; the result is cached beside the scale store (.devwiki/bench-scale/*-web1.sqlite).

The tool runs as on Toolforge (the Procfile's ``gunicorn app:app``, its 4 sync workers) on a
free port of 127.0.0.1, configured by TOOL_* variables for that store alone. After a warm-up, 16
clients (bench/load.py) send requests for ``--seconds`` over the events list, an event page, the
cohort page, the comparison and the API, each to the next event of the store in turn. Printed per
route: requests a second, p50/p95/p99 latency and errors, and whether its target holds: the event
page and the list p95 ≤ 50 ms, and no errors anywhere. A route that is not served yet (404 at
warm-up) is left out of the load, said so, and the run does not pass.

    .venv/bin/python -m bench.web [--seconds 30] [--clients 16] [--workers 4] [--small]
                                  [--only "event page" …]

With ``--store URL [--farm FILE]`` the same load runs on that store as it is, e.g. the demo's after
``python -m tool nightly`` against the demo farm (issue #12, item 6: ``--clients 32 --seconds 60``):
its events, its first cohort; latencies reported without targets, and no error allowed.
"""

from __future__ import annotations

import argparse
import os
import random
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote, urlencode

import requests

from bench import scale
from bench.load import Route, Summary, run_load
from tool import messages
from tool.pipeline.comparisons import keep_comparisons
from tool.pipeline.refresh import count_and_keep, refresh_cohorts
from tool.store import CohortRecord, Store
from tool.web import chartcache
from tool.web.titles import url_part

ROOT = Path(__file__).resolve().parent.parent
#: Bumped when what is added to the scale store changes, so a stale cached copy is not reused.
PREPARED_VERSION = 2  # 2: events kept with their per-wiki table (refresh.count_and_keep)
COHORT_TITLE = "Event outcomes/Scale/Cohort of 200 events"
COHORT_SIZE = 200
#: The Procfile's workers (web: gunicorn --workers 4 …).
WORKERS = 4
TARGET_MS = 50.0


# --- the store --------------------------------------------------------------------------------


def web_store(size: scale.Size) -> tuple[str, float | None]:
    """The scale store as the nightly run leaves it (built and cached first if missing); the
    seconds spent preparing it, None when cached."""
    base_url, _ = scale.sqlite_store(size)
    path = scale.CACHE / f"scale-{size.key}-web{PREPARED_VERSION}.sqlite"
    if path.exists():
        store = Store(f"sqlite:///{path}")
        try:
            store.upgrade()  # a store cached by an older checkout
            _drawn_ahead(store)
        finally:
            store.dispose()
        return f"sqlite:///{path}", None
    partial = path.with_suffix(".partial")
    began = time.perf_counter()
    shutil.copyfile(base_url.removeprefix("sqlite:///"), partial)
    store = Store(f"sqlite:///{partial}")
    try:
        store.upgrade()
        _as_the_nightly_leaves_it(store, size)
    finally:
        store.dispose()
    partial.rename(path)
    return f"sqlite:///{path}", time.perf_counter() - began


def _as_the_nightly_leaves_it(store: Store, size: scale.Size) -> None:
    """What the nightly run does after its syncs (the scale store's contributions are its syncs)."""
    records = store.list_events()
    print(
        f"preparing the web store: counting and keeping the outcomes of {len(records):,} events …", flush=True
    )
    for n, record in enumerate(records, start=1):
        count_and_keep(store, record, store.participants(record.title), scale.NOW)
        if n % 100 == 0:
            print(f"  {n:,} events", flush=True)
    members = random.Random(size.seed).sample([r.title for r in records], min(COHORT_SIZE, len(records)))
    store.save_cohort(
        CohortRecord(
            COHORT_TITLE,
            1,
            1,
            "Cohort of 200 events",
            events=members,
            match=False,
            problems=[],
            parsed_at=scale.NOW,
        )
    )
    refresh_cohorts(store, scale.NOW)
    keep_comparisons(store, scale.NOW)
    _drawn_ahead(store)


def _drawn_ahead(store: Store) -> None:
    """The charts the nightly run draws ahead, in every language (drawn once, then cached here)."""
    drawn = chartcache.draw_ahead(store, messages.interface_languages())
    if drawn:
        print(f"  drew the charts of {drawn:,} snapshots and languages", flush=True)


# --- the server -------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def gunicorn(database_url: str, workers: int, farm: str | None = None) -> Iterator[str]:
    """The tool under gunicorn, as the Procfile runs it, on this store only (and the farm whose
    wikis it links to, if given); yields its base URL."""
    port = _free_port()
    with tempfile.TemporaryDirectory(prefix="bench-web-") as folder:
        instance = Path(folder)
        env = {k: v for k, v in os.environ.items() if not k.startswith("TOOL_")}
        env.update(
            TOOL_CONFIG_FILE=str(instance / "no-config.yaml"),  # a developer's config.yaml left out
            TOOL_DATABASE_URL=database_url,
            TOOL_INSTANCE_PATH=str(instance),
            TOOL_SECRET_KEY=secrets.token_hex(32),
        )
        if farm:
            env["TOOL_FARM"] = farm
        log = instance / "gunicorn.log"
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--error-logfile",
            str(log),
            "app:app",
        ]
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdin=subprocess.DEVNULL)
        base = f"http://127.0.0.1:{port}"
        try:
            _wait_until_up(base, process, log)
            yield base
        finally:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _wait_until_up(base: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn stopped (exit {process.returncode}):\n{_tail(log)}")
        try:
            if requests.get(f"{base}/healthz", timeout=5).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer /healthz within 60 s:\n{_tail(log)}")


def _tail(path: Path) -> str:
    return path.read_text(errors="replace")[-3000:] if path.exists() else "(no log)"


# --- the routes -------------------------------------------------------------------------------


def event_path(title: str) -> str:
    return "/event/" + quote(url_part(title), safe="/:")


def route_mix(store: Store, cohort: str = COHORT_TITLE, target_ms: float | None = TARGET_MS) -> list[Route]:
    """One round per event of the store: the list, that event's page, the cohort, the comparison,
    the API's list and that event in the API. Each round is another event, so the load reads the
    whole store rather than one event that stays in every cache."""
    titles = [record.title for record in store.list_events()]
    assert store.get_cohort(cohort) is not None, f"the web store has no {cohort}"
    mix: list[Route] = []
    for title in titles:
        mix += [
            Route("events list", "/", target_ms),
            Route("event page", event_path(title), target_ms),
            Route("cohort page", "/cohort/" + quote(url_part(cohort), safe="/:")),
            Route("comparison", "/compare?" + urlencode({"by": "region"})),
            Route("API events list", "/api/v1/events"),
            Route("API event", "/api/v1/event?" + urlencode({"title": title})),
        ]
    return mix


def not_served(base_url: str, mix: Sequence[Route]) -> list[Route]:
    """The routes (one of each name) that answer 404: pages not built yet, left out of the load."""
    first = {route.name: route for route in reversed(mix)}
    return [
        route
        for name, route in reversed(first.items())
        if requests.get(base_url + route.path, timeout=60).status_code == 404
    ]


# --- the run and its report ---------------------------------------------------------------------

HEADER = (
    f"{'route':<16} {'requests':>9} {'req/s':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} "
    f"{'errors':>7}  target"
)


def _ms(value: float | None) -> str:
    return f"{value:8.1f}" if value is not None else f"{'—':>8}"


def report_line(summary: Summary) -> str:
    target = summary.route.target_ms
    verdict = "" if target is None else f"p95 ≤ {target:.0f} ms: {'met' if summary.met else 'NOT MET'}"
    line = (
        f"{summary.route.name:<16} {summary.requests:>9,} {summary.per_second:>7.1f} {_ms(summary.p50_ms)} "
        f"{_ms(summary.p95_ms)} {_ms(summary.p99_ms)} {summary.errors:>7,}  {verdict}"
    )
    if summary.why:
        line += "  (" + ", ".join(f"{why}: {count:,}" for why, count in sorted(summary.why.items())) + ")"
    return line


ROUTE_NAMES = ("events list", "event page", "cohort page", "comparison", "API events list", "API event")


def run(
    size: scale.Size,
    *,
    seconds: float,
    clients: int,
    workers: int,
    warmup: float,
    only: Sequence[str] = (),
) -> bool:
    url, prepared = web_store(size)
    said = f"prepared in {prepared:.0f} s" if prepared is not None else "cached"
    print(f"store: {size.events:,} events, {size.contributions:,} contributions ({said})")
    store = Store(url)
    try:
        mix = [route for route in route_mix(store) if not only or route.name in only]
    finally:
        store.dispose()
    return load(url, mix, seconds=seconds, clients=clients, workers=workers, warmup=warmup)


def run_store(
    url: str, farm: str | None, *, seconds: float, clients: int, workers: int, warmup: float
) -> bool:
    """The load on a store as it is (the demo's, filled by ``python -m tool nightly``), with its first
    cohort; latencies measured, no target but zero errors."""
    store = Store(url)
    try:
        cohorts = store.list_cohorts()
        events = store.list_events()
        assert cohorts, f"{url} has no cohort: run the nightly job on the demo farm first"
        mix = route_mix(store, cohorts[0].title, target_ms=None)
    finally:
        store.dispose()
    print(f"store: {url} ({len(events)} events, cohort {cohorts[0].title!r})")
    return load(url, mix, seconds=seconds, clients=clients, workers=workers, warmup=warmup, farm=farm)


def load(
    url: str,
    mix: Sequence[Route],
    *,
    seconds: float,
    clients: int,
    workers: int,
    warmup: float,
    farm: str | None = None,
) -> bool:
    """gunicorn on ``url``, a warm-up, then ``clients`` for ``seconds`` over ``mix``: the report."""
    with gunicorn(url, workers, farm) as base:
        missing = not_served(base, mix)
        gone = {route.name for route in missing}
        kept = [route for route in mix if route.name not in gone]
        print(
            f"gunicorn: {workers} workers on {base}; {clients} clients, {warmup:g} s warm-up, {seconds:g} s"
        )
        run_load(base, kept, clients=clients, seconds=warmup)
        summaries, wall = run_load(base, kept, clients=clients, seconds=seconds)
    print(HEADER)
    for summary in summaries:
        print(report_line(summary))
    answered = sum(s.requests for s in summaries)
    errors = sum(s.errors for s in summaries)
    rate = (answered + errors) / wall
    verdict = "met" if errors == 0 else "NOT MET"
    print(
        f"{'all':<16} {answered:>9,} {rate:>7.1f} {'':>8} {'':>8} {'':>8} {errors:>7,}  no errors: {verdict}"
    )
    for route in missing:
        print(
            f"{route.name} ({route.path}): 404, not served yet: left out of the load; the run does not pass"
        )
    return not missing and errors == 0 and all(s.met is not False for s in summaries)


def main(argv: Sequence[str] | None = None) -> bool:
    parser = argparse.ArgumentParser(prog="python -m bench.web", description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=30, help="how long the clients send requests")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--workers", type=int, default=WORKERS, help="gunicorn's workers (the Procfile's: 4)")
    parser.add_argument("--warmup", type=float, default=3, help="seconds of load before the measured run")
    parser.add_argument("--small", action="store_true", help="bench/scale.py's small store: 100 events")
    parser.add_argument(
        "--store", help="load this store as it is (e.g. the demo's) instead of the scale store"
    )
    parser.add_argument("--farm", help="with --store: the farm status file its events' wikis are on")
    parser.add_argument(
        "--only", action="append", choices=ROUTE_NAMES, default=[], help="load only this route (repeatable)"
    )
    args = parser.parse_args(argv)
    if args.store:
        return run_store(
            args.store,
            args.farm,
            seconds=args.seconds,
            clients=args.clients,
            workers=args.workers,
            warmup=args.warmup,
        )
    size = scale.SMALL if args.small else scale.FULL
    return run(
        size,
        seconds=args.seconds,
        clients=args.clients,
        workers=args.workers,
        warmup=args.warmup,
        only=args.only,
    )


if __name__ == "__main__":
    sys.exit(0 if main() else 1)
