"""RQ on a shared Redis: every name under the secret prefix, every key with a TTL, JSON only.

Toolforge's Redis is one server for every tool, with no accounts: a tool's keys are private only
because their names hold a secret (REDIS_PREFIX). RQ's own names are fixed (``rq:queues``,
``rq:workers``: sets any tool can read, listing every queue and worker), so:

- the queue's name holds the prefix, which puts it in every key RQ derives from it (the queue,
  its registries of started, finished and failed jobs, its workers);
- job ids and worker names hold it too (the keys of a job, its results and executions, a worker);
- the two fixed sets are moved under the prefix (class attributes RQ reads for them);
- jobs are serialized as JSON: pickle from a shared server would run whatever another tool wrote.

RQ leaves its queue list, sets and registries without a TTL; ``keep_alive`` gives them one at
every enqueue and as workers work, so keys outlive their last use by at most ``KEY_TTL``.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from dataclasses import dataclass
from functools import cache

import redis
from rq import Queue
from rq.serializers import JSONSerializer
from rq.worker_registration import WORKERS_BY_QUEUE_KEY

#: How long RQ's queue, sets and registries outlive their last use (a failed job stays this long).
KEY_TTL = 7 * 24 * 3600
#: How long a finished job's RQ record stays (the store keeps its state for the pages).
RESULT_TTL = 3600
SERIALIZER = JSONSerializer


@dataclass(frozen=True)
class Names:
    """Every Redis name the jobs use, from the secret prefix."""

    prefix: str

    @property
    def _safe(self) -> str:
        # RQ's job ids and worker names take letters, digits, "-" and "_" only.
        return re.sub(r"[^A-Za-z0-9_-]", "_", self.prefix)

    @property
    def queue(self) -> str:
        return f"{self.prefix}:refresh"

    @property
    def queues_set(self) -> str:
        return f"{self.prefix}:rq:queues"

    @property
    def workers_set(self) -> str:
        return f"{self.prefix}:rq:workers"

    def job_id(self, store_job_id: int) -> str:
        return f"{self._safe}-refresh-{store_job_id}"

    def new_worker_name(self) -> str:
        return f"{self._safe}-{uuid.uuid4().hex}"

    def active(self, title: str) -> str:
        """The key naming an event's job under way (the title hashed: keys stay short)."""
        return f"{self.prefix}:refresh:active:{_digest(title)}"

    def request_lock(self, title: str) -> str:
        return f"{self.prefix}:refresh:lock:{_digest(title)}"

    @property
    def limits(self) -> str:
        """The rate limiter's keys (tool.web.ratelimit)."""
        return f"{self.prefix}:limits"


def _digest(title: str) -> str:
    return hashlib.sha256(title.encode("utf-8")).hexdigest()[:32]


@cache
def queue_class(prefix: str) -> type[Queue]:
    """Queue with RQ's set of every queue under the prefix."""
    return type("PrefixedQueue", (Queue,), {"redis_queues_keys": Names(prefix).queues_set})


def refresh_queue(connection: redis.Redis, prefix: str) -> Queue:
    return queue_class(prefix)(Names(prefix).queue, connection=connection, serializer=SERIALIZER)


def keep_alive(connection: redis.Redis, queue: Queue, prefix: str) -> None:
    """Give RQ's keys of the queue the TTL RQ leaves them without (a missing key is left missing)."""
    names = Names(prefix)
    keys = [
        queue.key,
        queue.intermediate_queue_key,
        names.queues_set,
        names.workers_set,
        WORKERS_BY_QUEUE_KEY % queue.name,
        queue.started_job_registry.key,
        queue.finished_job_registry.key,
        queue.failed_job_registry.key,
        queue.deferred_job_registry.key,
        queue.scheduled_job_registry.key,
        queue.canceled_job_registry.key,
    ]
    with connection.pipeline(transaction=False) as pipe:
        for key in keys:
            pipe.expire(key, KEY_TTL)
        pipe.execute()
