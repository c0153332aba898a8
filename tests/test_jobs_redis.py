"""Refresh jobs on the real Redis (issue #10, items 4 and 5; DESIGN §3): RQ workers scale out.

Workers are ``python -m tool worker`` processes, as the Procfile starts them, against the Redis at
127.0.0.1:6379 and the test farm. Each test uses a prefix of its own (the shared Redis's secret
prefix) and deletes every key holding it at the end. The figures the workers keep are compared
with a refresh of the same events, one after another, in this process, at the same ``now``.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import subprocess
import sys
import time
import zlib
from collections import Counter
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
import redis
from redis.exceptions import RedisError
from rq.job import Job, JobStatus

from devwiki.faults import FaultPlan, FaultProxy
from tests.conftest import farm_runtime, service_missing
from tests.store_contents import latest_snapshots
from tests.store_fixtures import migrated, throwaway_mariadb_database
from tests.test_login import ALICE, log_in
from tool import ROOT, create_app
from tool.config import DEFAULTS
from tool.jobs.redisqueue import RedisRunner
from tool.jobs.refresh import KIND, perform_refresh
from tool.jobs.rqsetup import SERIALIZER, Names, refresh_queue
from tool.pipeline import discover
from tool.runtime import Runtime

pytestmark = pytest.mark.farm

REDIS_URL = os.environ.get("TOOL_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
NOW = datetime(2026, 11, 1, tzinfo=UTC)
EVENT = "Wikimedia Community User Group Kenya/Wikipedia training for librarians, Nairobi 2026"
EVENTS = 20
WORKERS = 3
WAIT = 300.0  # seconds the jobs may take before a test gives up on them
# A worker says it is alive every second; its job counts as abandoned 2 s after the last sign.
FAST_WORKERS = {"WORKER_HEARTBEAT": "1", "JOB_ABANDONED_AFTER": "2", "WORKER_MAINTENANCE": "1"}


@pytest.fixture
def prefix() -> Iterator[str]:
    """A secret prefix of this test's own; every key holding it is deleted afterwards."""
    connection = redis.Redis.from_url(REDIS_URL)
    try:
        connection.ping()
    except RedisError as e:
        service_missing(f"Redis at {REDIS_URL} is not reachable: {e}")
    chosen = f"eo-test-{secrets.token_hex(8)}"
    yield chosen
    for key in connection.scan_iter(match=f"*{chosen}*", count=1000):
        connection.delete(key)
    connection.close()


def _prepared(farm: dict[str, Any], where: Path, url: str, copies: int = 0) -> Runtime:
    """A store at ``url`` with the farm's events discovered, and ``copies`` events more (their own
    titles, the people and dates of the farm's events in turn, no cohort)."""
    where.mkdir(parents=True, exist_ok=True)
    rt = farm_runtime(farm, where)
    rt = Runtime({**rt.config, "DATABASE_URL": migrated(url)})
    discover.discover(rt, rt.store)
    store = rt.store
    farm_events = sorted(store.list_events(), key=lambda e: e.title)
    for i in range(copies):
        base = farm_events[i % len(farm_events)]
        title = f"Scale test/Event {i:02d}"
        store.save_event(replace(base, title=title, page_id=100_000 + i, cohort=None))
        store.replace_participants(title, store.participants(base.title))
    return rt


def _copies() -> list[str]:
    return [f"Scale test/Event {i:02d}" for i in range(EVENTS)]


def _reference(farm: dict[str, Any], where: Path, titles: list[str], copies: int = 0) -> dict[Any, Any]:
    """The events refreshed one after another in this process, at NOW: the figures to expect."""
    rt = _prepared(farm, where, f"sqlite:///{where / 'reference.sqlite'}", copies)
    for title in titles:
        assert perform_refresh(rt, rt.store.create_job(KIND, title), title, NOW)
    url = str(rt.config["DATABASE_URL"])
    rt.store.dispose()
    return _event_figures(url, titles)


