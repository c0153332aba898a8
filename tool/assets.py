"""Front-end assets served by the tool itself.

Toolforge's privacy policy forbids loading anything from other hosts, so Codex's stylesheets come
from the npm package that `make` installs into node_modules/, never from a CDN.
"""

from __future__ import annotations

from pathlib import Path

import flask

ROOT = Path(__file__).resolve().parent.parent
CODEX_DIST = ROOT / "node_modules" / "@wikimedia" / "codex" / "dist"
#: The only files served from the package: a fixed list, so no path from a URL reaches the disk.
CODEX_FILES = frozenset({"codex.style.css", "codex.style-rtl.css"})

bp = flask.Blueprint("assets", __name__)


class AssetsMissing(RuntimeError):
    """The npm packages were not installed (run `make setup` or `npm ci`)."""


def check_installed() -> None:
    missing = [name for name in sorted(CODEX_FILES) if not (CODEX_DIST / name).is_file()]
    if missing:
        raise AssetsMissing(
            f"Codex stylesheets missing in {CODEX_DIST} ({', '.join(missing)}): run `npm ci` in {ROOT}"
        )


@bp.get("/assets/codex/<name>")
def codex(name: str) -> flask.Response:
    if name not in CODEX_FILES:
        flask.abort(404)
    # max_age: the file only changes when package-lock.json does, and then the URL's ?v= changes too.
    return flask.send_from_directory(CODEX_DIST, name, max_age=86400)
