"""/healthz: liveness for Toolforge's web service probe and for maintainers."""

from __future__ import annotations

import flask
import sqlalchemy

import tool

bp = flask.Blueprint("health", __name__)


@bp.get("/healthz")
def healthz() -> tuple[flask.Response, int]:
    store_ok, store_error = _check_store(flask.current_app.config["DATABASE_URL"])
    body = {"status": "ok" if store_ok else "degraded", "version": tool.__version__, "store": store_ok}
    if store_error:
        body["store_error"] = store_error
    # 200 either way would hide a broken store from a probe; 503 says "up but not serving".
    return flask.jsonify(body), 200 if store_ok else 503


def _check_store(url: str) -> tuple[bool, str | None]:
    try:
        engine = sqlalchemy.create_engine(url)
        with engine.connect() as conn:
            conn.execute(sqlalchemy.text("SELECT 1"))
        engine.dispose()
    except sqlalchemy.exc.SQLAlchemyError as e:
        return False, type(e).__name__
    return True, None
