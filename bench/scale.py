"""Scale, measured (issue #8, item 5): 1,000 events, 50,000 people, 5,000,000 contributions.

The store is generated straight into the real schema (``Store(url).upgrade()``), then each
event's facts are counted as the nightly run counts them (timed, no target), then the real code
paths are timed on it, each the best of three: ``compare`` by region, year and format, the
outcomes of a 200-event cohort (``group_outcomes``) and the home page's events list
(``Store.event_listings``).

Generation writes rows in big executemany chunks inside few transactions, bypassing the store's
row-by-row conveniences (which would take hours at this size); the values are what the store
itself writes. On SQLite the journal and fsync are off while generating only, and the finished
file is cached under .devwiki/bench-scale/ keyed by the generator's parameters, so a second run
starts at once. On MariaDB the database ``eo_bench_scale`` is created, filled and dropped.

    .venv/bin/python -m bench.scale [--engine sqlite|mariadb|both] [--small]
"""

from __future__ import annotations

import argparse
import json
import random
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from tool.metrics.inputs import COMMONS_FILES
from tool.pipeline.evaluate import compare, count_event, group_outcomes, people_of, spec_of
from tool.store import Store

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / ".devwiki" / "bench-scale"
MARIADB_SERVER = "mysql+pymysql://root@127.0.0.1:3306/?charset=utf8mb4"
MARIADB_DATABASE = "eo_bench_scale"
NOW = datetime(2026, 1, 1, tzinfo=UTC)
# Every person's history is stored from here on: coverage says so, so no figure is partial.
COVERED_FROM = datetime(2018, 1, 1, tzinfo=UTC)
GENERATOR_VERSION = 1
CHUNK = 20_000

# Realistic proportions: most events are edit-a-thons in a few regions, on one or two wikis.
REGIONS = {
    "Africa": 30,
    "Europe": 25,
    "Asia": 20,
    "Latin America": 12,
    "North America": 6,
    "Oceania": 3,
    "Global": 4,
}
FORMATS = {"edit-a-thon": 50, "workshop": 20, "campaign": 18, "training": 8, "hackathon": 4}
YEARS = {2019: 6, 2020: 8, 2021: 12, 2022: 15, 2023: 18, 2024: 20, 2025: 21}
WIKIS = ["enwiki", "frwiki", "swwiki", "eswiki", "arwiki", "hiwiki", "yowiki", "dewiki", "ptwiki", "idwiki"]
# How many events one person is in: half in one, a long tail up to twelve.
EVENTS_PER_PERSON = {1: 50, 2: 18, 3: 10, 4: 7, 5: 5, 6: 3, 8: 3, 10: 2, 12: 2}

TARGETS = {"compare": 3.0, "cohort": 2.0, "listing": 0.05}


@dataclass(frozen=True)
class Size:
    events: int
    people: int
    contributions: int
    seed: int = 8

    @property
    def key(self) -> str:
        return f"v{GENERATOR_VERSION}-e{self.events}-p{self.people}-c{self.contributions}-s{self.seed}"


FULL = Size(1_000, 50_000, 5_000_000)
SMALL = Size(100, 5_000, 500_000)


def _weighted(rng: random.Random, table: dict[Any, int]) -> Any:
    return rng.choices(list(table), weights=list(table.values()))[0]


@dataclass
class _Event:
    title: str
    start: datetime
    end: datetime
    wikis: list[str]
    context: dict[str, str]
    people: list[int]


def _plan(size: Size) -> list[_Event]:
    """The events with their contexts and people; many people are in several events."""
    rng = random.Random(size.seed)
    events: list[_Event] = []
    for n in range(size.events):
        year = _weighted(rng, YEARS)
        start = datetime(year, 1, 1, tzinfo=UTC) + timedelta(days=rng.randrange(330))
        end = start + timedelta(days=rng.choice((0, 1, 2, 6, 13, 29, 30)), hours=23, minutes=59, seconds=59)
        wikis = rng.sample(WIKIS, rng.choice((1, 1, 1, 2, 2, 3)))
        context = {"region": _weighted(rng, REGIONS), "format": _weighted(rng, FORMATS)}
        events.append(_Event(f"Event outcomes/Scale/Event {n:04d}", start, end, wikis, context, []))
    # A few big events, many small ones: each event's pull is a Pareto draw.
    pull = [rng.paretovariate(1.3) for _ in events]
    for person in range(size.people):
        count = min(_weighted(rng, EVENTS_PER_PERSON), len(events))
        for index in set(rng.choices(range(len(events)), weights=pull, k=count)):
            events[index].people.append(person)
    return events


