"""Fault injection (issue #12, item 1): the farm behind devwiki's fault proxy (devwiki/faults.py).

A wiki that lags, throttles, fails, stalls, resets connections or cuts its answers short must cost
the tool time, never data: each request is retried a bounded number of times, and a run through
10 % of faults ends with exactly what a run without them stored. When the faults never end, the run
ends too, with an error that says so, and what was stored before stays.

Each run prints what the proxy injected (``pytest -s`` shows it; docs/reliability.md quotes it).
"""

from __future__ import annotations

import contextlib
import io
import json
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from devwiki.faults import KINDS, FaultPlan, FaultProxy
from tests.store_contents import contents, counted_twice
from tests.store_fixtures import migrated
from tool.cli import main
from tool.config import DEFAULTS
from tool.pipeline import discover
from tool.runtime import Runtime
from tool.wiki.api import ApiClient, WikiUnavailable

pytestmark = pytest.mark.farm

NOW = "2026-11-01T00:00:00Z"  # the generator's "now" (devwiki.seed.NOW): runs comparable by hand
# The client's timeout in the runs through faults, and the proxy's stall past it. A wiki's
# Retry-After (1 s from the proxy) is obeyed as it is; waits it does not set start at BACKOFF.
TIMEOUT, STALL, BACKOFF = 2.0, 3.0, 0.1
# 10 % of requests, every answer to "…limit=max" 10 rows long (many continuations to fault).
TEN_PERCENT = FaultPlan(rate=0.1, seed=12, retry_after=1, stall=STALL, page_limit=10)


# One fault at one request: each kind, at each of a login's three requests (the login token, the
# login itself, the account's rights). The login is the client's one call of several requests.


@pytest.mark.parametrize("number", [1, 2, 3], ids=["token", "login", "rights"])
@pytest.mark.parametrize("kind", KINDS)
def test_one_fault_during_a_login_costs_one_retry(
    farm: dict[str, Any], farm_credentials: dict[str, Any], kind: str, number: int
) -> None:
    waits: list[float] = []
    plan = FaultPlan(schedule={("enwiki", number): kind}, retry_after=7, stall=1.0)
    with FaultProxy.for_farm(farm, plan) as proxy:
        client = ApiClient(proxy.base("enwiki") + "/api.php", timeout=0.5, sleep=waits.append)
        bot = farm_credentials["bot"]
        client.login(bot["botpassword_user"], bot["botpassword"])
        assert client.check_identity() == "OutcomesBot"
        assert client.high_limits is True
    assert proxy.counts[kind] == 1
    # The wiki's Retry-After is obeyed; without one the wait is the first of the backoff.
    assert waits == [7.0] if kind in ("maxlag", "429", "503") else [1.0]
    # The login's three requests and check_identity's, the one retried, and at most one more: a
    # retried login first asks whether the attempt before went through (its lost answer may have
    # carried the session, and a second login in a bot password's session is refused).
    assert proxy.requests <= 6


@pytest.mark.parametrize("kind", KINDS)
def test_a_fault_that_never_ends_is_given_up_after_bounded_retries(farm: dict[str, Any], kind: str) -> None:
    plan = FaultPlan(rate=1.0, kinds=(kind,), retry_after=0, stall=1.0)
    with FaultProxy.for_farm(farm, plan) as proxy:
        client = ApiClient(
            proxy.base("enwiki") + "/api.php", timeout=0.5, max_retries=3, sleep=lambda s: None
        )
        with pytest.raises(WikiUnavailable, match=r"; gave up after 4 attempts$"):
            client.get(action="query", meta="siteinfo")
        assert proxy.requests == 4
        if kind != "maxlag":  # the REST API has no lag errors
            with pytest.raises(WikiUnavailable, match=r"; gave up after 4 attempts$"):
                client.get_rest("/v1/page/Main_Page/bare")
            assert proxy.requests == 8


def test_every_kind_of_fault_in_one_call_still_counts_one_bound(farm: dict[str, Any]) -> None:
    # mwclient retries some faults inside its own loop, the client the others around it: one count.
    with FaultProxy.for_farm(farm, FaultPlan(rate=1.0, retry_after=0, stall=1.0)) as proxy:
        client = ApiClient(proxy.base("enwiki") + "/api.php", timeout=0.5, sleep=lambda s: None)
        with pytest.raises(WikiUnavailable, match=r"; gave up after 6 attempts$"):
            client.get(action="query", meta="siteinfo")
    assert proxy.requests == 6
    assert sum(proxy.counts.values()) == 6
    assert len([kind for kind, count in proxy.counts.items() if count]) == 6  # kinds come in turn


# Discovery, and the nightly run (discovery, sync, evaluation, snapshots) through the CLI.