def _event_figures(url: str, titles: list[str]) -> dict[Any, Any]:
    import sqlalchemy as sa

    engine = sa.create_engine(url)
    with engine.connect() as conn:
        latest = latest_snapshots(conn)
    engine.dispose()
    return {title: latest[("event", title)]["figures"] for title in titles}


def _env(rt: Runtime, prefix: str, where: Path, farm_file: str | None = None, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "TOOL_REDIS_URL": REDIS_URL,
        "TOOL_REDIS_PREFIX": prefix,
        "TOOL_DATABASE_URL": str(rt.config["DATABASE_URL"]),
        "TOOL_FARM": farm_file or str(rt.config["FARM"]),
        "TOOL_INSTANCE_PATH": str(where),
        **{f"TOOL_{key}": value for key, value in extra.items()},
    }


def _worker(env: dict[str, str], log: Path, *args: str) -> subprocess.Popen[bytes]:
    """``python -m tool worker`` in a session of its own (so it can be killed with its job process)."""
    with log.open("ab") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "tool", "worker", *args],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def _wait_for(what: str, done: Any, timeout: float = WAIT) -> None:
    deadline = time.monotonic() + timeout
    while not done():
        assert time.monotonic() < deadline, f"{what}: not within {timeout} s"
        time.sleep(0.1)


def _stop(workers: list[subprocess.Popen[bytes]]) -> None:
    for worker in workers:
        if worker.poll() is None:
            worker.send_signal(signal.SIGTERM)  # RQ's warm shutdown
    for worker in workers:
        try:
            worker.wait(timeout=60)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()


def _prefixed_keys(connection: redis.Redis, prefix: str) -> dict[str, int]:
    """Every key holding the prefix, with its TTL in seconds (-1: none)."""
    return {key.decode(): int(connection.ttl(key)) for key in connection.scan_iter(match=f"*{prefix}*")}


@pytest.fixture(params=["sqlite", "mariadb"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'store.sqlite'}"
    else:
        with throwaway_mariadb_database() as url:
            yield url


def test_three_workers_refresh_twenty_events_each_exactly_once(
    farm: dict[str, Any], tmp_path: Path, prefix: str, store_url: str
) -> None:
    titles = _copies()
    expected = _reference(farm, tmp_path / "reference", titles, EVENTS)
    rt = _prepared(farm, tmp_path / "store", store_url, EVENTS)
    store = rt.store
    config = {
        **rt.config,
        **DEFAULTS,
        "DATABASE_URL": store_url,
        "REDIS_URL": REDIS_URL,
        "REDIS_PREFIX": prefix,
    }
    runner = RedisRunner(config, store)

    requested = [runner.request_refresh(title, NOW) for title in titles]
    assert not any(r.joined for r in requested)
    assert len({r.job_id for r in requested}) == EVENTS
    # Asked again while they wait: each request joins its event's job, nothing more is queued.
    again = [runner.request_refresh(title, NOW) for title in titles]
    assert [(r.job_id, r.joined) for r in again] == [(r.job_id, True) for r in requested]
    queue = refresh_queue(runner.connection, prefix)
    assert queue.count == EVENTS

    # What RQ keeps of a job is JSON: the function's name and its arguments, nothing pickled.
    raw = runner.connection.hget(Job.key_for(Names(prefix).job_id(requested[0].job_id)), "data")
    assert isinstance(raw, bytes)
    assert json.loads(zlib.decompress(raw)) == [
        "tool.jobs.redisqueue.run_refresh_job",
        None,
        [requested[0].job_id, titles[0], NOW.isoformat()],
        {},
    ]

    env = _env(rt, prefix, tmp_path, **FAST_WORKERS)
    workers = [_worker(env, tmp_path / f"worker-{n}.log") for n in range(WORKERS)]
    try:
        _wait_for(
            "every job ended",
            lambda: all(store.get_job(r.job_id).state in ("finished", "failed") for r in requested),  # type: ignore[union-attr]
        )
    finally:
        _stop(workers)
    logs = [(tmp_path / f"worker-{n}.log").read_text() for n in range(WORKERS)]
    # Workers writing the facts of events that share people deadlock now and then on MariaDB: the
    # store runs the transaction given up again (tool.store.engine.retried).
    conflicts = sum(log.count("given up for a concurrent write") for log in logs)
    print(f"\n{conflicts} transactions given up for a concurrent one and run again")

    jobs = [store.get_job(r.job_id) for r in requested]
    assert [(job.target, job.state, job.attempts, job.error) for job in jobs if job] == [
        (title, "finished", 1, None) for title in titles
    ]
    with store.engine.connect() as conn:
        import sqlalchemy as sa

        from tool.store import models as m

        kept = Counter(conn.execute(sa.select(m.Snapshot.target).where(m.Snapshot.kind == "event")).scalars())
    assert kept == Counter(titles)  # each event refreshed exactly once: one snapshot each
    finished = set(queue.finished_job_registry.get_job_ids())
    assert finished == {Names(prefix).job_id(r.job_id) for r in requested}
    assert queue.failed_job_registry.get_job_ids() == []
    assert queue.count == 0
    by_worker = Counter(
        Job.fetch(job_id, connection=runner.connection, serializer=SERIALIZER).worker_name
        for job_id in finished
    )
    print(f"jobs per worker: {sorted(by_worker.values(), reverse=True)}")
    assert sum(by_worker.values()) == EVENTS

    assert _event_figures(store_url, titles) == expected  # the same figures as one after another

    # Every key the jobs left holds the secret prefix and has a TTL; RQ's sets every tool can
    # read name none of ours.
    keys = _prefixed_keys(runner.connection, prefix)
    print(f"{len(keys)} keys under the prefix, e.g. {sorted(keys)[:6]}")
    assert keys
    assert [key for key, ttl in keys.items() if ttl < 0] == []
    for shared in ("rq:queues", "rq:workers"):
        assert not [m for m in runner.connection.smembers(shared) if prefix.encode() in m]
    store.dispose()


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(child) for child in path.read_text().split()] if path.exists() else []


