"""Background work (DESIGN §3): an event's refresh as a job, on RQ with Redis, in-process without.

Both runners have one interface (JobRunner): ask for an event's refresh and get the store's job
(a new one, or the one already under way for that event: one job per event at a time). The job
(tool.jobs.refresh) is the same in both; it writes its state and progress to the store, where the
pages read them. docs/jobs.md says how it runs and scales.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from tool.store import JobRecord

#: The longest a job waits in the queue before it is dropped (RQ's ttl): no worker ran for a day.
QUEUE_WAIT = timedelta(days=1)


@dataclass(frozen=True)
class Requested:
    job_id: int
    joined: bool  # True: the event's refresh was already under way, and this request joined it


class RunnerUnavailable(Exception):
    """The queue cannot take a job now (Redis unreachable); nothing was queued."""


class JobRunner(Protocol):
    def request_refresh(self, title: str, now: datetime | None = None) -> Requested:
        """Queue a refresh of the event ``title``, or join the one under way (RunnerUnavailable).

        ``now``: the moment to count the outcomes at (default: when the job runs).
        """
        ...


def lifetime(config: Mapping[str, Any]) -> timedelta:
    """The longest a job can be queued or running: past it, a job still said to be is lost."""
    seconds = (
        int(config["JOB_TIMEOUT"])
        + int(config["JOB_ABANDONED_AFTER"])
        + int(config["WORKER_HEARTBEAT"])
        + int(config["WORKER_MAINTENANCE"])
    )
    return QUEUE_WAIT + timedelta(seconds=seconds)


def is_lost(job: JobRecord, config: Mapping[str, Any], now: datetime) -> bool:
    """A job still queued or running long after any runner would have ended it (its process died
    with no runner left to say so, as the in-process runner's when the web process stops)."""
    return job.state in ("queued", "running") and now - job.created > lifetime(config)
