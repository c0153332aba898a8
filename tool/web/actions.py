"""On-wiki actions of logged-in people (issue #10): register an event, change its settings, join it.

One blueprint for the three: /register (tool.web.register), /event/<title>/settings
(tool.web.settings) and /event/<title>/join (tool.web.join). It is registered before the event
page's blueprint, whose /event/<path:title> would otherwise read ".../join" as part of a title.
"""

from __future__ import annotations

from typing import Any

import flask

from tool.web import event_actions, join, register, settings

bp = flask.Blueprint("actions", __name__)
bp.add_url_rule("/register", "register", register.register, methods=["GET", "POST"])
bp.add_url_rule("/event/<path:title>/settings", "settings", settings.settings, methods=["GET", "POST"])
bp.add_url_rule("/event/<path:title>/join", "join", join.join, methods=["POST"])


@bp.app_context_processor
def _actions() -> dict[str, Any]:
    """templates/_event_actions.html asks what the event's page offers the person looking."""
    return {"event_actions": event_actions.event_actions}
