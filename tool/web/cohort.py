"""A cohort's page in the tool: /cohort/<title> (its outcomes as last counted, and its events)."""

from __future__ import annotations

import flask

from tool.web.data import store
from tool.web.titles import from_url_part

bp = flask.Blueprint("cohort", __name__)


@bp.get("/cohort/<path:title>")
def page(title: str) -> tuple[str, int]:
    wanted = from_url_part(title)
    record = store().get_cohort(wanted) if wanted else None
    if record is None:
        flask.abort(404)
    return flask.render_template("cohort.html", cohort=record), 200
