"""What an event's page offers the person looking at it: join or withdraw, the settings (organizers),
and the notice of what they just did (issue #10). Read from the store, as the page is: the join
form itself reads the wiki's page as it is when it is used (tool.web.join).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import flask
from flask.typing import ResponseReturnValue

from tool.pipeline import discover
from tool.store import EventRecord
from tool.web import notices, wikiuser
from tool.web.data import runtime, store
from tool.web.organizers import is_organizer
from tool.web.titles import url_part
from tool.wiki.eventpage import signup_closed


@dataclass(frozen=True)
class EventActions:
    logged_in: bool
    joined: bool  # listed among the participants, as last read
    ended: bool
    closed: bool  # signup = closed
    organizer: bool
    notice: notices.Notice | None


def event_actions(event: EventRecord) -> EventActions:
    user = wikiuser.user_name()
    ended = event.end is not None and event.end < datetime.now(UTC)
    closed = signup_closed(event.fields.get("signup", ""))
    if user is None:
        return EventActions(False, False, ended, closed, False, None)
    joined = any(p.user == user for p in store().participants(event.title))
    return EventActions(True, joined, ended, closed, is_organizer(event, user), notices.take())


def show_event(title: str, *, edited: bool) -> ResponseReturnValue:
    """To the event's page in the tool, where the notice is shown (303: a reload repeats nothing).

    The page is read from the wiki into the store first when the tool has just edited it, or has
    not read it yet, so that what the person sees there is the page as they left it.
    """
    if edited or store().get_event(title) is None:
        found = discover.discover_page(runtime(), store(), title)
        if found.status == "failed":
            flask.current_app.logger.warning("%s: saved on the wiki, not read yet: %s", title, found.message)
    return flask.redirect(flask.url_for("event.page", title=url_part(title)), 303)
