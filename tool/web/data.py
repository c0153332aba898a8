"""What the views use of the engine: the app's one Runtime (its store, its wiki registry).

create_app builds the Runtime (or is given one) and keeps it in ``app.extensions``; no view builds
its own store, registry or client.
"""

from __future__ import annotations

import flask

from tool.runtime import Runtime
from tool.store import Store

EXTENSION = "event_outcomes"


def runtime() -> Runtime:
    found: Runtime = flask.current_app.extensions[EXTENSION]
    return found


def store() -> Store:
    """The app's store. StoreUnavailable (SchemaBehind too) propagates: the view says what readers see."""
    return runtime().store


def home_wiki_url() -> str:
    """Where organizers put event pages (index.php): the farm's metawiki locally, Meta-Wiki in production."""
    registry = runtime().registry
    return str(registry.info(registry.home).index)
