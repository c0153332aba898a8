"""The home page: what the tool is, and the events it knows."""

from __future__ import annotations

import flask

bp = flask.Blueprint("home", __name__)


@bp.get("/")
def index() -> str:
    return flask.render_template("index.html", home_wiki_url=_home_wiki_url())


def _home_wiki_url() -> str:
    """Where organizers put event pages: the farm's metawiki locally, Meta-Wiki in production."""
    from tool.wiki.registry import Registry, UnknownWiki

    config = flask.current_app.config
    try:
        registry = Registry.from_config(config)
        return str(registry.info(registry.home).index)
    except (UnknownWiki, OSError, ValueError):
        return "https://meta.wikimedia.org/"
