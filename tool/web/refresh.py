"""Refresh as a job (issue #10, item 4): the event page's button, its progress, its outcome.

POST /event/<title>/refresh (a logged-in user, the form's CSRF token, within REFRESH_LIMIT) asks the
app's job runner (tool.jobs) for a refresh of the event, or joins the one under way, and returns to
the event page. The page shows the newest job of the event as the store has it: queued, batches
read of their total, then finished (the new snapshot is what the page shows) or failed with why,
the last good snapshot still shown. GET /event/<title>/refresh/status says the same as JSON, for
tool/static/refresh.js, which updates the page while the job runs; without JavaScript a reload
does. Neither is kept by the page cache while a job is under way.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime

import flask
from flask.typing import ResponseReturnValue

from tool import messages
from tool.jobs import JobRunner, RunnerUnavailable, is_lost
from tool.jobs.inprocess import InProcessRunner
from tool.jobs.redisqueue import RedisRunner
from tool.jobs.refresh import KIND, JobError
from tool.runtime import Runtime
from tool.store import EventRecord, JobRecord, SnapshotRecord
from tool.web import auth, pagecache, ratelimit
from tool.web import figures as present
from tool.web.data import runtime, store
from tool.web.titles import from_url_part, url_part

bp = flask.Blueprint("refresh", __name__)

EXTENSION = "event_outcomes_jobs"
#: Flashed after a request, shown once on the event page.
FLASH_CATEGORY = "refresh"


def init_app(app: flask.Flask) -> None:
    """The app's job runner (RQ with REDIS_URL, else in-process), its rate limiter, its routes."""
    rt: Runtime = app.extensions["event_outcomes"]
    runner: JobRunner
    if app.config.get("REDIS_URL"):
        runner = RedisRunner(app.config, rt.store)
    else:
        # A Runtime of its own: its wiki clients are used by the job's thread alone.
        runner = InProcessRunner(Runtime(rt.config))
    app.extensions[EXTENSION] = runner
    ratelimit.init_app(app)
    app.register_blueprint(bp)


def runner() -> JobRunner:
    found: JobRunner = flask.current_app.extensions[EXTENSION]
    return found


@bp.post("/event/<path:title>/refresh")
def request_refresh(title: str) -> ResponseReturnValue:
    # The CSRF token was checked before this view (tool.security): a bad one never gets here.
    user = auth.current_user()
    if user is None:
        return _error("refresh-login-heading", "refresh-login-body", 403)
    record = _event(title)
    try:
        ratelimit.check_refresh(user)
        requested = runner().request_refresh(record.title)
    except ratelimit.Limited as e:
        return _limited(e)
    except RunnerUnavailable as e:
        flask.current_app.logger.warning("refresh of %s not queued: %s", record.title, e)
        return _error("refresh-unavailable-heading", "refresh-unavailable-body", 503)
    flask.flash("refresh-flash-joined" if requested.joined else "refresh-flash-queued", FLASH_CATEGORY)
    # 303: the browser GETs the event page, and a reload does not post the form again.
    return flask.redirect(_page_url(record) + "#eo-refresh", 303)


@bp.get("/event/<path:title>/refresh/status")
def status(title: str) -> ResponseReturnValue:
    record = _event(title)
    language = flask.g.get("interface_language_code", "en")
    the_store = store()
    view = refresh_view(record, the_store.latest_snapshot("event", record.title), language)
    response = flask.jsonify(
        state=view.state,
        active=view.active,
        done=view.done,
        total=view.total,
        text=view.text,
        detail=view.detail,
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@dataclass(frozen=True)
class RefreshView:
    """The newest refresh of an event, as its page says it."""

    state: str  # none, queued, running, finished, failed
    done: int = 0
    total: int = 0
    text: str = ""
    detail: str | None = None

    @property
    def active(self) -> bool:
        return self.state in ("queued", "running")


def refresh_view(record: EventRecord, snapshot: SnapshotRecord | None, language: str) -> RefreshView:
    """What the page says of the event's newest refresh; a page showing one under way is not kept."""
    job = store().latest_job(KIND, record.title)
    if job is None:
        return RefreshView("none")
    now = datetime.now(UTC)
    if is_lost(job, runtime().config, now):
        return _failed(job, JobError("job-error-lost"), snapshot, language)
    if job.state in ("queued", "running"):
        pagecache.do_not_keep()
        return _under_way(job, language)
    if job.state == "failed":
        return _failed(job, JobError.from_json(job.error or ""), snapshot, language)
    return RefreshView(
        "finished",
        job.done,
        job.total,
        messages.text("refresh-finished", language, when=present.when(job.finished, language)),
    )


def _under_way(job: JobRecord, language: str) -> RefreshView:
    # A job queued again after a failed attempt keeps that attempt's error: said under the status.
    detail = (
        messages.text("refresh-retrying", language, error=JobError.from_json(job.error).text(language))
        if job.error
        else None
    )
    if job.state == "queued":
        text = messages.text("refresh-queued", language)
    elif job.total == 0:
        text = messages.text("refresh-starting", language)
    else:
        text = messages.text(
            "refresh-progress",
            language,
            done=present.number(job.done, language),
            num_total=job.total,
            wiki=job.message,
        )
    return RefreshView(job.state, job.done, job.total, text, detail)


def _failed(job: JobRecord, error: JobError, snapshot: SnapshotRecord | None, language: str) -> RefreshView:
    text = messages.text(
        "refresh-failed", language, asked=present.when(job.created, language), error=error.text(language)
    )
    kept = (
        messages.text("refresh-failed-kept", language, data_time=present.when(snapshot.data_time, language))
        if snapshot is not None
        else messages.text("refresh-failed-nothing-kept", language)
    )
    return RefreshView("failed", job.done, job.total, text, kept)


def _event(title: str) -> EventRecord:
    wanted = from_url_part(title)
    record = store().get_event(wanted) if wanted else None
    if record is None:
        flask.abort(404)
    return record


def _page_url(record: EventRecord) -> str:
    return flask.url_for("event.page", title=url_part(record.title))


def _limited(limited: ratelimit.Limited) -> ResponseReturnValue:
    language = flask.g.get("interface_language_code", "en")
    seconds = max(0.0, (limited.retry_at - datetime.now(UTC)).total_seconds())
    page, status = _error(
        "refresh-limited-heading",
        "refresh-limited-body",
        429,
        limit=limited.limit,
        num_minutes=max(1, round(seconds / 60)),  # the exact moment follows
        when=present.when(limited.retry_at, language),
    )
    response = flask.make_response(page, status)
    response.headers["Retry-After"] = str(max(1, math.ceil(seconds)))
    return response


def _error(heading: str, body: str, status: int, **params: object) -> tuple[str, int]:
    return flask.render_template("error.html", heading=heading, body=body, params=params), status
