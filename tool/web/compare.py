"""The comparison page: /compare?by=<field>&figure=<key>, events grouped by a context field.

It shows the comparison the nightly run stored (tool.pipeline.comparisons), read as the API reads
it (api_documents.comparison_document); nothing is counted on a request. Per group: its events,
its distinct people, the headline figures with their statuses and denominators, and a chart of
one figure across the groups, per participant so that small and large groups compare.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import flask
from markupsafe import Markup
from toolforge_i18n import lang_dir

from tool import messages
from tool.metrics import FIGURE_KEYS, Figure, Outcomes
from tool.metrics.keys import CONTEXT_KEYS
from tool.metrics.outcomes import LeftOut
from tool.pipeline.comparisons import KIND as COMPARISON
from tool.store import SchemaBehind, StoreUnavailable
from tool.web import page_charts, readings
from tool.web.api_documents import comparison_document
from tool.web.data import store
from tool.web.readings import Reading

bp = flask.Blueprint("compare", __name__)

DEFAULT_FIGURE = "retained_30d"
# The figures each group shows; any figure can be charted.
HEADLINE_FIGURES = (
    "participants",
    "new_editors",
    "edits_during",
    "articles_created",
    "articles_improved",
    "uploads",
    "bytes_added",
    "retained_7d",
    "retained_30d",
    "retained_90d",
    "retained_180d",
    "edits_per_week_before_mean",
    "edits_per_week_after_mean",
)
# An unknown value is repeated in the error message; this much of it is enough to recognise it.
ECHO_CHARACTERS = 100


@dataclass(frozen=True)
class Row:
    key: str
    name: str
    reading: Reading


@dataclass(frozen=True)
class Group:
    value: str | None  # None for the events that leave the field empty
    events_url: str | None
    events: int
    people: Reading
    chosen: Reading
    rows: list[Row]
    left_out: list[str]


@dataclass(frozen=True)
class Comparison:
    computed_at: str
    data_time: str
    definitions_current: bool
    groups: list[Group]
    skipped: list[str]
    chart: Markup | None


@bp.get("/compare")
def page() -> tuple[str, int]:
    lang = flask.g.get("interface_language_code", "en")
    by = flask.request.args.get("by", "")
    figure = flask.request.args.get("figure", DEFAULT_FIGURE)
    if figure not in FIGURE_KEYS:
        return _error("compare-unknown-figure-body", value=_echo(figure)), 400
    if not by:
        return _page(None, figure, lang), 200
    if by not in CONTEXT_KEYS:
        return _error("compare-unknown-field-body", value=_echo(by), fields=", ".join(CONTEXT_KEYS)), 400
    try:
        snapshot = store().latest_snapshot(COMPARISON, by)
    except StoreUnavailable as e:
        flask.current_app.logger.error("the store is unavailable: %s", e)
        body = "api-error-schema-behind" if isinstance(e, SchemaBehind) else "api-error-store-unavailable"
        return flask.render_template("error.html", heading="error-server-heading", body=body), 503
    if snapshot is None:
        # Said in words on the page, with the chooser: the nightly run has not stored this one yet.
        return _page(by, figure, lang, missing=True), 404
    comparison = _comparison(comparison_document(snapshot), by, figure, lang)
    return _page(by, figure, lang, comparison=comparison), 200


def _page(
    by: str | None, figure: str, lang: str, comparison: Comparison | None = None, missing: bool = False
) -> str:
    return flask.render_template(
        "compare.html",
        by=by,
        fields=CONTEXT_KEYS,
        figure=figure,
        # Links keep a figure chosen other than the default, and the default out of the URL.
        figure_param=None if figure == DEFAULT_FIGURE else figure,
        figures=[(key, page_charts.figure_name(key, lang)) for key in FIGURE_KEYS],
        figure_name=page_charts.figure_name(figure, lang),
        comparison=comparison,
        missing=missing,
        # Kept in the page's links and form only when it is the language the page is in.
        uselang=lang if flask.request.args.get("uselang") == lang else None,
    )


def _error(body: str, **params: str) -> str:
    return flask.render_template("error.html", heading="compare-error-heading", body=body, params=params)


def _echo(value: str) -> str:
    return value if len(value) <= ECHO_CHARACTERS else value[:ECHO_CHARACTERS] + "…"


def _comparison(document: dict[str, Any], by: str, figure: str, lang: str) -> Comparison:
    groups = []
    charted = []
    for stored in document["groups"]:
        outcomes = Outcomes.from_json(json.dumps(stored["outcomes"]))
        value = stored["value"]
        groups.append(_group(value, int(stored["events"]), outcomes, by, figure, lang))
        label = value if value is not None else messages.text("compare-group-unknown", lang)
        charted.append((label, outcomes.figures))
    rtl = lang_dir(lang) == "rtl"
    return Comparison(
        computed_at=_when(document["computed_at"]),
        data_time=_when(document["data_time"]),
        definitions_current=bool(document["definitions_current"]),
        groups=groups,
        skipped=[LeftOut.from_json(reason).text(lang) for reason in document["skipped"]],
        chart=page_charts.comparison(figure, charted, lang, rtl) if charted else None,
    )


def _group(value: str | None, events: int, outcomes: Outcomes, by: str, figure: str, lang: str) -> Group:
    figures: dict[str, Figure] = dict(outcomes.figures)
    # The events list filtered by this group's value; no filter finds the events that leave it empty.
    query: dict[str, Any] = {by: value}
    return Group(
        value=value,
        events_url=flask.url_for("home.index", **query) if value is not None else None,
        events=events,
        people=readings.reading(readings.PEOPLE, figures, lang),
        chosen=readings.reading(figure, figures, lang),
        rows=[
            Row(key, page_charts.figure_name(key, lang), readings.reading(key, figures, lang))
            for key in HEADLINE_FIGURES
        ],
        left_out=[reason.text(lang) for reason in outcomes.left_out],
    )


def _when(iso: str | None) -> str:
    if iso is None:
        return "—"
    return datetime.fromisoformat(iso.replace("Z", "+00:00")).strftime("%Y-%m-%d %H:%M UTC")
