"""Jobs: a long task (a sync, a discovery) and how far it got, for a page that shows its progress.

Only tests call these methods yet: they stay for the job queue of the next issue, which runs the
web's refresh requests in the background and reports their progress through them.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from tool.store import models as m
from tool.store.engine import Database
from tool.store.records import JobRecord, from_row

_CHANGEABLE = {"state", "progress", "message", "error", "started", "finished"}


class Jobs(Database):
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
                )
            )
            key = result.inserted_primary_key
            assert key is not None
            return int(key[0])

    def update_job(self, job_id: int, **changes: Any) -> None:
        unknown = set(changes) - _CHANGEABLE
        if unknown:
            raise ValueError(f"a job has no field(s) {', '.join(sorted(unknown))}")
        with self._tx() as conn:
            conn.execute(sa.update(m.Job).where(m.Job.id == job_id).values(**changes))

    def get_job(self, job_id: int) -> JobRecord | None:
        with self._tx() as conn:
            row = conn.execute(sa.select(m.Job).where(m.Job.id == job_id)).first()
        return from_row(JobRecord, row) if row else None