def _user(person: int) -> str:
    return f"Scale user {person}"


class _Writer:
    """executemany of big chunks, with the engine's own placeholders and time format."""

    def __init__(self, conn: sa.Connection) -> None:
        self.conn = conn
        self.sqlite = conn.dialect.name == "sqlite"
        self.mark = "?" if self.sqlite else "%s"

    def time(self, moment: datetime) -> str:
        # SQLAlchemy's SQLite DateTime storage format; MariaDB DATETIME keeps whole seconds.
        naive = moment.astimezone(UTC).replace(tzinfo=None, microsecond=0)
        return naive.strftime("%Y-%m-%d %H:%M:%S.000000" if self.sqlite else "%Y-%m-%d %H:%M:%S")

    def insert(self, table: str, columns: Sequence[str], rows: Sequence[tuple[Any, ...]]) -> None:
        quote = '"' if self.sqlite else "`"
        names = ", ".join(f"{quote}{c}{quote}" for c in columns)
        marks = ", ".join([self.mark] * len(columns))
        statement = f"INSERT INTO {table} ({names}) VALUES ({marks})"
        for low in range(0, len(rows), CHUNK):
            self.conn.exec_driver_sql(statement, list(rows[low : low + CHUNK]))


def _contributions(
    size: Size, events: list[_Event], rng: random.Random
) -> Iterator[tuple[str, int, datetime]]:
    """(wiki, person, time) of every contribution: around each event's window, on its wikis."""
    memberships = sum(len(e.people) for e in events)
    per_membership = size.contributions / max(1, memberships)
    made = 0
    for event in events:
        low = event.start - timedelta(weeks=8)
        span = int((min(NOW, event.end + timedelta(weeks=30)) - low).total_seconds())
        during = int((event.end - event.start).total_seconds())
        for person in event.people:
            # Skewed activity: most people make a few edits, some make hundreds.
            count = int(rng.expovariate(1 / per_membership))
            for _ in range(count):
                if made >= size.contributions:
                    return
                made += 1
                # Two in five during the event itself, the rest before and after.
                if rng.random() < 0.4:
                    moment = event.start + timedelta(seconds=rng.randrange(during + 1))
                else:
                    moment = low + timedelta(seconds=rng.randrange(span))
                yield rng.choice(event.wikis), person, moment
    # The exponential draws fall short of the total by chance: top up on the biggest event.
    biggest = max(events, key=lambda e: len(e.people))
    while made < size.contributions:
        made += 1
        moment = biggest.start + timedelta(seconds=rng.randrange(86_400))
        yield rng.choice(biggest.wikis), rng.choice(biggest.people), moment


