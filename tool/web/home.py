"""The home page: what the tool is, and the events it knows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import quote
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import flask

from tool.metrics import Outcomes
from tool.store import SchemaBehind, StoreUnavailable
from tool.web.data import runtime, store

bp = flask.Blueprint("home", __name__)


@dataclass(frozen=True)
class EventRow:
    title: str
    name: str
    url: str
    dates: str
    region: str
    participants: int
    problems: int


@bp.get("/")
def index() -> tuple[str, int]:
    home_url = _home_wiki_url()
    try:
        rows = _event_rows(home_url)
    except SchemaBehind as e:
        flask.current_app.logger.error("%s", e)
        page = flask.render_template(
            "index.html", home_wiki_url=home_url, events=[], store_problem="index-store-schema-behind"
        )
        return page, 503
    except StoreUnavailable:
        flask.current_app.logger.exception("the store is unavailable")
        page = flask.render_template(
            "index.html", home_wiki_url=home_url, events=[], store_problem="index-store-unavailable"
        )
        return page, 503
    return flask.render_template("index.html", home_wiki_url=home_url, events=rows, store_problem=None), 200


def _event_rows(home_url: str) -> list[EventRow]:
    rows = []
    for listing in store().event_listings():
        event, snapshot = listing.event, listing.snapshot
        if snapshot is not None:
            count = Outcomes.from_json(snapshot.figures).figures["participants"].value or 0
        else:
            count = listing.listed
        dates = _local_dates(event.start, event.end, event.timezone)
        rows.append(
            EventRow(
                title=event.title,
                name=event.name,
                url=f"{home_url}?title={quote(event.title.replace(' ', '_'))}",
                dates=dates,
                region=event.context.get("region", ""),
                participants=int(count),
                problems=len(event.problems),
            )
        )
    return rows


def _local_dates(start: datetime | None, end: datetime | None, timezone: str) -> str:
    """The dates as the organizer wrote them: in the event's own time zone, not UTC."""
    if start is None or end is None:
        return "—"
    try:
        zone = ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")
    try:
        return f"{start.astimezone(zone):%Y-%m-%d} – {end.astimezone(zone):%Y-%m-%d}"
    except OverflowError:
        # A time near year 1 or 9999 stored before dates were bounded (issue #7): shifting it into
        # the zone leaves datetime's range. The UTC dates are still true; one event never takes
        # the page down for every visitor.
        return f"{start.date().isoformat()} – {end.date().isoformat()}"


def _home_wiki_url() -> str:
    """Where organizers put event pages: the farm's metawiki locally, Meta-Wiki in production."""
    registry = runtime().registry
    return str(registry.info(registry.home).index)
