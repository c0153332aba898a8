"""Wikis as people name them, read into a dbname or a host for the registry (DESIGN §4).

Organizers write ``Commons``, ``Wikimedia Commons``, ``Wikidata``, ``Meta``, ``sw.wikipedia``,
``//sw.wikipedia.org``, ``sw.m.wikipedia.org`` or an address copied from the browser
(``https://sw.wikipedia.org/wiki/Mwanzo``). ``read_name`` turns each into what the registry
looks up: a dbname for the wikis people call by name, else a host, else the text itself (a
dbname such as ``swwiki``). Every step is a split or a lookup: linear in the name's length.
"""

from __future__ import annotations

from dataclasses import dataclass

# Wikis people call by name → dbname. Keys as ``name_key`` writes them (case, spaces, hyphens
# and underscores do not matter). Only names that mean one wiki: "Wikipedia" or "Wikisource"
# alone could be any language's.
NAMED_WIKIS: dict[str, str] = {
    "commons": "commonswiki",
    "wikimedia commons": "commonswiki",
    "commons wikimedia": "commonswiki",
    "wikidata": "wikidatawiki",
    "meta": "metawiki",
    "meta wiki": "metawiki",
    "meta wikimedia": "metawiki",
    "wikimedia meta wiki": "metawiki",
    "wikispecies": "specieswiki",
    "species": "specieswiki",
    "mediawiki": "mediawikiwiki",
    "incubator": "incubatorwiki",
    "wikimedia incubator": "incubatorwiki",
    "wikifunctions": "wikifunctionswiki",
    "outreach": "outreachwiki",
    "outreach wiki": "outreachwiki",
}
# Second-level names of Wikimedia's domains, so that "sw.wikipedia" means sw.wikipedia.org.
WIKIMEDIA_SITES = frozenset(
    {"wikipedia", "wiktionary", "wikibooks", "wikinews", "wikiquote", "wikisource", "wikiversity",
     "wikivoyage", "wikimedia", "wikidata", "mediawiki", "wikifunctions"}
)  # fmt: skip
# Sites whose main host is www.<site>.org ("wikidata.org" is www.wikidata.org).
_WWW_SITES = frozenset({"wikidata", "mediawiki", "wikifunctions"})
# A host has at most 253 characters (RFC 1035), and a port and a user part a few more.
MAX_HOST = 300


@dataclass(frozen=True)
class WikiName:
    """What a name in ``wikis =`` says: a dbname, or a host (with its port) to look up."""

    dbname: str | None = None
    host: str | None = None


def name_key(text: str) -> str:
    """How names compare: letter case, spaces, hyphens and underscores do not matter."""
    return " ".join(text.casefold().replace("_", " ").replace("-", " ").split())


def read_name(written: str) -> WikiName:
    """``Commons`` → commonswiki; ``https://sw.m.wikipedia.org/wiki/X`` → host sw.wikipedia.org."""
    text = written.strip()
    named = NAMED_WIKIS.get(name_key(text)) if len(text) <= MAX_HOST else None
    if named is not None:
        return WikiName(dbname=named)
    host = _host(text)
    if host is None:
        return WikiName(dbname=text.lower())
    return WikiName(host=host)


def _host(text: str) -> str | None:
    """The host a name or address gives, in Wikimedia's desktop form; None when it has none."""
    lower = text.lower()
    address = False
    for scheme in ("https://", "http://", "//"):
        if lower.startswith(scheme):
            lower, address = lower[len(scheme) :], True
            break
    for end in "/?#":
        lower = lower.split(end, 1)[0]
    if not address and "." not in lower:
        return None  # a dbname ("swwiki") or a word
    if not lower or len(lower) > MAX_HOST:
        return ""  # an address with no host, or not one: no wiki has it
    labels = lower.removesuffix(".").split(".")
    # The mobile site: sw.m.wikipedia.org, m.wikidata.org.
    if len(labels) >= 3 and labels[1] == "m":
        del labels[1]
    elif len(labels) >= 2 and labels[0] == "m":
        del labels[0]
    if labels[-1] in WIKIMEDIA_SITES:
        labels.append("org")  # "sw.wikipedia", "commons.wikimedia"
    if len(labels) == 2 and labels[0] in _WWW_SITES:
        labels.insert(0, "www")
    return ".".join(labels)
