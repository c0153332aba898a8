"""The read-only JSON API under /api/v1/ (docs/api.md), described by tool/web/openapi.yaml.

Every answer comes from the store as the refreshes left it: pages as last parsed, snapshots as
last counted. Nothing is counted on a request.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import flask
import yaml

from tool import messages
from tool.metrics.keys import CONTEXT_KEYS
from tool.pipeline.comparisons import KIND as COMPARISON
from tool.pipeline.discover import cohort_events
from tool.store import EventListing, SchemaBehind, StoreUnavailable
from tool.web import api_documents as documents
from tool.web.api_query import QueryError, events_query, single_values, window
from tool.web.data import store
from tool.web.listing import matching

bp = flask.Blueprint("api", __name__, url_prefix="/api/v1")

SPEC_PATH = Path(__file__).with_name("openapi.yaml")


@cache
def openapi_spec() -> dict[str, Any]:
    with SPEC_PATH.open(encoding="utf-8") as f:
        spec: dict[str, Any] = yaml.safe_load(f)
    return spec


@bp.errorhandler(QueryError)
def _query_error(error: QueryError) -> tuple[flask.Response, int]:
    return _error(error.code, error.status, error.params)


@bp.errorhandler(StoreUnavailable)
def _store_unavailable(error: StoreUnavailable) -> tuple[flask.Response, int]:
    flask.current_app.logger.error("the store is unavailable: %s", error)
    code = "api-error-schema-behind" if isinstance(error, SchemaBehind) else "api-error-store-unavailable"
    return _error(code, 503, {})


def _error(code: str, status: int, params: dict[str, str]) -> tuple[flask.Response, int]:
    language = flask.g.get("interface_language_code", "en")
    message = messages.text(code, language, **params)
    return flask.jsonify(error={"code": code, "message": message, "params": params}), status


@bp.get("/openapi.json")
def openapi() -> flask.Response:
    return flask.jsonify(openapi_spec())


@bp.get("/events")
def events() -> flask.Response:
    query = events_query(flask.request.args.to_dict(flat=False))
    the_store = store()
    kept = matching(the_store, the_store.event_listings(), query)
    slice_ = window(query, len(kept))
    return flask.jsonify(
        total=slice_.total,
        limit=slice_.limit,
        offset=slice_.offset,
        page=slice_.page,
        pages=slice_.pages,
        events=[documents.event_summary(listing) for listing in kept[slice_.offset :][: slice_.limit]],
    )


@bp.get("/event")
def event() -> flask.Response:
    title = _title()
    the_store = store()
    # Found by title on its indexes, not by reading every event's listing.
    record = the_store.get_event(title)
    if record is None:
        raise QueryError("api-error-unknown-event", 404, title=title)
    listed = sum(1 for person in the_store.participants(title) if person.exists)
    listing = EventListing(record, the_store.latest_snapshot("event", title), listed)
    return flask.jsonify(documents.event_detail(listing))


@bp.get("/cohort")
def cohort() -> flask.Response:
    title = _title()
    the_store = store()
    record = the_store.get_cohort(title)
    if record is None:
        raise QueryError("api-error-unknown-cohort", 404, title=title)
    events = cohort_events(the_store, record)
    snapshot = the_store.latest_snapshot("cohort", title)
    return flask.jsonify(documents.cohort_detail(record, events, snapshot))


@bp.get("/compare")
def compare() -> flask.Response:
    values = single_values(flask.request.args.to_dict(flat=False), ("by", "uselang"))
    by = values.get("by")
    if by is None:
        raise QueryError("api-error-missing-parameter", name="by")
    if by not in CONTEXT_KEYS:
        raise QueryError("api-error-unknown-comparison", value=by, fields=", ".join(CONTEXT_KEYS))
    snapshot = store().latest_snapshot(COMPARISON, by)
    if snapshot is None:
        raise QueryError("api-error-comparison-not-computed", 404, field=by)
    return flask.jsonify(documents.comparison_document(snapshot))


def _title() -> str:
    values = single_values(flask.request.args.to_dict(flat=False), ("title", "uselang"))
    title = values.get("title", "").strip()
    if not title:
        raise QueryError("api-error-missing-parameter", name="title")
    return title.replace("_", " ")
