"""/event/<title>/join: a logged-in person joins an event, or withdraws, with their own account.

Joining adds ``# {{Event participant|Name}} ~~~~`` to the page's participants section
(tool.wiki.joining); withdrawing strikes the person's line. The page is read as it is now, and the
change is checked by parsing the new text before it is saved, so the tool says what the parser
will read: a person already listed is not added again (joining twice edits once), and one not
listed has nothing to withdraw. An event that has ended, or whose page says ``signup = closed``,
says so instead of adding anyone; withdrawing stays possible (a person may always take their name
off a public list). An edit that conflicts with one made meanwhile is made again on the page as it
then is, a few times at most.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Literal

import flask
from flask.typing import ResponseReturnValue

from tool import messages
from tool.pipeline import discover
from tool.web import editing, notices, wikiuser
from tool.web.data import runtime
from tool.web.event_actions import show_event
from tool.web.titles import from_url_part, url_part
from tool.wiki import edit
from tool.wiki.api import ApiClient, ApiError, WikiUnavailable
from tool.wiki.eventpage import ParsedEvent, parse_event
from tool.wiki.joining import with_participant, without_participant

#: Saves tried when someone else keeps editing the page at the same moment.
ATTEMPTS = 3

Action = Literal["join", "withdraw"]


class _Done(Exception):
    """The answer is a notice, not an edit (already listed, not listed, closed, ended …)."""

    def __init__(self, key: str, kind: notices.Kind = "notice", **params: object) -> None:
        super().__init__(key)
        self.key, self.kind, self.params = key, kind, params


def join(title: str) -> ResponseReturnValue:
    wanted = from_url_part(title)
    if wanted is None:
        flask.abort(404)
    action: Action = "withdraw" if flask.request.form.get("do") == "withdraw" else "join"
    user = wikiuser.user_name()
    if user is None:
        returnto = flask.url_for("event.page", title=url_part(wanted))
        return _page(401, "join-login-heading", "join-login-body", url_login=wikiuser.login_url(returnto))
    reader = runtime().client(runtime().registry.home)
    try:
        for _attempt in range(ATTEMPTS):
            state = _read(reader, wanted)
            event = _parse(state)
            text = _changed(state, event, user, action)
            try:
                _save(state, text, user, action)
            except edit.EditFailed as e:
                if e.kind == "conflict":
                    continue  # someone else saved meanwhile: read the page again, do it again
                raise
            break
        else:
            raise edit.EditFailed("editconflict", "the page kept changing")
    except _Done as done:
        notices.tell(done.key, done.kind, **done.params)
        return show_event(wanted, edited=False)
    except edit.EditFailed as e:
        return _failure(editing.failure(e, flask.url_for("event.page", title=url_part(wanted))))
    except (ApiError, WikiUnavailable) as e:
        return _failure(editing.unavailable(e))
    notices.tell(f"join-done-{action}", name=event.name)
    return show_event(state.title, edited=True)


def _read(reader: ApiClient, title: str) -> edit.PageState:
    try:
        state = edit.fetch_page(reader, title)
    except edit.BadTitle:
        flask.abort(404)
    if state.revision is None:
        flask.abort(404)
    return state


def _parse(state: edit.PageState) -> ParsedEvent:
    assert state.revision is not None
    rt = runtime()
    event = parse_event(
        state.revision.text, discover.home_site(rt), rt.registry, title=state.title,
        templates=discover.templates_of(rt),
    )  # fmt: skip
    if event.template_line is None:
        flask.abort(404)  # not an event page
    return event


def _changed(state: edit.PageState, event: ParsedEvent, user: str, action: Action) -> str:
    """The page's text with the person added or struck, checked by the parser; _Done instead when
    there is nothing to do, or nothing the tool may do."""
    assert state.revision is not None
    text = state.revision.text
    listed = [p.line for p in event.participants if p.user == user]
    listed += [d.line for d in event.people.duplicates if d.user == user]
    if action == "withdraw":
        if not listed:
            raise _Done("join-not-listed", name=event.name)
        new = without_participant(text, listed)
    else:
        if listed:
            raise _Done("join-already", name=event.name)
        if event.end is not None and event.end < datetime.now(UTC):
            raise _Done("join-ended", "warning", name=event.name)
        if event.signup_closed:
            raise _Done("join-closed", "warning", name=event.name)
        if event.participants_page:
            raise _Done("join-elsewhere", "warning", name=event.name, page=event.participants_page)
        new = with_participant(text, event, user, discover.templates_of(runtime()))
    after = _parse(
        edit.PageState(state.title, state.namespace, state.page_id, _as_revision(new), state.read_at)
    )
    now_listed = any(p.user == user for p in after.participants)
    if now_listed != (action == "join"):
        # A list the tool cannot change safely (a table, a line struck in another way): by hand.
        raise _Done(f"join-by-hand-{action}", "warning", name=event.name)
    return new


def _save(state: edit.PageState, text: str, user: str, action: Action) -> None:
    client = wikiuser.user_client()
    assert client is not None  # logged in: user_name() said so
    summary = messages.text(f"join-summary-{action}", discover.home_site(runtime()).lang)
    edit.save(client, edit.Edit(state.title, text, summary, user, state.read_at, base=state.revision))


def _as_revision(text: str) -> edit.Revision:
    return edit.Revision(0, "", text, "")


def _failure(failure: editing.Failure) -> ResponseReturnValue:
    return _page(failure.status, "wikiedit-failed-heading", failure.key, **failure.params)


def _page(status: int, heading: str, body: str, **params: str) -> flask.Response:
    html = flask.render_template("error.html", heading=heading, body=body, params=params)
    response = flask.make_response(html, status)
    response.headers["Cache-Control"] = "private, no-store"
    return response
