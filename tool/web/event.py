"""An event's page in the tool: /event/<title> (its outcomes as last counted)."""

from __future__ import annotations

import flask

from tool.web.data import store
from tool.web.titles import from_url_part

bp = flask.Blueprint("event", __name__)


@bp.get("/event/<path:title>")
def page(title: str) -> tuple[str, int]:
    wanted = from_url_part(title)
    record = store().get_event(wanted) if wanted else None
    if record is None:
        flask.abort(404)
    return flask.render_template("event.html", event=record), 200