def _config(farm_file: str, db_url: str, instance: Path) -> dict[str, Any]:
    return {
        **DEFAULTS,
        "FARM": farm_file,
        "DATABASE_URL": db_url,
        "INSTANCE_PATH": str(instance),
        "WIKI_TIMEOUT": TIMEOUT,
        "WIKI_BACKOFF": BACKOFF,
    }


def test_discovery_through_ten_percent_of_faults_finds_what_a_clean_one_finds(
    farm: dict[str, Any], tmp_path: Path
) -> None:
    found = {}
    plan = FaultPlan(rate=0.1, seed=3, retry_after=1, stall=STALL, page_limit=1)
    with FaultProxy.for_farm(farm, plan) as proxy:
        farms = {"clean": farm["status_file"], "faulty": str(proxy.write_farm(farm, tmp_path / "farm.json"))}
        for name, farm_file in farms.items():
            (tmp_path / name).mkdir()
            db = migrated(f"sqlite:///{tmp_path / name / 's.sqlite'}")
            rt = Runtime(_config(farm_file, db, tmp_path / name))
            report = discover.discover(rt, rt.store)
            entries = sorted((e.kind, e.title, e.status, e.problems) for e in report.entries)
            stored = contents(db)
            found[name] = entries, {k: stored[k] for k in ("events", "cohorts", "participants", "accounts")}
    print(f"\ndiscovery through faults: {proxy.summary()}")
    assert sum(proxy.counts.values()) > 0
    assert found["faulty"] == found["clean"]
    assert {status for _, _, status, _ in found["clean"][0]} == {"parsed"}


@dataclass
class Run:
    code: int
    out: str
    err: str
    db: str
    seconds: float


def _nightly(
    farm_file: str, where: Path, *args: str, timeout: float = TIMEOUT, backoff: float = BACKOFF
) -> Run:
    """``python -m tool nightly`` (or another command) as the CLI runs it, on a store in ``where``."""
    where.mkdir(exist_ok=True)
    db = f"sqlite:///{where / 's.sqlite'}"
    if not (where / "s.sqlite").exists():
        migrated(db)
    env = {"FARM": farm_file, "DATABASE_URL": db, "INSTANCE_PATH": str(where)}
    env |= {"WIKI_TIMEOUT": str(timeout), "WIKI_BACKOFF": str(backoff)}
    out, err = io.StringIO(), io.StringIO()
    with pytest.MonkeyPatch.context() as patch:
        for key, value in env.items():
            patch.setenv(f"TOOL_{key}", value)
        patch.delenv("TOOL_REDIS_URL", raising=False)
        started = time.monotonic()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main([*(args or ("nightly",)), "--now", NOW])
    return Run(code, out.getvalue(), err.getvalue(), db, time.monotonic() - started)


@pytest.fixture(scope="module")
def clean_run(farm: dict[str, Any], tmp_path_factory: pytest.TempPathFactory) -> Run:
    return _nightly(farm["status_file"], tmp_path_factory.mktemp("clean"))


@pytest.fixture(scope="module")
def faulty_run(farm: dict[str, Any], tmp_path_factory: pytest.TempPathFactory) -> tuple[Run, FaultProxy]:
    where = tmp_path_factory.mktemp("faulty")
    with FaultProxy.for_farm(farm, TEN_PERCENT) as proxy:
        run = _nightly(str(proxy.write_farm(farm, where / "farm.json")), where)
    print(f"\nnightly through 10 % faults ({run.seconds:.0f} s): {proxy.summary()}")
    return run, proxy


def _without_request_counts(out: str) -> list[str]:
    """The run's report, less what faults change: how many requests each step made."""
    return [line.split(";")[0].split(", ", 1)[0] for line in out.splitlines()]


def test_a_nightly_run_meets_every_kind_of_fault_and_ends_as_a_clean_one(
    clean_run: Run, faulty_run: tuple[Run, FaultProxy]
) -> None:
    run, proxy = faulty_run
    assert all(count > 0 for count in proxy.counts.values()), proxy.summary()
    assert (clean_run.code, run.code) == (0, 0), run.out
    assert "  problem: " not in run.out
    assert _without_request_counts(run.out) == _without_request_counts(clean_run.out)


def test_no_event_is_skipped(clean_run: Run, faulty_run: tuple[Run, FaultProxy]) -> None:
    clean, faulty = contents(clean_run.db), contents(faulty_run[0].db)
    assert len(clean["events"]) == 4
    for part in ("events", "cohorts", "participants", "accounts"):
        assert faulty[part] == clean[part], part


def test_no_contribution_is_lost_or_counted_twice(clean_run: Run, faulty_run: tuple[Run, FaultProxy]) -> None:
    clean = contents(clean_run.db)["contributions"]
    faulty = contents(faulty_run[0].db)["contributions"]
    assert {wiki: len(revs) for wiki, revs in clean.items()} == {
        "commonswiki": 38,
        "enwiki": 712,
        "swwiki": 246,
    }
    for wiki, revs in clean.items():
        assert {rev[0] for rev in faulty[wiki]} == {rev[0] for rev in revs}, wiki
    assert faulty == clean  # and every field of each
    assert counted_twice(faulty) == {}


