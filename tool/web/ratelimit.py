"""How often one person may ask for a refresh (REFRESH_LIMIT), counted per logged-in user.

flask-limiter, one Limiter per app (its storage is the app's: tests build apps with and without
Redis in one process). With REDIS_URL the counts live in Redis under the secret prefix, with the
window's TTL (every web process sees the same counts); without, in the process's memory.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import flask
from flask_limiter import Limiter, RateLimitExceeded
from redis.exceptions import RedisError

from tool.jobs import RunnerUnavailable
from tool.jobs.rqsetup import Names

EXTENSION = "event_outcomes_limiter"


@dataclass(frozen=True)
class Limited(Exception):
    """The user asked for more than REFRESH_LIMIT allows; they may ask again at ``retry_at``."""

    limit: str
    retry_at: datetime


def init_app(app: flask.Flask) -> None:
    config = app.config
    if config.get("REDIS_URL"):
        storage, options = str(config["REDIS_URL"]), {"key_prefix": Names(str(config["REDIS_PREFIX"])).limits}
    else:
        storage, options = "memory://", {}
    limiter = Limiter(
        key_func=_user,
        app=app,
        storage_uri=storage,
        storage_options=options,  # type: ignore[arg-type]
        strategy="fixed-window",
        # No limit on anything else: only the refresh view checks one (check_refresh).
        default_limits=[],
    )
    app.extensions[EXTENSION] = limiter


def check_refresh(user: str) -> None:
    """Count one refresh request of ``user``; Limited when it is one too many (then not counted);
    RunnerUnavailable when Redis, which keeps the counts, cannot be reached."""
    limiter: Limiter = flask.current_app.extensions[EXTENSION]
    limit = str(flask.current_app.config["REFRESH_LIMIT"])
    try:
        with limiter.limit(limit, key_func=lambda: user):
            pass
    except RateLimitExceeded as e:
        current = limiter.current_limit
        reset = datetime.fromtimestamp(current.reset_at, UTC) if current else datetime.now(UTC)
        raise Limited(str(e.limit.limit), reset) from e
    except RedisError as e:
        # The counts live in the Redis the queue uses: gone, nothing can be counted or queued.
        raise RunnerUnavailable(f"the refresh limit cannot be counted: {e}") from e


def _user() -> str:
    # Only check_refresh counts, with the user it is given; this key is never used.
    return "anonymous"
