"""The refresh job: one event refreshed in the background, its state and progress kept in the store.

Both runners (tool.jobs.inprocess, tool.jobs.redisqueue) run this same body. It records what
happens where the event's page reads it: running (each attempt counted), each batch done of their
total, then finished (a new snapshot, the event's cohorts counted again) or failed with a coded
error, shown in the reader's language. A failed refresh keeps no snapshot, so the page goes on
showing the last good one.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime

from rq.timeouts import BaseTimeoutException

from tool import messages
from tool.pipeline import evaluate
from tool.pipeline.refresh import refresh_cohorts, refresh_event
from tool.runtime import BotLoginFailed, Runtime
from tool.store import StoreUnavailable
from tool.wiki.api import ApiError, WikiUnavailable
from tool.wiki.registry import UnknownWiki

#: The job table's ``kind`` of an event's refresh.
KIND = "refresh"

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class JobError:
    """Why a job failed: an i18n message key (``job-error-…`` or the evaluator's) and its parameters."""

    code: str
    params: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> str:
        return json.dumps({"code": self.code, "params": self.params}, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> JobError:
        try:
            data = json.loads(text)
            return cls(str(data["code"]), {str(k): str(v) for k, v in data.get("params", {}).items()})
        except (ValueError, KeyError, TypeError, AttributeError):
            # Not written by this module (a hand edit, an older tool): still said, never hidden.
            return cls("job-error-unexpected", {"error": text})

    def text(self, language: str = "en") -> str:
        return messages.text(self.code, language, **self.params)


ABANDONED = JobError("job-error-abandoned")
KILLED = JobError("job-error-killed")


def describe(error: BaseException) -> JobError:
    """What a reader is told of an exception raised by a refresh (details of the tool's own
    database are for its maintainers' logs, not for the page)."""
    if isinstance(error, evaluate.NotEvaluable):
        return JobError(error.code, dict(error.params))
    if isinstance(error, WikiUnavailable | ApiError | UnknownWiki | BotLoginFailed):
        return JobError("job-error-wiki", {"error": str(error)})
    if isinstance(error, StoreUnavailable):
        return JobError("job-error-store")
    if isinstance(error, BaseTimeoutException):
        return JobError("job-error-timeout")
    return JobError("job-error-unexpected", {"error": type(error).__name__})


def perform_refresh(rt: Runtime, job_id: int, title: str, now: datetime | None = None) -> bool:
    """Refresh the event ``title`` as job ``job_id``; True when it finished, False when it failed.

    ``now``: the moment the outcomes are counted at (default: when the job starts), as the CLI's
    ``--now``. A failure is recorded and logged, not raised: it is the job's result. Only a
    failure to record it (the store is gone) is raised, for the runner to say.
    """
    store = rt.store
    store.start_job(job_id)
    when = now or datetime.now(UTC)

    def progress(done: int, total: int, wiki: str) -> None:
        store.update_job(
            job_id, done=done, total=total, progress=done / total if total else 1.0, message=wiki
        )

    try:
        refresh_event(rt, store, title, when, progress)
        refresh_cohorts(store, when, [title])
    except Exception as e:  # everything a refresh can meet: the page says it, the worker goes on
        error = describe(e)
        log.warning(
            "refresh job %s of %s failed: %s", job_id, title, e, exc_info=error.code == "job-error-unexpected"
        )
        store.update_job(job_id, state="failed", error=error.to_json(), finished=datetime.now(UTC))
        return False
    store.update_job(job_id, state="finished", error=None, finished=datetime.now(UTC))
    return True
