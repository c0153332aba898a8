"""A cohort's page in the tool: /cohort/<title>, its outcomes as the last refresh kept them.

The figures count each person and page once across the cohort's events (the group counting of
tool.store.facts); its events are listed with their own participants' figure. Read from snapshots.
"""

from __future__ import annotations

from dataclasses import dataclass

import flask

from tool.metrics import FIGURE_KEYS, Outcomes
from tool.metrics.keys import DEFINITIONS_VERSION
from tool.pipeline.discover import cohort_events
from tool.web import chartcache
from tool.web import figures as present
from tool.web.data import store
from tool.web.event import RATES, RETENTION_CURVE, freshness, problem_views, wiki_url
from tool.web.titles import from_url_part, url_part
from tool.wiki.problems import Problem

bp = flask.Blueprint("cohort", __name__)


@dataclass(frozen=True)
class MemberRow:
    title: str
    url_part: str
    name: str
    dates: str
    participants: present.FigureView | None  # None: not counted yet


@bp.get("/cohort/<path:title>")
def page(title: str) -> tuple[str, int]:
    wanted = from_url_part(title)
    the_store = store()
    record = the_store.get_cohort(wanted) if wanted else None
    if record is None:
        flask.abort(404)
    language = flask.g.get("interface_language_code", "en")
    snapshot = the_store.latest_snapshot("cohort", record.title)
    outcomes = Outcomes.from_json(snapshot.figures) if snapshot is not None else None
    figures = {key: present.view(key, outcomes.figures, language) for key in FIGURE_KEYS} if outcomes else {}
    titles = cohort_events(the_store, record)
    records = the_store.events_titled(titles)
    members = []
    for member in titles:
        event = records.get(member)
        if event is None:
            continue
        kept = the_store.latest_snapshot("event", member)
        participants = None
        if kept is not None:
            counted = Outcomes.from_json(kept.figures).figures["participants"]
            participants = present.plain_view("participants", counted, language)
        members.append(
            MemberRow(
                member,
                url_part(member),
                event.name,
                present.local_dates(event.start, event.end, event.timezone),
                participants,
            )
        )
    return flask.render_template(
        "cohort.html",
        cohort=record,
        title_part=url_part(record.title),
        wiki_url=wiki_url(record.title),
        outcomes=outcomes,
        figures=figures,
        headline=present.HEADLINE,
        curve=RETENTION_CURVE,
        rates=RATES,
        left_out=[reason.text(language) for reason in outcomes.left_out] if outcomes else [],
        members=members,
        page_problems=problem_views([Problem.from_json(p) for p in record.problems], language),
        freshness=freshness(snapshot, language),
        definitions_url=flask.url_for("info.definitions"),
        charts=chartcache.charts_for(the_store, snapshot.id, outcomes.figures, language)
        if snapshot is not None and outcomes
        else None,
        definitions_version=DEFINITIONS_VERSION,
    ), 200
