"""Language names, directions and fallbacks for toolforge-i18n, without asking Meta-Wiki.

toolforge-i18n fills its table lazily from meta.wikimedia.org (meta=languageinfo). That would make
the first page of every worker wait on Meta, and tests and the demo must never reach Wikimedia's
servers, so the tool hands it a snapshot taken from MediaWiki itself
(scripts/generate_languageinfo.py) before the first lookup.
"""

from __future__ import annotations

import json
from pathlib import Path

from toolforge_i18n import _language_info

SNAPSHOT = Path(__file__).resolve().parent / "data" / "languageinfo.json"


def install_snapshot(path: Path = SNAPSHOT) -> int:
    """Give toolforge-i18n the snapshot's table; returns the number of languages."""
    info = json.loads(path.read_text(encoding="utf-8"))
    # The library keeps the table in two module globals and loads only while they are None; there is
    # no public setter, so set both (pinned toolforge-i18n version; tests cover it).
    _language_info._language_info = info
    _language_info._by_bcp47 = {language["bcp47"]: code for code, language in info.items()}
    return len(info)
