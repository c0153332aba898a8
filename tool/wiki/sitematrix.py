"""Which Wikimedia wikis exist: Meta-Wiki's ``action=sitematrix``, cached in a file.

The naming rules (tool.wiki.registry) say what a dbname looks like; only the sitematrix says that
the wiki is real, so that ``wikis = xxwiki`` is a problem on the page and never a request to a
host that does not exist. The list changes a few times a year: it is asked for at most once a
day, and kept in a file so that the web workers, the CLI and the bot share one answer. Private
wikis are left out (their API cannot be read without an account there).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from tool.wiki.api import ApiClient, ApiError, WikiUnavailable

SITEMATRIX_API = "https://meta.wikimedia.org/w/api.php"
MAX_AGE = 24 * 3600.0  # seconds


@dataclass(frozen=True)
class SiteMatrix:
    """Public Wikimedia wikis: dbname → base URL (``https://sw.wikipedia.org``)."""

    sites: Mapping[str, str]

    @classmethod
    def from_api(cls, bodies: Iterable[Mapping[str, Any]]) -> SiteMatrix:
        """From the API's answers (formatversion 1 or 2; one per continuation)."""
        sites: dict[str, str] = {}
        for body in bodies:
            for name, group in body.get("sitematrix", {}).items():
                if name == "count":
                    continue
                # Languages are {"code": …, "site": […]}; "specials" is the list itself.
                entries = group if name == "specials" else group.get("site", [])
                for site in entries:
                    # formatversion=2 says "private": true, formatversion=1 "private": "".
                    if site.get("private", False) is False and site.get("dbname") and site.get("url"):
                        sites[str(site["dbname"])] = str(site["url"]).rstrip("/")
        return cls(sites)

    def dbname_of_host(self, host: str) -> str | None:
        return self._hosts.get(host)

    @cached_property
    def _hosts(self) -> dict[str, str]:
        # Built once per list: a page may name hundreds of wikis, and Wikimedia has about 1,000.
        return {urlsplit(url).netloc: dbname for dbname, url in self.sites.items()}


def fetch_sitematrix(client: ApiClient) -> SiteMatrix:
    """Every public wiki, following ``smcontinue`` (5,000 wikis an answer with smlimit=max)."""
    bodies: list[dict[str, Any]] = []
    cont: dict[str, Any] = {}
    while True:
        body = client.get(action="sitematrix", smlimit="max", **cont)
        bodies.append(body)
        if "continue" not in body:
            return SiteMatrix.from_api(bodies)
        cont = body["continue"]


class CachedSiteMatrix:
    """The sitematrix from ``path`` while it is younger than a day, else asked again.

    When Meta-Wiki cannot be asked, the last list kept is used however old (wikis are rarely
    removed); with none at all, the answer is None and the registry falls back to the naming rules
    — a Meta-Wiki outage must not turn every event's wikis into problems.
    """

    def __init__(
        self,
        fetch: Callable[[], SiteMatrix],
        path: Path,
        max_age: float = MAX_AGE,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._fetch = fetch
        self._path = path
        self._max_age = max_age
        self._clock = clock
        self._matrix: SiteMatrix | None = None
        self._read_at = 0.0

    def __call__(self) -> SiteMatrix | None:
        if self._matrix is not None and self._clock() - self._read_at < self._max_age:
            return self._matrix
        kept = self._read_file()
        if kept is not None and self._clock() - kept[0] < self._max_age:
            self._matrix, self._read_at = kept[1], kept[0]
            return self._matrix
        try:
            matrix = self._fetch()
        except (ApiError, WikiUnavailable):
            return kept[1] if kept is not None else self._matrix
        self._matrix, self._read_at = matrix, self._clock()
        self._write_file(matrix)
        return matrix

    def _read_file(self) -> tuple[float, SiteMatrix] | None:
        try:
            data = json.loads(self._path.read_text(encoding="utf-8"))
            return float(data["fetched"]), SiteMatrix(dict(data["sites"]))
        except (OSError, ValueError, KeyError, TypeError):
            return None  # no file yet, or a damaged one: ask again

    def _write_file(self, matrix: SiteMatrix) -> None:
        document = {"fetched": self._clock(), "sites": dict(matrix.sites)}
        try:
            self._path.parent.mkdir(parents=True, exist_ok=True)
            temporary = self._path.with_suffix(".tmp")
            temporary.write_text(json.dumps(document), encoding="utf-8")
            temporary.replace(self._path)  # another process never reads half a file
        except OSError:
            pass  # a read-only instance folder: the list is kept in memory only