def _fill(conn: sa.Connection, size: Size) -> None:
    rng = random.Random(size.seed + 1)
    events = _plan(size)
    w = _Writer(conn)
    parsed = w.time(NOW)
    w.insert(
        "event",
        (
            "id",
            "title",
            "page_id",
            "rev_id",
            "name",
            "fields",
            "context",
            "goals",
            "problems",
            "start",
            "end",
            "timezone",
            "wikis",
            "namespaces",
            "cohort",
            "registration",
            "parsed_at",
            "gone_at",
            "listed",
        ),
        [
            (
                n + 1,
                e.title,
                n + 1,
                n + 1,
                e.title.rsplit("/", 1)[-1],
                "{}",
                json.dumps(e.context),
                "{}",
                "[]",
                w.time(e.start),
                w.time(e.end),
                "UTC",
                json.dumps(e.wikis),
                "[0]",
                None,
                None,
                parsed,
                None,
                len(e.people),
            )
            for n, e in enumerate(events)
        ],
    )
    w.insert(
        "participant",
        ("event_id", "user", "line", "source", "exists", "state", "global_user_id"),
        [
            (n + 1, _user(p), line + 1, "page", 1, "ok", None)
            for n, e in enumerate(events)
            for line, p in enumerate(e.people)
        ],
    )
    # Each event has been refreshed a few times: the list reads the newest snapshot of each.
    w.insert(
        "snapshot",
        ("kind", "target", "computed_at", "data_time", "definitions_version", "figures", "partial"),
        [
            ("event", e.title, w.time(NOW - timedelta(days=d)), w.time(NOW - timedelta(days=d)), 1, "{}", 0)
            for e in events
            for d in (3, 2, 1)
        ],
    )
    wikis_of: dict[int, set[str]] = {}
    for e in events:
        for p in e.people:
            wikis_of.setdefault(p, set()).update(e.wikis)
    accounts: list[tuple[Any, ...]] = []
    coverage: list[tuple[Any, ...]] = []
    covered_from, now = w.time(COVERED_FROM), w.time(NOW)
    for p, wikis in sorted(wikis_of.items()):
        registered = w.time(datetime(2012, 1, 1, tzinfo=UTC) + timedelta(days=rng.randrange(4_500)))
        for wiki in sorted(wikis):
            accounts.append((wiki, _user(p), p + 1, registered, "ok"))
            coverage.append((wiki, _user(p), covered_from, now))
        # Their Commons files were synced too (they uploaded none), so the uploads are not partial.
        coverage.append((COMMONS_FILES, _user(p), covered_from, now))
    w.insert("account", ("wiki", "user", "user_id", "registration", "state"), accounts)
    w.insert("coverage", ("wiki", "user", "start", "end"), coverage)
    del accounts, coverage
    columns = ("wiki", "rev_id", "user", "page_id", "namespace", "title", "timestamp", "sizediff", "new")
    batch: list[tuple[Any, ...]] = []
    for rev, (wiki, person, moment) in enumerate(_contributions(size, events, rng), start=1):
        page = rng.randrange(1, 2_000_000)
        batch.append(
            (
                wiki,
                rev,
                _user(person),
                page,
                rng.choice((0, 0, 0, 0, 1, 2, 4)),
                f"Page {page}",
                w.time(moment),
                rng.randrange(-500, 2_000),
                int(rng.random() < 0.05),
            )
        )
        if len(batch) >= 200_000:
            w.insert("contribution", columns, batch)
            batch = []
            if not w.sqlite:
                # InnoDB: keep each transaction's undo log bounded.
                conn.commit()
    w.insert("contribution", columns, batch)


def sqlite_store(size: Size) -> tuple[str, float | None]:
    """The cached SQLite store of this size (generated first if missing); seconds spent generating."""
    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / f"scale-{size.key}.sqlite"
    url = f"sqlite:///{path}"
    if path.exists():
        return url, None
    partial = path.with_suffix(".partial")
    partial.unlink(missing_ok=True)
    began = time.perf_counter()
    schema = Store(f"sqlite:///{partial}")
    schema.upgrade()
    # Its pooled connection holds the file in WAL mode; the journal cannot change under it.
    schema.dispose()
    engine = sa.create_engine(f"sqlite:///{partial}")
    with engine.connect() as conn:
        # Generation only: a crash leaves a .partial file that the next run starts over.
        conn.exec_driver_sql("PRAGMA journal_mode=OFF")
        conn.exec_driver_sql("PRAGMA synchronous=OFF")
        conn.exec_driver_sql("PRAGMA cache_size=-262144")
        _fill(conn, size)
        conn.commit()
        conn.exec_driver_sql("ANALYZE")
    engine.dispose()
    partial.rename(path)
    return url, time.perf_counter() - began


def _mariadb_store(size: Size) -> tuple[str, float]:
    server = sa.create_engine(MARIADB_SERVER)
    with server.connect() as conn:
        conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {MARIADB_DATABASE}")
        conn.exec_driver_sql(f"CREATE DATABASE {MARIADB_DATABASE} CHARACTER SET utf8mb4 COLLATE utf8mb4_bin")
    server.dispose()
    url = f"mysql+pymysql://root@127.0.0.1:3306/{MARIADB_DATABASE}?charset=utf8mb4"
    began = time.perf_counter()
    schema = Store(url)
    schema.upgrade()
    schema.dispose()
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        # Bulk load: the keys are checked by construction (distinct rev ids, one row per pair).
        conn.exec_driver_sql("SET unique_checks=0, foreign_key_checks=0")
        _fill(conn, size)
        conn.commit()
        for table in ("event", "participant", "snapshot", "account", "coverage", "contribution"):
            conn.exec_driver_sql(f"ANALYZE TABLE {table}")
    engine.dispose()
    return url, time.perf_counter() - began


