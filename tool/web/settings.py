"""/event/<title>/settings: an event's organizers change its template through the tool (issue #10).

Who may: the accounts the page's ``organizers =`` names (read as the rest of the tool reads them,
tool.web.organizers) and the account that created the page, as the page is now. The form is
prefilled from the page's current revision; saving changes only the fields whose value changed, in
place (tool.wiki.templateedit), so the rest of the page stays as it was, and the edit names the
revision the form was read from: a change someone else made meanwhile is merged by the wiki, or
refused as a conflict — then the form shows the page as it now is with the organizer's changes
made on it again, and names the fields both changed.
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
from tool.web.organizers import is_named
from tool.web.titles import from_url_part
from tool.wiki import edit
from tool.wiki import wikitext as markup
from tool.wiki.api import ApiClient, ApiError, WikiUnavailable
from tool.wiki.eventpage import ParsedEvent, parse_event
from tool.wiki.problems import Problem
from tool.wiki.templateedit import TemplateNotEditable, template_span, with_fields


def settings(title: str) -> ResponseReturnValue:
    wanted = from_url_part(title)
    if wanted is None:
        flask.abort(404)
    user = wikiuser.user_name()
    if user is None:
        status = 200 if flask.request.method == "GET" else 401
        return render_form("settings", None, login_needed=True, status=status, title=wanted, name=wanted)
    reader = runtime().client(runtime().registry.home)
    try:
        state = edit.fetch_page(reader, wanted)
    except edit.BadTitle:
        flask.abort(404)
    except (ApiError, WikiUnavailable) as e:
        return _error(editing.unavailable(e))
    if state.revision is None:
        flask.abort(404)
    current = _parse(state.revision.text, state.title)
    if current.template_line is None:
        return _page("error.html", 404, heading="settings-not-event-heading", body="settings-not-event-body",
                     params={"title": state.title})  # fmt: skip
    if not _may_change(reader, state, current, user):
        return _page("error.html", 403, heading="settings-forbidden-heading", body="settings-forbidden-body",
                     params={"title": state.title})  # fmt: skip
    if flask.request.method == "GET":
        form = eventform.of_page(current)
        form.base, form.started = state.revision.revid, state.read_at
        return render_form("settings", form, title=state.title, name=current.name)
    return _submitted(reader, state, user)


def _submitted(reader: ApiClient, state: edit.PageState, user: str) -> ResponseReturnValue:
    sent, problems = eventform.read(flask.request.form)
    try:
        found = edit.fetch_revision(reader, sent.base) if sent.base else None
    except (ApiError, WikiUnavailable) as e:
        return _error(editing.unavailable(e))
    if found is None or found[0] != state.title:
        # Not a revision of this page: a form from elsewhere, or one edited by hand.
        return _page("error.html", 400, heading="settings-expired-heading", body="settings-expired-body",
                     params={"url_settings": flask.request.path})  # fmt: skip
    base = found[1]
    before = eventform.of_page(_parse(base.text, state.title))
    changed = eventform.changes(before, sent)
    sent.started = sent.started or state.read_at
    try:
        text = with_fields(base.text, changed, discover.templates_of(runtime()))
    except TemplateNotEditable:
        return _page("error.html", 409, heading="settings-not-editable-heading",
                     body="settings-not-editable-body", params={"title": state.title})  # fmt: skip
    problems += _blocking(base.text, sent, changed, text, state.title)
    name = before.fields.get("name") or state.title
    if problems:
        return render_form("settings", sent, problems=problems, status=400, title=state.title, name=name)
    if not changed:
        notices.tell("settings-unchanged", "notice")
        return show_event(state.title, edited=False)
    if flask.request.form.get("do") != "save":
        start, end = template_span(text, discover.templates_of(runtime()))
        return render_form("settings", sent, preview=text[start:end], title=state.title, name=name)
    client = wikiuser.user_client()
    assert client is not None  # logged in: user_name() said so
    summary = messages.text("settings-summary", discover.home_site(runtime()).lang)
    try:
        edit.save(client, edit.Edit(state.title, text, summary, user, sent.started, base=base))
    except edit.EditFailed as e:
        if e.kind == "conflict":
            return _conflict(reader, state.title, before, changed)
        return _failed(sent, editing.failure(e, flask.request.path), state.title, name)
    except WikiUnavailable as e:
        return _failed(sent, editing.unavailable(e), state.title, name)
    notices.tell("settings-done")
    return show_event(state.title, edited=True)


def _blocking(base: str, after: EventForm, changed: dict[str, str], text: str, title: str) -> list[Problem]:
    """The problems that stop a save: those of the fields changed, and any the change brings.

    A problem the page already had in a field left as it was (an unknown field, say, which the
    form cannot show) does not stop other changes; the event's page in the tool lists it.
    """
    event = _parse(text, title)
    had = {_signature(p) for p in _parse(base, title).problems}
    start, end = template_span(text, discover.templates_of(runtime()))
    first, last = markup.line_of(text, start), markup.line_of(text, end)
    blocking = [
        p
        for p in event.problems
        if (p.line is None or first <= p.line <= last) and (p.field in changed or _signature(p) not in had)
    ]
    return blocking + eventform.read_back_problems(after, event)


def _signature(problem: Problem) -> tuple[str, str, tuple[tuple[str, str], ...]]:
    """A problem without its line (an added field moves the lines after it)."""
    return problem.field, problem.code, tuple(sorted(problem.params.items()))


def _conflict(
    reader: ApiClient, title: str, before: EventForm, changed: dict[str, str]
) -> ResponseReturnValue:
    """Someone else saved meanwhile, and the wiki could not merge: the page as it is now, with this
    organizer's changes made on it again, and the fields both changed named."""
    try:
        state = edit.fetch_page(reader, title)
    except (edit.BadTitle, ApiError, WikiUnavailable) as e:
        return _error(editing.unavailable(e))
    if state.revision is None:  # deleted since: the wiki says so as "pagedeleted"; seen here first
        return _error(
            editing.failure(edit.EditFailed("pagedeleted", "the page was deleted"), flask.request.path)
        )
    theirs = eventform.of_page(_parse(state.revision.text, title))
    both = [name for name in changed if _value(theirs, name) != _value(before, name)]
    form = eventform.applied(theirs, changed)
    form.base, form.started = state.revision.revid, state.read_at
    failure = editing.Failure("settings-conflict", {}, 409)
    name = theirs.fields.get("name") or title
    return render_form(
        "settings",
        form,
        failure=failure,
        status=failure.status,
        title=title,
        name=name,
        changed_elsewhere=both,
    )


def _value(form: EventForm, name: str) -> str:
    return form.fields[name] if name in form.fields else form.goal_targets().get(name, "")


def _may_change(reader: ApiClient, state: edit.PageState, event: ParsedEvent, user: str) -> bool:
    if is_named(event.fields.get("organizers", ""), user):
        return True
    try:
        return edit.fetch_creator(reader, state.title) == user
    except (ApiError, WikiUnavailable):
        return False


def _parse(text: str, title: str) -> ParsedEvent:
    rt = runtime()
    return parse_event(
        text, discover.home_site(rt), rt.registry, title=title, templates=discover.templates_of(rt)
    )


def _failed(form: EventForm, failure: editing.Failure, title: str, name: str) -> ResponseReturnValue:
    return render_form("settings", form, failure=failure, status=failure.status, title=title, name=name)


def _error(failure: editing.Failure) -> ResponseReturnValue:
    return _page("error.html", failure.status, heading="wikiedit-failed-heading", body=failure.key,
                 params=failure.params)  # fmt: skip


def _page(template: str, status: int, **context: object) -> flask.Response:
    response = flask.make_response(flask.render_template(template, **context), status)
    response.headers["Cache-Control"] = "private, no-store"
    return response
