"""The wikis of the local farm: which exist, their language and their place in the port range."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class WikiSpec:
    dbname: str
    sitename: str
    lang: str
    port_offset: int
    uploads: bool = False

    def server(self, base_port: int) -> str:
        return f"http://127.0.0.1:{base_port + self.port_offset}"


# metawiki holds event and cohort pages; the others are the tracked content wikis. swwiki runs in
# Swahili so that localized namespace names are exercised as they are on real wikis.
WIKIS: tuple[WikiSpec, ...] = (
    WikiSpec("metawiki", "Meta-Wiki", "en", 0),
    WikiSpec("enwiki", "Wikipedia", "en", 1),
    WikiSpec("swwiki", "Wikipedia", "sw", 2),
    WikiSpec("commonswiki", "Wikimedia Commons", "en", 3, uploads=True),
)

BASE_PORTS = {"test": 8300, "demo": 8200, "bench": 8400}


def wiki(dbname: str) -> WikiSpec:
    for spec in WIKIS:
        if spec.dbname == dbname:
            return spec
    raise KeyError(f"no wiki {dbname!r} in the farm (known: {', '.join(w.dbname for w in WIKIS)})")
