"""The page of the event form, for /register and /event/<title>/settings (templates/eventform.html).

Each problem is shown next to the field it is about, in the reader's language, and listed above the
form with a link to that field; a problem of no field (the page's own) is listed alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import flask

from tool import messages
from tool.web import eventform
from tool.web.data import home_wiki_url
from tool.web.editing import Failure
from tool.web.eventform import EventForm
from tool.wiki.eventpage import MAX_WIKIS
from tool.wiki.eventtime import MAX_DURATION
from tool.wiki.problems import Problem

Mode = Literal["register", "settings"]


def render_form(
    mode: Mode,
    form: EventForm | None,
    *,
    login_needed: bool = False,
    problems: Sequence[Problem] = (),
    preview: str | None = None,
    failure: Failure | None = None,
    status: int = 200,
    title: str = "",
    name: str = "",
    changed_elsewhere: Sequence[str] = (),
) -> flask.Response:
    """The form (or, for a visitor not logged in, the way to log in) with its problems and preview.

    ``title`` and ``name`` are the event's (settings); ``changed_elsewhere`` the fields someone
    else changed too when an edit conflicted.
    """
    language = flask.g.get("interface_language_code", "en")
    known = {*eventform.FIELDS, "title", "description"}
    by_field: dict[str, list[str]] = {}
    general: list[str] = []
    for problem in problems:
        text = messages.text(problem.code, language, **problem.params)
        if problem.field in known or problem.field.startswith("goal_"):
            by_field.setdefault(problem.field, []).append(text)
        else:
            general.append(text)
    html = flask.render_template(
        "eventform.html",
        mode=mode,
        form=form,
        login_needed=login_needed,
        errors=by_field,
        general_problems=general,
        preview=preview,
        failure=failure,
        groups=eventform.GROUPS,
        context_labels=eventform.CONTEXT_LABELS,
        goal_rows=eventform.goal_rows(form) if form else [],
        goal_choices=eventform.goal_choices(form.goals) if form else [],
        goal_label_key=eventform.goal_label_key,
        limits={"value": eventform.MAX_VALUE, "description": eventform.MAX_DESCRIPTION},
        max_wikis=MAX_WIKIS,
        max_years=MAX_DURATION.days // 365,
        home_wiki_url=home_wiki_url(),
        event_title=title,
        event_name=name,
        changed_elsewhere=list(changed_elsewhere),
    )
    response = flask.make_response(html, status)
    # The form holds this person's values and CSRF token: no shared cache may keep it.
    response.headers["Cache-Control"] = "private, no-store"
    return response