def _drop_mariadb() -> None:
    server = sa.create_engine(MARIADB_SERVER)
    with server.connect() as conn:
        conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {MARIADB_DATABASE}")
    server.dispose()


def _best_of_three(action: Callable[[], object]) -> float:
    """The best of three runs; of one when it is ten seconds or more (far off target either way)."""
    best = float("inf")
    for _ in range(3):
        began = time.perf_counter()
        action()
        best = min(best, time.perf_counter() - began)
        if best >= 10:
            break
    return best


def measure(url: str, engine: str, size: Size) -> list[tuple[str, str, float, float]]:
    """(figure, engine, seconds, target) for each figure of the issue's item 5, each printed as measured.

    The quick figures first: a run stopped during a long comparison has still said them.
    """
    store = Store(url)
    # A store cached by an earlier version of the code is brought to the current schema.
    store.upgrade()
    records = store.list_events()
    titles = [e.title for e in records]
    cohort = random.Random(size.seed).sample(titles, min(200, len(titles)))
    # What the nightly run does after its syncs: count each event's facts, which every outcome of
    # a group is then added up from (tool.store.facts). Timed, but without a target of its own.
    began = time.perf_counter()
    for record in records:
        count_event(store, record, spec_of(record), people_of(store, record), NOW)
    counting = time.perf_counter() - began
    label = "counting every event's facts"
    print(f"{label:<32} {engine:<8} {counting:>9.3f}", flush=True)
    actions: list[tuple[str, str, Callable[[], object]]] = [
        (f"events list ({len(titles)} events)", "listing", store.event_listings),
        (f"cohort of {len(cohort)} events", "cohort", lambda: group_outcomes(store, cohort, NOW)),
    ]
    actions += [
        (f"compare --by {by}", "compare", lambda by=by: compare(store, by, NOW))  # type: ignore[misc]
        for by in ("region", "year", "format")
    ]
    rows: list[tuple[str, str, float, float]] = []
    for figure, target, action in actions:
        rows.append((figure, engine, _best_of_three(action), TARGETS[target]))
        print(_line(rows[-1]), flush=True)
    store.dispose()
    return rows


HEADER = f"{'figure':<32} {'engine':<8} {'seconds':>9} {'target':>8} {'ratio':>7}  result"


def _line(row: tuple[str, str, float, float]) -> str:
    figure, engine, seconds, target = row
    verdict = "met" if seconds <= target else "NOT MET"
    return f"{figure:<32} {engine:<8} {seconds:>9.3f} {target:>8.2f} {seconds / target:>7.2f}  {verdict}"


def run(engines: Sequence[str], size: Size, *, keep: bool = False) -> None:
    print(f"store: {size.events:,} events, {size.people:,} people, {size.contributions:,} contributions")
    rows: list[tuple[str, str, float, float]] = []
    for engine in engines:
        if engine == "sqlite":
            url, generated = sqlite_store(size)
            said = f"{generated:.0f} s" if generated is not None else "cached"
        else:
            url, generated = _mariadb_store(size)
            said = f"{generated:.0f} s"
        print(f"{engine}: generation {said}\n{HEADER}", flush=True)
        try:
            rows += measure(url, engine, size)
        finally:
            if engine == "mariadb" and not keep:
                _drop_mariadb()
    print(f"\n{HEADER}")
    for row in rows:
        print(_line(row))
    print("the nightly refresh's requests against the union floor: python -m bench.nightly")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.scale", description=__doc__.splitlines()[0])
    parser.add_argument("--engine", choices=("sqlite", "mariadb", "both"), default="both")
    parser.add_argument(
        "--small", action="store_true", help="100 events, 5,000 people, 500,000 contributions"
    )
    parser.add_argument("--keep", action="store_true", help="leave the MariaDB database for inspection")
    args = parser.parse_args(argv)
    engines = ("sqlite", "mariadb") if args.engine == "both" else (args.engine,)
    run(engines, SMALL if args.small else FULL, keep=args.keep)


if __name__ == "__main__":
    main()
