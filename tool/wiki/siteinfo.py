"""What the parser must know about the wiki it reads: namespace names, aliases and interwikis.

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
from tool.wiki.usernames import clean

DATA = Path(__file__).resolve().parent.parent / "data"
USER, USER_TALK, SPECIAL = 2, 3, -1
# Wikimedia's own interwiki prefixes people use in user links, whatever the reading wiki's table says.
COMMON_INTERWIKI = frozenset(
    {"m", "meta", "w", "wikipedia", "mw", "c", "commons", "d", "wikidata", "wikt", "wiktionary", "n",
     "q", "s", "b", "v", "voy", "species", "wikispecies", "foundation", "wmf", "outreach", "incubator",
     "metawikimedia", "mediawikiwiki", "wikimedia"}
)  # fmt: skip


def key(name: str) -> str:
    """How names are compared: spaces for underscores, case folded (namespaces are case-insensitive)."""
    return clean(name).casefold()


@cache
def _languages() -> dict[str, Any]:
    data = json.loads((DATA / "user_namespaces.json").read_text(encoding="utf-8"))
    sets: dict[str, Any] = {k: frozenset(data[k]) for k in ("user", "user_talk", "special", "contributions")}
    sets["codes"] = frozenset(json.loads((DATA / "languageinfo.json").read_text(encoding="utf-8")))
    return sets


@dataclass(frozen=True)
class SiteInfo:
    dbname: str
    lang: str
    namespaces: dict[str, int]  # key(name or alias) → namespace id
    contributions: frozenset[str]  # keys of Special:Contributions' names on this wiki
    interwiki: frozenset[str]  # keys of interwiki prefixes

    @classmethod
    def from_api(cls, body: dict[str, Any]) -> SiteInfo:
        query = body.get("query", body)
        general = query["general"]
        namespaces: dict[str, int] = {}
        for ns in _values(query["namespaces"]):
            for name in (ns.get("name"), ns.get("canonical"), ns.get("*")):
                if name:
                    namespaces[key(name)] = int(ns["id"])
        for alias in query.get("namespacealiases", []):
            namespaces[key(alias.get("alias") or alias.get("*", ""))] = int(alias["id"])
        contributions = {
            key(alias)
            for page in query.get("specialpagealiases", [])
            if page.get("realname") == "Contributions"
            for alias in page.get("aliases", [])
        }
        interwiki = {key(row["prefix"]) for row in query.get("interwikimap", [])}
        return cls(
            dbname=general.get("wikiid", ""),
            lang=general.get("lang", "en"),
            namespaces=namespaces,
            contributions=frozenset(contributions),
            interwiki=frozenset(interwiki),
        )

    def namespace(self, prefix: str) -> int | None:
        """The namespace a prefix names here, or the User/User talk/Special of any language."""
        k = key(prefix)
        if k in self.namespaces:
            return self.namespaces[k]
        languages = _languages()
        if k in languages["user"]:
            return USER
        if k in languages["user_talk"]:
            return USER_TALK
        if k in languages["special"]:
            return SPECIAL
        return None

    def is_contributions(self, page: str) -> bool:
        k = key(page)
        return k in self.contributions or k in _languages()["contributions"]

    def is_interwiki(self, prefix: str) -> bool:
        k = key(prefix)
        return k in self.interwiki or k in COMMON_INTERWIKI or k in _languages()["codes"]


def _values(namespaces: Any) -> list[dict[str, Any]]:
    # formatversion=2 gives a dict keyed by id; both shapes are accepted.
    return list(namespaces.values()) if isinstance(namespaces, dict) else list(namespaces)


def fetch_siteinfo(client: ApiClient) -> SiteInfo:
    body = client.get(
        action="query",
        meta="siteinfo",
        siprop="general|namespaces|namespacealiases|specialpagealiases|interwikimap",
    )
    return SiteInfo.from_api(body)
