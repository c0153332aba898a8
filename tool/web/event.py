"""An event's page in the tool: /event/<title>, its outcomes as the last refresh kept them.

Everything shown comes from the stored page record and the event's newest snapshot (figures,
goals, per-wiki table, the problems the refresh met); nothing is counted on a request.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import quote

import flask

from tool import export, messages
from tool.metrics import FIGURE_KEYS, Outcomes, per_wiki
from tool.metrics.keys import DEFINITIONS_VERSION
from tool.metrics.windows import ACTIVE_MONTHS, figure_window
from tool.pipeline import evaluate
from tool.pipeline.schedule import next_run, nightly_time
from tool.store import EventRecord, SnapshotRecord
from tool.web import chartcache
from tool.web import figures as present
from tool.web.data import runtime, store
from tool.web.refresh import refresh_view
from tool.web.titles import from_url_part, url_part
from tool.wiki.problems import Problem

bp = flask.Blueprint("event", __name__)

RETENTION_CURVE = tuple(f"active_month_{k}" for k in range(1, ACTIVE_MONTHS + 1))
RATES = (
    "edits_per_week_before_mean",
    "edits_per_week_after_mean",
    "edits_per_week_before_median",
    "edits_per_week_after_median",
)


@dataclass(frozen=True)
class ProblemView:
    line: int | None
    text: str


def problem_views(problems: list[Problem], language: str) -> list[ProblemView]:
    return [ProblemView(p.line, messages.text(p.code, language, **p.params)) for p in problems]


@dataclass(frozen=True)
class Counted:
    """What the newest snapshot holds, read for the page."""

    outcomes: Outcomes
    problems: list[ProblemView]
    wikis: dict[str, dict[str, present.FigureView]]
    snapshot: SnapshotRecord


@bp.get("/event/<path:title>")
def page(title: str) -> tuple[str, int]:
    wanted = from_url_part(title)
    the_store = store()
    record = the_store.get_event(wanted) if wanted else None
    if record is None:
        flask.abort(404)
    language = flask.g.get("interface_language_code", "en")
    snapshot = the_store.latest_snapshot("event", record.title)
    counted = _counted(snapshot, language) if snapshot is not None else None
    pending_until, not_evaluable = _pending_until(record)
    figures = (
        {key: present.view(key, counted.outcomes.figures, language, pending_until) for key in FIGURE_KEYS}
        if counted
        else {}
    )
    return flask.render_template(
        "event.html",
        event=record,
        title_part=url_part(record.title),
        wiki_url=wiki_url(record.title),
        counted=counted,
        figures=figures,
        headline=present.HEADLINE,
        curve=RETENTION_CURVE,
        rates=RATES,
        goals=_goals(counted, language) if counted else [],
        page_problems=problem_views([Problem.from_json(p) for p in record.problems], language),
        not_evaluable=not_evaluable,
        tracked=_tracked(record, language),
        freshness=freshness(snapshot, language),
        wiki_figures=per_wiki.WIKI_FIGURES,
        definitions_url=flask.url_for("info.definitions"),
        definitions_version=DEFINITIONS_VERSION,
        charts=chartcache.charts_for(the_store, snapshot.id, counted.outcomes.figures, language)
        if snapshot is not None and counted
        else None,
        refresh=refresh_view(record, snapshot, language),
    ), 200


@bp.get("/event/<path:title>/wikis.csv")
def wikis_csv(title: str) -> flask.Response:
    """The per-wiki table as CSV, with each cell's status (a pending cell is empty, never 0)."""
    wanted = from_url_part(title)
    the_store = store()
    record = the_store.get_event(wanted) if wanted else None
    if record is None:
        flask.abort(404)
    snapshot = the_store.latest_snapshot("event", record.title)
    if snapshot is None:
        flask.abort(404)
    table = per_wiki.from_json(json.loads(snapshot.figures).get("wikis"))
    response = flask.Response(export.per_wiki_csv(table), mimetype="text/csv")
    response.headers["Content-Disposition"] = _attachment(f"{record.title}-wikis.csv")
    return response


def _attachment(filename: str) -> str:
    """An attachment header any browser reads: an ASCII name, and the real one in RFC 5987 form."""
    ascii_name = "".join(c if c.isascii() and (c.isalnum() or c in "-_.") else "_" for c in filename)
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename, safe='')}"


def _counted(snapshot: SnapshotRecord, language: str) -> Counted:
    data = json.loads(snapshot.figures)
    outcomes = Outcomes.from_json(snapshot.figures)
    table = per_wiki.from_json(data.get("wikis"))
    wikis = {
        wiki: {key: present.plain_view(key, figure, language) for key, figure in row.items()}
        for wiki, row in table.items()
    }
    problems = problem_views([Problem.from_json(p) for p in data.get("problems", [])], language)
    return Counted(outcomes, problems, wikis, snapshot)


def _pending_until(record: EventRecord) -> tuple[dict[str, datetime], str | None]:
    """When each figure's window closes (what "pending" waits for), or why the event cannot be counted."""
    try:
        spec = evaluate.spec_of(record)
    except evaluate.NotEvaluable as e:
        return {}, messages.text(e.code, flask.g.get("interface_language_code", "en"), **e.params)
    until: dict[str, datetime] = {}
    for key in FIGURE_KEYS:
        window = figure_window(spec, key)
        if window is not None:
            until[key] = window.stop if window.stop is not None else window.start
    return until, None


@dataclass(frozen=True)
class GoalView:
    label: str
    target: str
    value: str
    status: str
    status_text: str


def _goals(counted: Counted, language: str) -> list[GoalView]:
    goals = []
    for key, goal in sorted(counted.outcomes.goals.items()):
        goals.append(
            GoalView(
                label=present.label(key, language),
                target=present.number(goal.target, language),
                value="—" if goal.value is None else present.number(goal.value, language),
                status=goal.status,
                status_text=messages.text("goal-status-" + goal.status.replace("_", "-"), language),
            )
        )
    return goals


@dataclass(frozen=True)
class Tracked:
    wikis: list[str]
    namespaces: list[int]
    start_local: str
    end_local: str
    start_utc: str
    end_utc: str
    timezone: str


def _tracked(record: EventRecord, language: str) -> Tracked:
    zone = record.timezone or "UTC"
    return Tracked(
        wikis=list(record.wikis),
        namespaces=list(record.namespaces or [0]),
        start_local=present.when(record.start, language, zone),
        end_local=present.when(record.end, language, zone),
        start_utc=present.when(record.start, language),
        end_utc=present.when(record.end, language),
        timezone=zone,
    )


@dataclass(frozen=True)
class Freshness:
    data_time: str
    refreshed: str
    next_refresh: str


def freshness(snapshot: SnapshotRecord | None, language: str) -> Freshness:
    at = nightly_time(runtime().config["NIGHTLY_AT"])
    upcoming = present.when(next_run(datetime.now(UTC), at), language)
    if snapshot is None:
        return Freshness("—", "—", upcoming)
    return Freshness(
        data_time=present.when(snapshot.data_time, language),
        refreshed=present.when(snapshot.computed_at, language),
        next_refresh=upcoming,
    )


def wiki_url(title: str) -> str:
    registry = runtime().registry
    return f"{registry.info(registry.home).index}?title={quote(url_part(title))}"
