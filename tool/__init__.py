"""Event Outcomes: outcomes of Wikimedia capacity-building events, read from and written to wikis."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import flask

if TYPE_CHECKING:
    from tool.runtime import Runtime

__version__ = "0.1.0"

ROOT = Path(__file__).resolve().parent.parent


def create_app(config: dict[str, Any] | None = None, runtime: Runtime | None = None) -> flask.Flask:
    """Build the Flask app. With no arguments and no config file it runs on embedded defaults.

    The app's Runtime (store, wiki registry, clients) is built here from the configuration, once
    per process, unless one is given; the views find it in ``app.extensions``.
    """
    import toolforge
    from toolforge_i18n import ToolforgeI18n, lang_autonym, lang_dir

    from tool import assets, languages, security
    from tool.config import load_config
    from tool.pipeline.schedule import nightly_time
    from tool.runtime import Runtime
    from tool.web import (
        api,
        auth,
        cohort,
        compare,
        data,
        errors,
        event,
        exports,
        health,
        home,
        info,
        language,
        pagecache,
        refresh,
        why,
    )
    from tool.web import formats as web_formats

    app = flask.Flask(
        __name__,
        instance_path=str(ROOT / "instance"),
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "tool" / "static"),
    )
    app.config.update(load_config(Path(app.instance_path)))
    if config:
        app.config.update(config)
    # A configuration the engine refuses (a farm status file that cannot be read, say) stops the
    # start here, with its message, rather than leaving every page to fail on it.
    app.extensions[data.EXTENSION] = runtime or Runtime(app.config)
    # What pages say of the next refresh: a NIGHTLY_AT that is not "HH:MM" stops the start.
    nightly_time(app.config["NIGHTLY_AT"])

    # Wikimedia's User-Agent policy, for any plain `requests` call (our ApiClient sets its own).
    toolforge.set_user_agent("event-outcomes", url=app.config["CONTACT"])
    # Fail at start-up, with the fix in the message, rather than serve pages without their styles.
    assets.check_installed()

    languages.install_snapshot()
    i18n = ToolforgeI18n(app, language.interface_language_code)
    language.init_app(app)
    web_formats.init_app(app)
    security.init_app(app)
    pagecache.init_app(app)
    app.register_blueprint(assets.bp)
    app.register_blueprint(health.bp)
    app.register_blueprint(home.bp)
    app.register_blueprint(auth.bp)
    app.register_blueprint(api.bp)
    refresh.init_app(app)  # the job runner, the rate limiter, /event/<title>/refresh…
    app.register_blueprint(why.bp)  # before event: its routes are /event/<title>/… too
    app.register_blueprint(event.bp)
    app.register_blueprint(cohort.bp)
    app.register_blueprint(compare.bp)
    app.register_blueprint(info.bp)
    app.register_blueprint(exports.bp)
    errors.init_app(app)

    codex_version = _codex_version()
    interface_languages = sorted(code for code in i18n.translations if code != "qqq")

    @app.context_processor
    def template_globals() -> dict[str, Any]:
        return {
            "tool_version": __version__,
            "codex_version": codex_version,
            "interface_languages": interface_languages,
            "lang_dir": lang_dir,
            "lang_autonym": lang_autonym,
            "current_user": auth.current_user(),
            "login_available": data.runtime().oauth_consumer is not None,
            "login_returnto": auth.login_returnto(),
        }

    return app


def _codex_version() -> str:
    """Codex's installed version, used to bust browser caches when the package changes."""
    package = ROOT / "node_modules" / "@wikimedia" / "codex" / "package.json"
    try:
        return str(json.loads(package.read_text())["version"])
    except (OSError, ValueError, KeyError):
        return "unknown"
