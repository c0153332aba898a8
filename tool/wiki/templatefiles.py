"""The project's on-wiki templates as shipped: the wikitext files in wiki-templates/.

A file's path names its page in the Template namespace, with underscores for spaces:
``wiki-templates/Event_outcomes.wikitext`` is Template:Event outcomes and
``wiki-templates/Event_outcomes/doc.wikitext`` its documentation subpage, which holds the
template's TemplateData (``<templatedata>{…}</templatedata>``, the usual Wikimedia way). The farm
installs them from here, docs/deploy.md says how to copy them to Meta-Wiki, and the tests read the
TemplateData back through the wiki's API.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from tool import ROOT

FOLDER = ROOT / "wiki-templates"
SUFFIX = ".wikitext"
NAMESPACE = "Template:"
_OPEN, _CLOSE = "<templatedata>", "</templatedata>"


def _files(folder: Path) -> list[Path]:
    # Subpages first: a template transcludes its /doc, and the TemplateData it shows is only
    # recorded for the template when the /doc page already exists as the template is saved.
    return sorted(folder.rglob("*" + SUFFIX), key=lambda path: (path.parent == folder, path))


def title_of(path: Path, folder: Path | None = None) -> str:
    """``Event_outcomes/doc.wikitext`` → ``Template:Event outcomes/doc``."""
    relative = path.relative_to(folder or FOLDER).as_posix().removesuffix(SUFFIX)
    return NAMESPACE + relative.replace("_", " ")


def template_pages(folder: Path | None = None) -> dict[str, str]:
    """Every shipped page, title → wikitext, documentation subpages before their templates."""
    folder = folder or FOLDER
    return {title_of(path, folder): path.read_text(encoding="utf-8") for path in _files(folder)}


def digest(folder: Path | None = None) -> str:
    """Changes whenever a file is added, removed, renamed or edited (the farm's cache key uses it)."""
    hashed = hashlib.sha256()
    for title, text in template_pages(folder).items():
        hashed.update(f"{title}\0{text}\0".encode())
    return hashed.hexdigest()[:16]


def templatedata(text: str) -> dict[str, Any]:
    """The TemplateData a documentation page declares (the JSON between its templatedata tags)."""
    start, end = text.find(_OPEN), text.find(_CLOSE)
    if start < 0 or end < start:
        raise ValueError("no <templatedata>…</templatedata> on the page")
    data: dict[str, Any] = json.loads(text[start + len(_OPEN) : end])
    return data
