"""/healthz: liveness for Toolforge's web service probe and for maintainers."""

from __future__ import annotations

from typing import Any

import flask

import tool
from tool.store import SchemaBehind, StoreUnavailable
from tool.web.data import store

bp = flask.Blueprint("health", __name__)


@bp.get("/healthz")
def healthz() -> tuple[flask.Response, int]:
    """200 when the database answers and its schema is the code's; 503 ("up but not serving") otherwise.

    The app's own store, so a probe costs one query on a pooled connection (two until the schema
    was once found current), never a new engine.
    """
    body: dict[str, Any] = {"version": tool.__version__}
    try:
        store().ping()
        body["store"] = True
        store().require_current()
        body["schema"] = "current"
    except SchemaBehind as e:
        # The revisions, not the message: a public probe must not show the database's address.
        body.update(schema="behind", schema_revision=e.current, schema_needed=e.head)
    except StoreUnavailable as e:
        body["store"] = False
        body["store_error"] = type(e.__cause__ or e).__name__  # the kind of failure, not its details
    ok = body.get("schema") == "current"
    body["status"] = "ok" if ok else "degraded"
    return flask.jsonify(body), 200 if ok else 503
