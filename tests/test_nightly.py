"""The nightly job: discovery then a refresh of every event, never two runs at once (issue #8, item 6).

The locks are the real ones: Redis on 127.0.0.1:6379 (a fresh key prefix per test, removed after)
and flock on a file. A run that dies is a real process killed with SIGKILL.
"""

from __future__ import annotations

import re
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import redis

from tests.conftest import bot_site, service_missing
from tests.store_fixtures import migrated
from tool.cli import EXIT_LOCKED, main
from tool.cli.runlock import FileRunLock, LockLost, RedisRunLock, RunLock, job_lock
from tool.metrics.keys import CONTEXT_KEYS
from tool.store import Store

REDIS_URL = "redis://127.0.0.1:6379/0"
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def prefix() -> Iterator[str]:
    """A key prefix no other test uses; every key under it is removed afterwards."""
    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.RedisError as e:
        service_missing(f"Redis at {REDIS_URL} is not reachable: {e}")
    name = f"event-outcomes-test-{uuid.uuid4().hex}"
    yield name
    for key in client.scan_iter(f"{name}:*"):
        client.delete(key)


def _locks(kind: str, prefix: str, tmp_path: Path) -> tuple[RunLock, RunLock]:
    """Two locks on the same job, as two runs would build them."""
    config: dict[str, Any]
    if kind == "redis":
        config = {"REDIS_URL": REDIS_URL, "REDIS_PREFIX": prefix}
    else:
        config = {"REDIS_URL": None, "INSTANCE_PATH": str(tmp_path)}
    return job_lock(config, "nightly"), job_lock(config, "nightly")


@pytest.mark.parametrize("kind", ["redis", "file"])
def test_while_one_run_holds_the_lock_a_second_is_refused(kind: str, prefix: str, tmp_path: Path) -> None:
    first, second = _locks(kind, prefix, tmp_path)
    assert isinstance(first, RedisRunLock if kind == "redis" else FileRunLock)
    assert first.acquire()
    assert not second.acquire()
    first.keep()  # still ours
    assert not second.acquire()
    first.release()
    assert second.acquire()
    second.release()


def test_a_redis_lock_says_where_it_is_without_the_secret_prefix(prefix: str, tmp_path: Path) -> None:
    lock, _ = _locks("redis", prefix, tmp_path)
    assert lock.where == "Redis key REDIS_PREFIX:lock:nightly"
    assert prefix not in lock.where  # the prefix keeps the tool's keys private on a shared Redis


def test_a_run_whose_redis_lock_expired_under_it_learns_so(prefix: str) -> None:
    client = redis.Redis.from_url(REDIS_URL)
    key = f"{prefix}:lock:nightly"
    lock = RedisRunLock(client, key, ttl=60)
    assert lock.acquire()
    client.delete(key)  # as when the TTL ran out…
    other = RedisRunLock(client, key, ttl=60)
    assert other.acquire()  # …and the next run started
    with pytest.raises(LockLost, match="lost its lock"):
        lock.keep()
    lock.release()  # not ours any more: the other run's lock stays
    assert not RedisRunLock(client, key).acquire()
    other.release()


