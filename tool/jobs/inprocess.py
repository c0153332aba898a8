"""The in-process runner: without Redis, refreshes run on one thread of the web process itself.

What makes the embedded default work with no service at all (`make demo`, a laptop). One thread,
so jobs run one after another, as one RQ worker would run them; the thread has its own Runtime
(wiki clients are used by one thread at a time). One job per event at a time holds within the
process: production runs several web processes, and uses Redis (tool.jobs.redisqueue).
"""

from __future__ import annotations

import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime

from tool.jobs import Requested
from tool.jobs.refresh import KIND, perform_refresh
from tool.runtime import Runtime

log = logging.getLogger(__name__)


class InProcessRunner:
    def __init__(self, runtime: Runtime) -> None:
        self._runtime = runtime
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="refresh-job")
        self._lock = threading.Lock()
        self._active: dict[str, int] = {}  # event title -> its job, queued or running

    def request_refresh(self, title: str, now: datetime | None = None) -> Requested:
        with self._lock:
            running = self._active.get(title)
            if running is not None:
                return Requested(running, joined=True)
            job_id = self._runtime.store.create_job(KIND, title)
            self._active[title] = job_id
        self._pool.submit(self._run, job_id, title, now)
        return Requested(job_id, joined=False)

    def _run(self, job_id: int, title: str, now: datetime | None) -> None:
        try:
            perform_refresh(self._runtime, job_id, title, now)
        except Exception:  # the store is gone: nothing to record it in; the log keeps it
            log.exception("refresh job %s of %s could not be recorded", job_id, title)
        finally:
            with self._lock:
                del self._active[title]

    def wait(self) -> None:
        """Block until every job submitted so far has ended (the CLI and tests)."""
        self._pool.submit(lambda: None).result()