def test_a_worker_killed_mid_job_leaves_it_failed_and_retryable_and_the_retry_ends_the_same(
    farm: dict[str, Any], tmp_path: Path, prefix: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = _reference(farm, tmp_path / "reference", [EVENT])
    rt = _prepared(farm, tmp_path / "store", f"sqlite:///{tmp_path / 'store.sqlite'}")
    store = rt.store
    config = {**DEFAULTS, **rt.config, "REDIS_URL": REDIS_URL, "REDIS_PREFIX": prefix}
    runner = RedisRunner(config, store)
    job_id = runner.request_refresh(EVENT, NOW).job_id
    rq_id = Names(prefix).job_id(job_id)

    slow = FaultPlan(rate=0.0, delay=0.2, page_limit=10)
    with FaultProxy.for_farm(farm, slow) as proxy:
        farm_file = str(proxy.write_farm(farm, tmp_path / "slow-farm.json"))
        worker = _worker(_env(rt, prefix, tmp_path, farm_file, **FAST_WORKERS), tmp_path / "killed.log")
        try:

            def mid_job() -> bool:
                job = store.get_job(job_id)
                assert worker.poll() is None, "the worker ended before it could be killed"
                return job is not None and job.state == "running" and 1 <= job.done < job.total

            _wait_for("the job half-way", mid_job)
            # The worker and the process running its job, as an evicted container loses them.
            for pid in [*_children(worker.pid), worker.pid]:
                os.kill(pid, signal.SIGKILL)
        finally:
            worker.kill()
            worker.wait()
    killed = store.get_job(job_id)
    assert killed is not None
    print(f"\nkilled at {killed.done} of {killed.total} batches")
    assert (killed.state, killed.attempts) == ("running", 1)  # nobody could say otherwise yet

    # RQ's abandoned-job handling, which every worker runs every WORKER_MAINTENANCE seconds: once
    # the job's last heartbeat is older than JOB_ABANDONED_AFTER, it is failed and run again.
    queue = refresh_queue(runner.connection, prefix)
    registry = queue.started_job_registry
    _wait_for("the job abandoned", lambda: rq_id in registry.get_expired_job_ids(), timeout=60)
    for key, value in _env(rt, prefix, tmp_path).items():
        if key.startswith("TOOL_"):
            monkeypatch.setenv(key, value)  # the failure is recorded in the store, as a worker would
    registry.cleanup()

    failed = store.get_job(job_id)
    assert failed is not None
    assert (failed.state, failed.attempts) == ("queued", 1)  # failed, and queued to run again …
    assert failed.error is not None
    assert json.loads(failed.error)["code"] == "job-error-abandoned"
    rq_job = Job.fetch(rq_id, connection=runner.connection, serializer=SERIALIZER)
    assert (rq_job.get_status(), rq_job.retries_left) == (JobStatus.QUEUED, 0)  # … by RQ's retry
    app = create_app({**config, "TESTING": True})
    page = app.test_client().get("/event/" + quote(EVENT.replace(" ", "_"), safe="/,"))
    assert "An attempt stopped before it finished, and the refresh runs again: The worker running" in (
        page.get_data(as_text=True)
    )

    retry = _worker(_env(rt, prefix, tmp_path, **FAST_WORKERS), tmp_path / "retry.log", "--burst")
    try:
        retry.wait(timeout=WAIT)
    finally:
        _stop([retry])
    print((tmp_path / "retry.log").read_text()[-1500:])
    done = store.get_job(job_id)
    assert done is not None
    assert (done.state, done.attempts, done.error, done.done) == ("finished", 2, None, done.total)
    assert _event_figures(str(rt.config["DATABASE_URL"]), [EVENT]) == expected
    store.dispose()


def test_with_redis_the_web_queues_on_rq_and_counts_requests_in_redis(
    farm: dict[str, Any], tmp_path: Path, prefix: str
) -> None:
    rt = _prepared(farm, tmp_path / "store", f"sqlite:///{tmp_path / 'store.sqlite'}")
    app = create_app(
        {
            "DATABASE_URL": rt.config["DATABASE_URL"],
            "FARM": farm["status_file"],
            "REDIS_URL": REDIS_URL,
            "REDIS_PREFIX": prefix,
            "REFRESH_LIMIT": "2 per hour",
            "TESTING": True,
        }
    )
    path = "/event/" + quote(EVENT.replace(" ", "_"), safe="/,")
    client = app.test_client()
    log_in(client, ALICE)
    page = client.get(path).get_data(as_text=True)
    token = page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    for _ in range(2):  # the second joins the first: one job
        assert client.post(path + "/refresh", data={"csrf_token": token}).status_code == 303
    assert client.post(path + "/refresh", data={"csrf_token": token}).status_code == 429
    queue = refresh_queue(redis.Redis.from_url(REDIS_URL), prefix)
    assert queue.count == 1
    job = rt.store.latest_job(KIND, EVENT)
    assert job is not None
    assert job.state == "queued"
    assert "A refresh of this event is waiting for a free worker." in client.get(path).get_data(as_text=True)

    # The counts of the rate limit live in Redis, under the prefix, with the window's TTL.
    keys = _prefixed_keys(queue.connection, prefix)
    limits = {key: ttl for key, ttl in keys.items() if key.startswith(Names(prefix).limits)}
    print(f"\nthe rate limit's keys: {limits}")
    assert limits
    assert all(0 < ttl <= 3601 for ttl in limits.values())

    worker = _worker(_env(rt, prefix, tmp_path), tmp_path / "worker.log", "--burst")
    try:
        worker.wait(timeout=WAIT)
    finally:
        _stop([worker])
    done = rt.store.get_job(job.id)
    assert done is not None
    assert (done.state, done.attempts) == ("finished", 1)
    assert "The last refresh finished" in client.get(path).get_data(as_text=True)
    rt.store.dispose()