def _hold_in_a_process(code: str) -> subprocess.Popen[str]:
    """A process that takes a lock, says so, and waits to be killed."""
    process = subprocess.Popen(
        [sys.executable, "-c", code + "\nprint('held', flush=True)\nimport time\ntime.sleep(600)\n"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    assert process.stdout.readline().strip() == "held"
    return process


def _kill(process: subprocess.Popen[str]) -> None:
    process.send_signal(signal.SIGKILL)  # no finally, no atexit: as a crashed or evicted job
    process.wait()


def test_a_redis_lock_left_by_a_killed_run_expires(prefix: str) -> None:
    key = f"{prefix}:lock:nightly"
    process = _hold_in_a_process(
        "import redis\nfrom tool.cli.runlock import RedisRunLock\n"
        f"lock = RedisRunLock(redis.Redis.from_url({REDIS_URL!r}), {key!r}, ttl=2)\n"
        "assert lock.acquire()"
    )
    _kill(process)
    client = redis.Redis.from_url(REDIS_URL)
    later = RedisRunLock(client, key, ttl=2)
    assert not later.acquire()  # the dead run's lock is still there…
    assert client.pttl(key) > 0  # …but it has a time to live, so it cannot stay forever
    deadline = time.monotonic() + 30
    while not later.acquire():
        assert time.monotonic() < deadline, "the dead run's lock never expired"
        time.sleep(0.2)
    later.release()


def test_a_file_lock_left_by_a_killed_run_is_released_by_the_os(tmp_path: Path) -> None:
    path = tmp_path / "nightly.lock"
    process = _hold_in_a_process(
        "from pathlib import Path\nfrom tool.cli.runlock import FileRunLock\n"
        f"assert FileRunLock(Path({str(path)!r})).acquire()"
    )
    try:
        assert not FileRunLock(path).acquire()
    finally:
        _kill(process)
    lock = FileRunLock(path)
    assert lock.acquire()  # no waiting: the OS dropped the flock with the process
    lock.release()


def _cli_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, **values: str) -> Path:
    db = tmp_path / "store.sqlite"
    settings = {"DATABASE_URL": f"sqlite:///{db}", "INSTANCE_PATH": str(tmp_path), **values}
    for key, value in settings.items():
        monkeypatch.setenv(f"TOOL_{key}", value)
    return db


@pytest.mark.parametrize("kind", ["redis", "file"])
def test_a_nightly_run_while_another_holds_the_lock_does_nothing(
    kind: str,
    prefix: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    extra = {"REDIS_URL": REDIS_URL, "REDIS_PREFIX": prefix} if kind == "redis" else {}
    db = _cli_env(monkeypatch, tmp_path, **extra)
    running, _ = _locks(kind, prefix, tmp_path)
    assert running.acquire()
    try:
        code = main(["nightly"])
    finally:
        running.release()
    out, err = capsys.readouterr()
    assert code == EXIT_LOCKED
    assert out == ""
    assert err.startswith("Another nightly run is still going (it holds the lock ")
    assert err.endswith("): this one did nothing.\n")
    assert not db.exists()  # not even the store was opened


def test_a_nightly_run_without_its_redis_says_so_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    db = _cli_env(monkeypatch, tmp_path, REDIS_URL="redis://127.0.0.1:1/0")
    code = main(["nightly"])
    _, err = capsys.readouterr()
    assert code == 1
    assert err.startswith("error: Redis cannot be reached to take the nightly lock, so nothing was done: ")
    assert err.count("\n") == 1
    assert not db.exists()


NAIROBI = "Wikimedia Community User Group Kenya/Wikipedia training for librarians, Nairobi 2026"


@pytest.mark.farm
def test_nightly_discovers_and_refreshes_every_event_and_a_failure_stops_none(
    farm: dict[str, Any],
    farm_credentials: dict[str, Any],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    site = bot_site(farm, farm_credentials)
    # No dates: discovery stores it with its problems, its refresh cannot evaluate it. Its title
    # sorts before the farm's events, so the run meets it first.
    broken = f"Event outcomes/Test/Nightly without dates {uuid.uuid4().hex[:8]}"
    site.pages[broken].edit("{{Event outcomes|wikis=enwiki}}\n", summary="nightly test", bot=True)
    db = _cli_env(monkeypatch, tmp_path, FARM=farm["status_file"])
    migrated(f"sqlite:///{db}")  # as the deploy's `db upgrade` step leaves it
    try:
        code = main(["nightly", "--now", "2026-11-01T00:00:00Z"])
    finally:
        site.pages[broken].edit("Retired by the nightly test.", summary="cleanup", bot=True)
    out = capsys.readouterr().out
    store = Store(f"sqlite:///{db}")
    events = [e.title for e in store.list_events()]
    assert code == 1
    # Discovery first (it stores the page with its problems), then the refresh that cannot use it.
    parsed = re.search(rf"^event parsed \(\d+ problems\): {re.escape(broken)}$", out, re.MULTILINE)
    assert parsed is not None
    assert parsed.start() < out.index(f"{broken}: not synced: {broken}: no valid start, end")
    # Every event's people were synced at once first (a person in two events asked for once), so
    # each event's own refresh had nothing left to fetch.
    shared = re.search(
        r"^All events together: (\d+) new contributions in \d+ time spans for 4 events;", out, re.M
    )
    assert shared is not None
    assert int(shared[1]) > 0
    assert parsed.start() < shared.start() < out.index(f"{broken}: not synced")
    assert f"\n{NAIROBI}: 0 new contributions in 0 time spans; " in out
    for title in events:
        if title != broken:  # every other event was refreshed, after the one that failed
            assert store.latest_snapshot("event", title) is not None, title
    # And every cohort, counted over its events once they were synced.
    cohorts = [c.title for c in store.list_cohorts()]
    assert cohorts
    for title in cohorts:
        assert store.latest_snapshot("cohort", title) is not None, title
        assert f"\n{title}: the cohort's outcomes stored, counted over " in out
    # Then the comparison by every context field, kept for the web and the API (never counted on a request).
    for by in CONTEXT_KEYS:
        assert store.latest_snapshot("comparison", by) is not None, by
    assert f"\nComparisons stored, one per context field: {', '.join(CONTEXT_KEYS)}.\n" in out
    assert out.splitlines()[-1].startswith(f"Nightly run done: {len(events)} events refreshed, ")
    assert FileRunLock(tmp_path / "nightly.lock").acquire()  # released at the end
