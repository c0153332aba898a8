"""The store as the web views use it: one per app, its schema brought up to date on first use."""

from __future__ import annotations

import flask

from tool.store import Store


def store() -> Store:
    """The app's store (StoreUnavailable propagates: the view decides what the reader sees)."""
    app = flask.current_app
    found = app.extensions.get("event_outcomes_store")
    if found is None:
        found = Store(app.config["DATABASE_URL"])
        found.upgrade()
        app.extensions["event_outcomes_store"] = found
    return found
