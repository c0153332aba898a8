"""A lock that keeps two runs of a job (the nightly discovery and refresh) from overlapping.

Two implementations behind one small interface: a Redis lock when Redis is configured (Toolforge
jobs run in separate containers, so only a shared service can see both), and an exclusive
``flock`` on a file in the instance folder without Redis (one machine: the OS sees both).
A run that dies never leaves the job locked for good: the Redis key expires after its TTL (kept
alive by the living run between events), and the OS drops a flock with the process.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Protocol

import redis
from redis.exceptions import LockError, RedisError

from tool import messages

#: Seconds a Redis lock outlives its last sign of life: longer than any one event's refresh.
LOCK_TTL = 3600
#: Seconds to wait for Redis to connect or to answer one command.
REDIS_TIMEOUT = 10


class LockUnavailable(Exception):
    """The lock's service cannot be reached: nothing can tell whether another run holds it."""


class LockLost(Exception):
    """The lock expired while the run held it (an event outlasted the TTL): another run may start."""


class RunLock(Protocol):
    """Held by at most one run at a time; ``where`` says where the lock lives, for messages."""

    where: str

    def acquire(self) -> bool:
        """Take the lock without waiting; False when another run holds it."""
        ...

    def keep(self) -> None:
        """Tell the lock the run is alive (LockLost if it is not held any more)."""
        ...

    def release(self) -> None: ...


class RedisRunLock:
    """redis-py's lock: a key with a random token (only its owner releases it) and a TTL."""

    def __init__(self, client: redis.Redis, key: str, ttl: float = LOCK_TTL, where: str = "") -> None:
        # The key starts with the secret prefix: messages (job logs) name it without the prefix.
        self.where = where or "a Redis key"
        self._client = client
        self._lock = client.lock(key, timeout=ttl, blocking=False)

    def acquire(self) -> bool:
        try:
            return bool(self._lock.acquire())
        except RedisError as e:
            raise LockUnavailable(messages.text("cli-nightly-redis-unavailable", error=str(e))) from e

    def keep(self) -> None:
        try:
            self._lock.reacquire()  # the TTL starts again
        except LockError as e:  # a RedisError too: caught first
            raise LockLost(messages.text("cli-nightly-lock-lost", where=self.where)) from e
        except RedisError as e:
            # Redis went away under the run: nothing can hold the lock now, and a Redis that comes
            # back empty would let the next run start beside this one. So this one stops.
            raise LockUnavailable(messages.text("cli-nightly-redis-lost", error=str(e))) from e

    def release(self) -> None:
        # Expired (and maybe taken by another run): it is not ours to remove. Redis gone: the key
        # goes with it, or expires on its TTL; either way there is nothing left to do.
        with contextlib.suppress(RedisError):
            self._lock.release()


class FileRunLock:
    """An exclusive, non-blocking flock on a file; the OS releases it when the process ends."""

    def __init__(self, path: Path) -> None:
        self.where = str(path)
        self._path = path
        self._fd: int | None = None

    def acquire(self) -> bool:
        self._path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self._path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        self._fd = fd
        return True

    def keep(self) -> None:
        pass  # held until released or the process ends: nothing can expire

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing the file drops the flock
            self._fd = None


def job_lock(config: Mapping[str, Any], job: str) -> RunLock:
    """The lock of one job: in Redis under the (secret) key prefix, else a file in the instance folder."""
    if config.get("REDIS_URL"):
        # Bounded waits: a Redis that does not answer must fail the run with a message, not hang it.
        client = redis.Redis.from_url(
            config["REDIS_URL"], socket_connect_timeout=REDIS_TIMEOUT, socket_timeout=REDIS_TIMEOUT
        )
        return RedisRunLock(
            client, f"{config['REDIS_PREFIX']}:lock:{job}", where=f"Redis key REDIS_PREFIX:lock:{job}"
        )
    return FileRunLock(Path(config["INSTANCE_PATH"]) / f"{job}.lock")
