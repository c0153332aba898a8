"""Pages that explain the tool: what each figure means (/definitions), and how organizers set up an
event (/organizers) with an example page to copy.

Neither reads the store: the definitions come from the metrics' own constants (figure_docs), the
example from the parser's own fields (tool.wiki.examplepages).
"""

from __future__ import annotations

from urllib.parse import quote

import flask

from tool.metrics.keys import DEFINITIONS_VERSION
from tool.web.data import home_wiki_url
from tool.web.figure_docs import figure_docs
from tool.wiki import examplepages
from tool.wiki.eventpage import MAX_WIKIS, PARTICIPANT_HEADINGS, Templates
from tool.wiki.eventtime import MAX_DURATION

bp = flask.Blueprint("info", __name__)

# The fields an organizer must give; the parser reports each one missing (problem-missing-field).
REQUIRED_FIELDS = frozenset({"start", "end", "wikis"})
# How many of the participants headings the page names (the parser knows many more languages).
SHOWN_HEADINGS = 6


@bp.get("/definitions")
def definitions() -> str:
    return flask.render_template("definitions.html", figures=figure_docs(), version=DEFINITIONS_VERSION)


@bp.get("/organizers")
def organizers() -> str:
    templates = Templates.from_config(flask.current_app.config)
    home = home_wiki_url()
    return flask.render_template(
        "organizers.html",
        templates=templates,
        home_wiki_url=home,
        template_url=_page_url(home, f"Template:{templates.event}"),
        event_example=examplepages.event_page(templates),
        cohort_example=examplepages.cohort_page(templates),
        event_fields=[name for name, _ in examplepages.EVENT_FIELDS],
        cohort_fields=list(examplepages.COHORT_VALUES),
        required=REQUIRED_FIELDS,
        max_wikis=MAX_WIKIS,
        max_years=MAX_DURATION.days // 365,
        headings=", ".join(PARTICIPANT_HEADINGS[:SHOWN_HEADINGS]),
    )


def _page_url(index: str, title: str) -> str:
    return f"{index}?title={quote(title.replace(' ', '_'))}"
