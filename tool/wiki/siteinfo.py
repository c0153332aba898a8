"""What the parser must know about the wiki it reads: namespace names, aliases, case and interwikis.

The reading wiki's own names come from its siteinfo; names of the User, User talk and Special
namespaces and of Special:Contributions in every other language come from
tool/data/user_namespaces.json (scripts/generate_user_namespaces.py), because people paste links
from their home wikis onto Meta, where "Usuaria:" is not a namespace.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from tool.wiki.api import ApiClient
from tool.wiki.usernames import clean, ucfirst

DATA = Path(__file__).resolve().parent.parent / "data"
SPECIAL, MAIN, USER, USER_TALK = -1, 0, 2, 3
# Wikimedia's interwiki prefixes people use in user links, known even where the reading wiki's
# table lacks them (a local farm's interwiki table has none of them).
COMMON_INTERWIKI = frozenset(
    {"m", "meta", "w", "wikipedia", "mw", "c", "commons", "d", "wikidata", "wikt", "wiktionary", "n",
     "q", "s", "b", "v", "voy", "species", "wikispecies", "foundation", "wmf", "outreach", "incubator",
     "metawikimedia", "mediawikiwiki", "wikimedia"}
)  # fmt: skip


def key(name: str) -> str:
    """How names are compared: spaces for underscores, case folded (namespaces are case-insensitive)."""
    return clean(name).casefold()


@cache
def _other_languages() -> dict[str, frozenset[str]]:
    data = json.loads((DATA / "user_namespaces.json").read_text(encoding="utf-8"))
    sets = {k: frozenset(data[k]) for k in ("user", "user_talk", "special", "contributions")}
    # Every language code is an interwiki prefix on Wikimedia wikis ("de:", "w:es:").
    sets["codes"] = frozenset(json.loads((DATA / "languageinfo.json").read_text(encoding="utf-8")))
    return sets


@dataclass(frozen=True)
class SiteInfo:
    dbname: str
    lang: str
    ids: dict[str, int]  # key(local name, canonical name or alias) → namespace id
    names: dict[int, str]  # namespace id → local name ("" for the main namespace)
    first_letter: frozenset[int]  # namespaces whose titles start with a capital ("case": "first-letter")
    contributions: frozenset[str]  # keys of Special:Contributions' names on this wiki
    interwiki: frozenset[str]  # keys of interwiki prefixes

    @classmethod
    def from_api(cls, body: dict[str, Any]) -> SiteInfo:
        """From a meta=siteinfo answer (formatversion 1 or 2, with or without the "query" wrapper)."""
        query = body.get("query", body)
        general = query.get("general", {})
        ids: dict[str, int] = {}
        names: dict[int, str] = {}
        first_letter: set[int] = set()
        for ns in _values(query.get("namespaces", {})):
            number = int(ns["id"])
            local = ns.get("name", ns.get("*", ""))
            names[number] = local
            for name in (local, ns.get("canonical")):
                if name:
                    ids[key(name)] = number
            if ns.get("case", general.get("case", "first-letter")) == "first-letter":
                first_letter.add(number)
        for alias in query.get("namespacealiases", []):
            ids[key(alias.get("alias") or alias.get("*", ""))] = int(alias["id"])
        return cls(
            dbname=general.get("wikiid", ""),
            lang=general.get("lang", "en"),
            ids=ids,
            names=names,
            first_letter=frozenset(first_letter),
            contributions=frozenset(_contributions(query)),
            interwiki=frozenset(key(row["prefix"]) for row in query.get("interwikimap", [])),
        )

    def local_namespace(self, prefix: str) -> int | None:
        """The namespace a prefix names on this wiki (name, canonical name or alias), or None."""
        return self.ids.get(key(prefix))

    def namespace(self, prefix: str) -> int | None:
        """The namespace a prefix names here, or the User/User talk/Special name of any language."""
        found = self.local_namespace(prefix)
        if found is not None:
            return found
        k = key(prefix)
        other = _other_languages()
        for number, names in ((USER, "user"), (USER_TALK, "user_talk"), (SPECIAL, "special")):
            if k in other[names]:
                return number
        return None

    def is_contributions(self, page: str) -> bool:
        """Whether a Special: page name is Special:Contributions here or in any language."""
        k = key(page)
        return k in self.contributions or k in _other_languages()["contributions"]

    def is_interwiki(self, prefix: str) -> bool:
        k = key(prefix)
        return k in self.interwiki or k in COMMON_INTERWIKI or k in _other_languages()["codes"]

    def normalize_title(self, text: str) -> str:
        """A local title as MediaWiki stores it: "help:_editing#x" → "Help:Editing"."""
        title = clean(text.split("#", 1)[0]).lstrip(":").strip()
        prefix, colon, rest = title.partition(":")
        number = self.local_namespace(prefix) if colon else None
        if number is None or number == MAIN:
            return ucfirst(title) if MAIN in self.first_letter else title
        rest = rest.strip()
        rest = ucfirst(rest) if number in self.first_letter else rest
        return f"{self.names.get(number, prefix)}:{rest}"

    def page_name(self, title: str) -> str:
        """{{PAGENAME}}: the title without its namespace."""
        prefix, colon, rest = title.partition(":")
        number = self.local_namespace(prefix) if colon else None
        return rest.strip() if number not in (None, MAIN) else title


def _contributions(query: dict[str, Any]) -> set[str]:
    return {
        key(alias)
        for page in query.get("specialpagealiases", [])
        if page.get("realname") == "Contributions"
        for alias in page.get("aliases", [])
    }


def _values(namespaces: Any) -> list[dict[str, Any]]:
    # formatversion=2 gives a dict keyed by id, as does formatversion=1; a list is accepted too.
    return list(namespaces.values()) if isinstance(namespaces, dict) else list(namespaces)


def fetch_siteinfo(client: ApiClient) -> SiteInfo:
    body = client.get(
        action="query",
        meta="siteinfo",
        siprop="general|namespaces|namespacealiases|specialpagealiases|interwikimap",
    )
    return SiteInfo.from_api(body)
