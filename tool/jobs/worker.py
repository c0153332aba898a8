"""An RQ worker of the refresh queue (``python -m tool worker``; the Procfile's ``worker:``).

Any number of them can run against the same Redis and store: RQ hands each job to one worker.
RQ's worker, with what a shared Redis and the store need:

- the set of workers under the secret prefix, and its keys kept with a TTL (tool.jobs.rqsetup);
- RQ's ``rq:suspended`` is one key for every tool on the server (``rq suspend`` by another tool
  would stop ours), so this worker does not read it;
- a job is abandoned ``JOB_ABANDONED_AFTER`` seconds after its worker's last heartbeat (RQ's 60)
  and then recorded as failed and run again (tool.jobs.redisqueue); a job process that dies under
  a living worker is recorded so too.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any

import redis
from rq import Queue, Worker
from rq.job import Job

from tool.jobs.redisqueue import record_killed
from tool.jobs.rqsetup import SERIALIZER, Names, keep_alive, queue_class, refresh_queue


class RefreshWorker(Worker):
    def __init__(self, *args: Any, prefix: str, abandoned_after: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.prefix = prefix
        self.abandoned_after = abandoned_after

    def get_heartbeat_ttl(self, job: Job) -> int:
        """How long the job's entry among started jobs lives without a heartbeat (RQ adds 60 s)."""
        interval = int(self.job_monitoring_interval)
        if job.timeout and job.timeout > 0:
            interval = min(interval, int(job.timeout - self.current_job_working_time))
        return interval + self.abandoned_after

    def check_for_suspension(self, burst: bool) -> None:
        return None

    def run_maintenance_tasks(self) -> None:
        super().run_maintenance_tasks()
        self._keep_alive()

    def execute_job(self, job: Job, queue: Queue) -> None:
        self._keep_alive()  # the started registry is made again when a queue empties
        super().execute_job(job, queue)
        self._keep_alive()

    def _keep_alive(self) -> None:
        for queue in self.queues:
            keep_alive(self.connection, queue, self.prefix)


@cache
def worker_class(prefix: str) -> type[RefreshWorker]:
    """The worker with RQ's set of every worker under the prefix."""
    return type("PrefixedRefreshWorker", (RefreshWorker,), {"redis_workers_keys": Names(prefix).workers_set})


def make_worker(config: Mapping[str, Any]) -> RefreshWorker:
    prefix = str(config["REDIS_PREFIX"])
    connection = redis.Redis.from_url(str(config["REDIS_URL"]))
    return worker_class(prefix)(
        [refresh_queue(connection, prefix)],
        name=Names(prefix).new_worker_name(),
        connection=connection,
        serializer=SERIALIZER,
        queue_class=queue_class(prefix),
        job_monitoring_interval=int(config["WORKER_HEARTBEAT"]),
        maintenance_interval=int(config["WORKER_MAINTENANCE"]),
        work_horse_killed_handler=record_killed,
        prefix=prefix,
        abandoned_after=int(config["JOB_ABANDONED_AFTER"]),
    )
