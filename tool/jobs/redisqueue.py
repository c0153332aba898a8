"""The Redis runner: refreshes queued on RQ, run by any number of workers (tool.jobs.worker).

One job per event at a time: a request takes a short Redis lock on the event, and joins the job
that a key names for it while the store says that job is queued or running. A job whose worker
dies (SIGKILL, an evicted container) is found by RQ's abandoned-job handling once its heartbeats
stop: it is recorded as failed, and RQ runs it once more (``RETRIES``); a job that ends in a
failure of its own (a wiki down, an event that cannot be counted) is not run again, since the
same failure would come back: the job records it in the store and ends (tool.jobs.refresh).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from datetime import UTC, datetime
from functools import cache
from types import TracebackType
from typing import Any

import redis
from redis.exceptions import RedisError
from rq import Callback, Retry
from rq.exceptions import AbandonedJobError
from rq.job import Job

from tool import ROOT
from tool.config import load_config
from tool.jobs import QUEUE_WAIT, Requested, RunnerUnavailable, is_lost, lifetime
from tool.jobs.refresh import ABANDONED, KILLED, KIND, JobError, describe, perform_refresh
from tool.jobs.rqsetup import KEY_TTL, RESULT_TTL, Names, keep_alive, refresh_queue
from tool.runtime import Runtime
from tool.store import Store
from tool.store.jobs import ACTIVE

log = logging.getLogger(__name__)

#: Runs of a job after its worker died: once (a worker killed twice on the same event is a pattern).
RETRIES = 1
#: Seconds a request waits for another request on the same event to finish queueing.
REQUEST_LOCK = 30


class RedisRunner:
    def __init__(self, config: Mapping[str, Any], store: Store) -> None:
        self._config = config
        self._store = store
        self._prefix = str(config["REDIS_PREFIX"])
        self._names = Names(self._prefix)
        self.connection = redis.Redis.from_url(str(config["REDIS_URL"]))
        self.queue = refresh_queue(self.connection, self._prefix)

    def request_refresh(self, title: str, now: datetime | None = None) -> Requested:
        try:
            lock = self.connection.lock(
                self._names.request_lock(title), timeout=REQUEST_LOCK, blocking_timeout=REQUEST_LOCK
            )
            with lock:
                joined = self._under_way(title)
                if joined is not None:
                    return Requested(joined, joined=True)
                job_id = self._store.create_job(KIND, title)
                self._enqueue(job_id, title, now)
                ttl = int(lifetime(self._config).total_seconds())
                self.connection.set(self._names.active(title), job_id, ex=ttl)
        except RedisError as e:
            raise RunnerUnavailable(str(e)) from e
        return Requested(job_id, joined=False)

    def _under_way(self, title: str) -> int | None:
        named = self.connection.get(self._names.active(title))
        if named is None:
            return None
        job = self._store.get_job(int(named))
        if job is None or job.state not in ACTIVE or is_lost(job, self._config, datetime.now(UTC)):
            return None
        return job.id

    def _enqueue(self, job_id: int, title: str, now: datetime | None) -> None:
        try:
            self.queue.enqueue_call(
                "tool.jobs.redisqueue.run_refresh_job",
                args=(job_id, title, now.isoformat() if now else None),
                job_id=self._names.job_id(job_id),
                description=f"refresh {title}",
                timeout=int(self._config["JOB_TIMEOUT"]),
                ttl=int(QUEUE_WAIT.total_seconds()),
                result_ttl=RESULT_TTL,
                failure_ttl=KEY_TTL,
                retry=Retry(max=RETRIES),
                on_failure=Callback(record_failure),
            )
            keep_alive(self.connection, self.queue, self._prefix)
        except RedisError:
            # Not queued: said so on the event's page, and the next request starts afresh.
            error = JobError("job-error-queue").to_json()
            self._store.update_job(job_id, state="failed", error=error, finished=datetime.now(UTC))
            raise


def run_refresh_job(job_id: int, title: str, now: str | None = None) -> bool:
    """What an RQ worker runs (by name, with JSON arguments): the refresh, with a Runtime of its own.

    Made per job: the worker forks for each job, and a database connection must not cross a fork.
    """
    runtime = Runtime(load_config(ROOT / "instance"))
    try:
        return perform_refresh(runtime, job_id, title, datetime.fromisoformat(now) if now else None)
    finally:
        runtime.store.dispose()


def record_failure(
    job: Job, connection: redis.Redis, kind: type[BaseException], error: BaseException, tb: TracebackType
) -> None:
    """RQ's failure callback: a job abandoned by its worker, or one that could not record its own end."""
    _record(job, ABANDONED if isinstance(error, AbandonedJobError) else describe(error))


def record_killed(job: Job, retpid: int, ret_val: int, rusage: Any) -> None:
    """The worker's handler of a job process that died under it (killed, out of memory)."""
    _record(job, KILLED)


def _record(job: Job, error: JobError) -> None:
    """Failed, and queued again when RQ will run it once more: the page says which, and why."""
    store_job_id = int(job.args[0])
    store = _callback_store(os.getpid())
    try:
        record = store.get_job(store_job_id)
        if record is None or record.state == "finished":
            return  # it ended before its process did: nothing to correct
        again = bool(job.retries_left and job.retries_left > 0)
        store.update_job(
            store_job_id,
            state="queued" if again else "failed",
            error=error.to_json(),
            finished=None if again else datetime.now(UTC),
        )
    except Exception:  # the store is gone too: the worker's log is all that is left
        log.exception("could not record the failure of refresh job %s", store_job_id)


@cache
def _callback_store(pid: int) -> Store:
    """The store of this process (the worker's, or a job's when its body could not record its end).

    By process id: a job's process is forked from the worker's, and a database connection must
    not be shared across a fork.
    """
    return Store(load_config(ROOT / "instance")["DATABASE_URL"])
