"""Which wikis exist and where their APIs are: Wikimedia's naming rules, or a local farm's list.

Organizers write ``wikis = swwiki, en.wikipedia.org, Commons`` (tool.wiki.wikinames reads the
names people use); everything inside the tool uses dbnames. Wikimedia derives dbnames from domains
by fixed rules (the same ones as the replicas' ``meta_p.wiki`` table), so no network lookup is
needed to translate; whether such a wiki exists is the sitematrix's to say
(tool.wiki.sitematrix), asked once a day in production.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from tool import ROOT
from tool.wiki.api import ApiClient
from tool.wiki.sitematrix import SITEMATRIX_API, CachedSiteMatrix, SiteMatrix, fetch_sitematrix
from tool.wiki.wikinames import read_name

# Project families whose dbname is <language code><suffix> and whose domain is <lang>.<family>.org.
_FAMILIES = {
    "wiki": "wikipedia",
    "wiktionary": "wiktionary",
    "wikibooks": "wikibooks",
    "wikinews": "wikinews",
    "wikiquote": "wikiquote",
    "wikisource": "wikisource",
    "wikiversity": "wikiversity",
    "wikivoyage": "wikivoyage",
}
# Wikis whose dbname does not follow the language rule.
_SPECIAL = {
    "metawiki": "meta.wikimedia.org",
    "commonswiki": "commons.wikimedia.org",
    "wikidatawiki": "www.wikidata.org",
    "specieswiki": "species.wikimedia.org",
    "mediawikiwiki": "www.mediawiki.org",
    "incubatorwiki": "incubator.wikimedia.org",
    "outreachwiki": "outreach.wikimedia.org",
    "foundationwiki": "foundation.wikimedia.org",
    "wikifunctionswiki": "www.wikifunctions.org",
    "sourceswiki": "wikisource.org",
}
_LANG = r"[a-z][a-z0-9_]{1,15}"
_DBNAME = re.compile(rf"^({_LANG}?)({'|'.join(sorted(_FAMILIES, key=len, reverse=True))})$")


@dataclass(frozen=True)
class WikiInfo:
    dbname: str
    api: str
    rest: str

    @property
    def index(self) -> str:
        """index.php beside api.php: the base for links to pages (``?title=``)."""
        return self.api.removesuffix("api.php") + "index.php"


class UnknownWiki(ValueError):
    """A name in ``wikis=`` that is neither a dbname nor a domain of a known wiki."""


class Registry:
    """Resolves names and domains to dbnames, and dbnames to API URLs."""

    def __init__(
        self,
        wikis: Mapping[str, WikiInfo] | None = None,
        home: str = "metawiki",
        sitematrix: Callable[[], SiteMatrix | None] | None = None,
    ) -> None:
        # None: Wikimedia production, the wikis of the sitematrix (any well-formed dbname when it
        # cannot be had). A mapping: exactly those wikis (a farm).
        self._wikis = dict(wikis) if wikis is not None else None
        self.home = home
        self._sitematrix = sitematrix

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> Registry:
        if config.get("FARM"):
            return cls.from_farm(Path(config["FARM"]), home=config.get("HOME_WIKI", "metawiki"))
        return cls(home=config.get("HOME_WIKI", "metawiki"), sitematrix=_cached_sitematrix(config))

    @classmethod
    def from_farm(cls, path: Path, home: str = "metawiki") -> Registry:
        try:
            status = json.loads(path.read_text())
        except (OSError, ValueError) as e:
            raise FileNotFoundError(
                f"cannot read the wiki farm's status file {path} ({e}); start the farm with "
                "`python -m devwiki start` or fix the FARM setting"
            ) from e
        wikis = {name: WikiInfo(name, info["api"], info["rest"]) for name, info in status["wikis"].items()}
        return cls(wikis, home=status.get("home_wiki", home))

    def known(self) -> frozenset[str] | None:
        """The dbnames this registry accepts, or None when any well-formed Wikimedia dbname is."""
        return frozenset(self._wikis) if self._wikis is not None else None

    def dbname(self, name: str) -> str:
        """``swwiki``, ``sw.wikipedia.org``, ``https://sw.wikipedia.org/``, ``Commons`` → a dbname.

        Names are read as people write them (tool.wiki.wikinames); a host outside Wikimedia's
        naming rules is looked up among the known wikis' own addresses.
        """
        read = read_name(name)
        candidate = read.dbname
        if read.host is not None:
            candidate = _dbname_of_domain(read.host) or self._dbname_of_host(read.host)
        if self._wikis is not None:
            if candidate is None or candidate not in self._wikis:
                raise UnknownWiki(name)
            return candidate
        matrix = self._sitematrix() if self._sitematrix is not None else None
        if matrix is None:
            if candidate is not None and (candidate in _SPECIAL or _DBNAME.match(candidate)):
                return candidate
            raise UnknownWiki(name)
        if candidate is None or candidate not in matrix.sites:
            raise UnknownWiki(name)
        return candidate

    def _dbname_of_host(self, host: str) -> str | None:
        """The known wiki at ``host``: a farm's (with its port), or the sitematrix's (a chapter's wiki)."""
        if self._wikis is not None:
            for dbname, info in self._wikis.items():
                if urlsplit(info.api).netloc == host:
                    return dbname
            return None
        matrix = self._sitematrix() if self._sitematrix is not None else None
        return matrix.dbname_of_host(host) if matrix is not None else None

    def info(self, dbname: str) -> WikiInfo:
        if self._wikis is not None:
            if dbname not in self._wikis:
                raise UnknownWiki(dbname)
            return self._wikis[dbname]
        try:
            base = f"https://{domain_of(dbname)}"
        except UnknownWiki:
            matrix = self._sitematrix() if self._sitematrix is not None else None
            if matrix is None or dbname not in matrix.sites:
                raise
            base = matrix.sites[dbname]
        return WikiInfo(dbname, f"{base}/w/api.php", f"{base}/w/rest.php")


def _cached_sitematrix(config: Mapping[str, Any]) -> CachedSiteMatrix:
    """Production's list of wikis, from Meta-Wiki (or SITEMATRIX_API), kept in the instance folder."""
    api = config.get("SITEMATRIX_API") or SITEMATRIX_API
    contact = config.get("CONTACT") or "https://event-outcomes.toolforge.org/"
    instance = Path(config.get("INSTANCE_PATH") or ROOT / "instance")
    return CachedSiteMatrix(
        lambda: fetch_sitematrix(ApiClient(api, contact=contact)), instance / "sitematrix.json"
    )


def domain_of(dbname: str) -> str:
    if dbname in _SPECIAL:
        return _SPECIAL[dbname]
    match = _DBNAME.match(dbname)
    if not match or not match.group(1):
        raise UnknownWiki(dbname)
    return f"{match.group(1).replace('_', '-')}.{_FAMILIES[match.group(2)]}.org"


def _dbname_of_domain(domain: str) -> str | None:
    for dbname, special in _SPECIAL.items():
        if domain == special:
            return dbname
    parts = domain.split(".")
    if len(parts) == 3 and parts[2] == "org":
        lang, family = parts[0], parts[1]
        for suffix, name in _FAMILIES.items():
            if name == family and re.fullmatch(r"[a-z][a-z0-9-]{1,15}", lang):
                return lang.replace("-", "_") + suffix
    return None
