"""Jobs: a long task (an event's refresh) and how far it got, for the page that shows its progress.

The job runners (tool.jobs) write here what the pages read: the state (queued, running, finished,
failed), the batches done of their total, the error of a failed one, how many times it was started.
A job that starts or ends changes what its target's page shows, so it moves the pages version
(tool.store.versions) in the same transaction; progress alone does not (the page of a job under
way is never kept by the page cache, tool.web.pagecache).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from tool.store import models as m
from tool.store.engine import Database, retried
from tool.store.records import JobRecord, from_row
from tool.store.versions import bump_pages

_CHANGEABLE = {"state", "progress", "message", "error", "started", "finished", "done", "total"}
#: The states of a job that is not over: its target's page shows its progress.
ACTIVE = ("queued", "running")


class Jobs(Database):
    @retried
    def create_job(self, kind: str, target: str) -> int:
        with self._tx() as conn:
            result = conn.execute(
                sa.insert(m.Job).values(
                    kind=kind,
                    target=target,
                    state="queued",
                    progress=0.0,
                    message="",
                    error=None,
                    created=datetime.now(UTC),
                    done=0,
                    total=0,
                    attempts=0,
                )
            )
            key = result.inserted_primary_key
            assert key is not None
            bump_pages(conn)
            return int(key[0])

    @retried
    def update_job(self, job_id: int, **changes: Any) -> None:
        unknown = set(changes) - _CHANGEABLE
        if unknown:
            raise ValueError(f"a job has no field(s) {', '.join(sorted(unknown))}")
        with self._tx() as conn:
            conn.execute(sa.update(m.Job).where(m.Job.id == job_id).values(**changes))
            if "state" in changes:
                bump_pages(conn)

    @retried
    def start_job(self, job_id: int) -> int:
        """Mark the job running from the start (a retry starts over), counting the attempt; returns it."""
        with self._tx() as conn:
            conn.execute(
                sa.update(m.Job)
                .where(m.Job.id == job_id)
                .values(
                    state="running",
                    started=datetime.now(UTC),
                    finished=None,
                    progress=0.0,
                    done=0,
                    total=0,
                    attempts=m.Job.attempts + 1,
                )
            )
            bump_pages(conn)
            return int(conn.execute(sa.select(m.Job.attempts).where(m.Job.id == job_id)).scalar_one())

    def get_job(self, job_id: int) -> JobRecord | None:
        with self._tx() as conn:
            row = conn.execute(sa.select(m.Job).where(m.Job.id == job_id)).first()
        return from_row(JobRecord, row) if row else None

    def latest_job(self, kind: str, target: str) -> JobRecord | None:
        """The newest job of ``kind`` on ``target`` (the one its page shows), or None."""
        with self._tx() as conn:
            row = conn.execute(
                sa.select(m.Job)
                .where(m.Job.kind == kind, m.Job.target == target)
                .order_by(m.Job.id.desc())
                .limit(1)
            ).first()
        return from_row(JobRecord, row) if row else None
