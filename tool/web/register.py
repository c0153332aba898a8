"""/register: an organizer registers an event, and the tool creates its page on the wiki as them.

The form (tool.web.eventform) is checked by the page parser; "Preview" shows the page's wikitext
(tool.wiki.newevent: the shipped preload, filled in) and "Save" creates the page with the
organizer's own OAuth token, only if no page has the title yet (``createonly``: a page is never
overwritten). Whatever goes wrong — a problem in a field, a title the wiki refuses or that is
taken, a protected title, a blocked account, a login the wiki no longer accepts, a wiki that does
not answer — the form comes back with everything it held and the reason next to it.
"""

from __future__ import annotations

import flask
from flask.typing import ResponseReturnValue

from tool import messages
from tool.pipeline import discover
from tool.web import editing, eventform, notices, wikiuser
from tool.web.data import runtime
from tool.web.event_actions import show_event
from tool.web.eventform import EventForm
from tool.web.formpage import render_form
from tool.wiki import edit
from tool.wiki.api import ApiError, WikiUnavailable
from tool.wiki.eventpage import parse_event
from tool.wiki.newevent import event_page
from tool.wiki.problems import Problem


def register() -> ResponseReturnValue:
    user = wikiuser.user_name()
    if user is None:
        # A form sent by someone no longer logged in (their session ended meanwhile): 401.
        return render_form(
            "register", None, login_needed=True, status=200 if flask.request.method == "GET" else 401
        )
    if flask.request.method == "GET":
        return render_form("register", eventform.blank(user))
    form, problems = eventform.read(flask.request.form)
    text, found = _checked(form)
    problems += found
    if any(p.field == "title" for p in problems):
        return render_form("register", form, problems=problems, status=400)
    client = wikiuser.user_client()
    assert client is not None  # logged in: user_name() said so
    try:
        state = edit.fetch_page(client, form.title)
    except edit.BadTitle as e:
        problems.append(Problem.of("title", None, "eventform-title-invalid", reason=e.reason))
        return render_form("register", form, problems=problems, status=400)
    except (ApiError, WikiUnavailable) as e:
        return _failed(form, problems, _reading_failure(e))
    form.title, form.started = state.title, form.started or state.read_at
    if state.revision is not None:
        problems.append(Problem.of("title", None, "eventform-title-exists", title=state.title))
    if problems:
        return render_form("register", form, problems=problems, preview=text, status=400)
    if flask.request.form.get("do") != "save":
        return render_form("register", form, preview=text)
    return _save(form, text, user)


def _checked(form: EventForm) -> tuple[str, list[Problem]]:
    """The page the form would create, and its problems as the parser reads it."""
    rt = runtime()
    templates = discover.templates_of(rt)
    text = event_page(form.fields, form.goals, form.description, templates)
    event = parse_event(
        text, discover.home_site(rt), rt.registry, title=form.title or "-", templates=templates
    )
    read_back = eventform.read_back_problems(form, event)
    return text, [*eventform.title_problems(form.title), *event.problems, *read_back]


def _save(form: EventForm, text: str, user: str) -> ResponseReturnValue:
    client = wikiuser.user_client()
    assert client is not None
    summary = messages.text("register-summary", _wiki_language())
    try:
        edit.save(client, edit.Edit(form.title, text, summary, user, form.started))
    except edit.EditFailed as e:
        if e.kind == "exists" and _already_saved(form.title, text, user):
            pass  # our own first attempt, whose answer was lost: the page is the one we meant
        else:
            return _failed(form, [], editing.failure(e, flask.request.full_path))
    except WikiUnavailable as e:
        return _failed(form, [], editing.unavailable(e))
    notices.tell("register-done", title=form.title)
    return show_event(form.title, edited=True)


def _already_saved(title: str, text: str, user: str) -> bool:
    try:
        state = edit.fetch_page(runtime().client(runtime().registry.home), title)
    except (edit.BadTitle, ApiError, WikiUnavailable):
        return False
    revision = state.revision
    return revision is not None and revision.user == user and revision.text.rstrip() == text.rstrip()


def _failed(form: EventForm, problems: list[Problem], failure: editing.Failure) -> ResponseReturnValue:
    return render_form("register", form, problems=problems, failure=failure, status=failure.status)


def _reading_failure(error: Exception) -> editing.Failure:
    if isinstance(error, ApiError):
        return editing.failure(edit.EditFailed(error.code, error.info), flask.request.full_path)
    return editing.unavailable(error)


def _wiki_language() -> str:
    """Edit summaries are in the language of the wiki the page is on (Meta-Wiki: English)."""
    return discover.home_site(runtime()).lang
