"""Regenerate tool/data/languageinfo.json from a MediaWiki's meta=languageinfo.

toolforge-i18n asks meta.wikimedia.org for language names, directions and fallbacks the first time
it needs them. The tool must not call Wikimedia's servers from tests or the demo (and a web request
should not wait on Meta), so it ships this snapshot, taken from the local farm's MediaWiki:

    python -m devwiki start --profile test
    .venv/bin/python scripts/generate_languageinfo.py http://127.0.0.1:8300/api.php
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import requests

OUT = Path(__file__).resolve().parent.parent / "tool" / "data" / "languageinfo.json"


def main(api: str) -> None:
    info: dict[str, dict[str, object]] = {}
    params: dict[str, str] = {
        "action": "query",
        "meta": "languageinfo",
        "liprop": "autonym|bcp47|dir|fallbacks",
        "format": "json",
        "formatversion": "2",
    }
    while True:
        data = requests.get(api, params=params, timeout=60).json()
        info.update(data["query"]["languageinfo"])
        if "continue" not in data:
            break
        params.update(data["continue"])
    OUT.write_text(
        json.dumps(dict(sorted(info.items())), ensure_ascii=False, indent=0, sort_keys=True) + "\n"
    )
    print(f"{OUT}: {len(info)} languages")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8300/api.php")