def test_every_snapshot_has_the_clean_runs_figures(
    clean_run: Run, faulty_run: tuple[Run, FaultProxy]
) -> None:
    clean = contents(clean_run.db)["snapshots"]
    faulty = contents(faulty_run[0].db)["snapshots"]
    # 4 events, 1 cohort, the comparison by each of 8 context fields: what every page shows.
    assert sorted(kind for kind, _ in clean) == ["cohort"] + ["comparison"] * 8 + ["event"] * 4
    assert faulty == clean
    assert not any(snapshot["figures"].get("problems") for snapshot in faulty.values())


# Faults that never end: the run stops with an error that says so, and keeps what it had. Nothing
# comes back, so the client waits less: a short timeout, and short waits between its retries.
QUICK = {"timeout": 0.5, "backoff": 0.01}


@pytest.fixture
def every_request_fails(farm: dict[str, Any], tmp_path: Path) -> Iterator[str]:
    plan = FaultPlan(rate=1.0, seed=5, retry_after=0, stall=1.0)
    with FaultProxy.for_farm(farm, plan) as proxy:
        yield str(proxy.write_farm(farm, tmp_path / "farm.json"))
    print(f"\nevery request failing: {proxy.summary()}")


def test_when_every_request_fails_the_run_says_so_and_keeps_the_last_good_snapshots(
    clean_run: Run, every_request_fails: str, tmp_path: Path
) -> None:
    where = tmp_path / "store"
    where.mkdir()
    _copy_sqlite(clean_run.db, where / "s.sqlite")
    before = contents(clean_run.db)

    nightly = _nightly(every_request_fails, where, **QUICK)
    print(f"\nnightly, every request failing ({nightly.seconds:.0f} s): {nightly.err.strip()}")
    assert nightly.code == 1
    assert nightly.out == ""  # discovery could not start: nothing was done, nothing was counted
    assert nightly.err.startswith("error: http://127.0.0.1:")
    assert nightly.err.endswith("; gave up after 6 attempts\n")
    assert nightly.err.count("\n") == 1
    assert contents(nightly.db) == before

    # A sync alone: each event's refresh says which wikis failed, and its figures stay those of
    # the data already stored, marked partial, never zeros.
    sync = _nightly(every_request_fails, where, "sync", "--all", **QUICK)
    print(f"sync --all, every request failing ({sync.seconds:.0f} s):\n{sync.out}")
    assert sync.code == 1
    after = contents(sync.db)
    events = [key for key in before["snapshots"] if key[0] == "event"]
    for key in events:
        title = key[1]
        assert f"\n{title}: 0 new contributions in 0 time spans; " in "\n" + sync.out
        latest = after["snapshots"][key]
        assert latest["partial"] is True
        codes = {(p["code"], p["params"]["wiki"]) for p in latest["figures"]["problems"]}
        assert ("problem-wiki-unavailable", "enwiki") in codes
        assert all("gave up after 6 attempts" in p["params"]["error"] for p in latest["figures"]["problems"])
        good = before["snapshots"][key]["figures"]["figures"]
        assert {k: f["value"] for k, f in latest["figures"]["figures"].items()} == {
            k: f["value"] for k, f in good.items()
        }
    assert after["contributions"] == before["contributions"]
    # The good snapshots are kept beside the partial ones: nothing stored was lost.
    assert _count_snapshots(sync.db) == _count_snapshots(clean_run.db) + len(events) + 1  # and the cohort's


def _copy_sqlite(url: str, to: Path) -> None:
    """A consistent copy of a SQLite store (its write-ahead log included), by SQLite's backup."""
    with sqlite3.connect(url.removeprefix("sqlite:///")) as source, sqlite3.connect(to) as copy:
        source.backup(copy)


def _count_snapshots(db: str) -> int:
    engine = sa.create_engine(db)
    with engine.connect() as conn:
        count = conn.execute(sa.text("SELECT count(*) FROM snapshot")).scalar_one()
    engine.dispose()
    return int(count)


def test_the_proxy_replays_a_run_from_its_seed(farm: dict[str, Any]) -> None:
    # Same seed, same requests: the same faults at the same requests (a failing run can be replayed).
    logs = []
    for _ in range(2):
        with FaultProxy.for_farm(farm, FaultPlan(rate=0.3, seed=9, retry_after=0, stall=1.0)) as proxy:
            client = ApiClient(proxy.base("swwiki") + "/api.php", timeout=0.5, sleep=lambda s: None)
            for _ in range(10):
                client.get(action="query", meta="siteinfo")
        logs.append(proxy.log)
    assert logs[0] == logs[1]
    assert len(logs[0]) > 0
    assert json.dumps([f.kind for f in logs[0]])  # printable, as reports quote them
