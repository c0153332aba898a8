"""Read wiki pages: which pages transclude a template, and their current wikitext.

Discovery asks only for page ids and latest revision ids first (cheap), so that a nightly run
fetches the text of just the pages that changed since they were last parsed.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime

from tool.wiki.api import ApiClient
from tool.wiki.contribs import parse_api_time

# "Maximum number of values is 50" for titles/pageids (500 with apihighlimits).
PAGES_PER_REQUEST = 50


@dataclass(frozen=True)
class PageRef:
    title: str
    page_id: int
    latest_revision: int


@dataclass(frozen=True)
class PageText:
    title: str
    page_id: int
    revision: int
    timestamp: datetime
    text: str


def fetch_transclusions(client: ApiClient, template: str) -> list[PageRef]:
    """Every page that transcludes ``Template:<template>``, with its latest revision id."""
    refs: list[PageRef] = []
    params = {
        "generator": "embeddedin",
        "geititle": template if ":" in template else f"Template:{template}",
        "geilimit": "max",
        "prop": "info",
    }
    for part in client.query(**params):
        for page in part.get("pages", []):
            refs.append(PageRef(page["title"], int(page["pageid"]), int(page["lastrevid"])))
    return sorted(refs, key=lambda ref: ref.title)


def fetch_namespace_pages(client: ApiClient, namespace: int) -> list[PageRef]:
    """Every page of a namespace (redirects left out), with its latest revision id."""
    refs: list[PageRef] = []
    params = {
        "generator": "allpages",
        "gapnamespace": str(namespace),
        "gapfilterredir": "nonredirects",
        "gaplimit": "max",
        "prop": "info",
    }
    for part in client.query(**params):
        for page in part.get("pages", []):
            refs.append(PageRef(page["title"], int(page["pageid"]), int(page["lastrevid"])))
    return sorted(refs, key=lambda ref: ref.title)


def fetch_texts(client: ApiClient, titles: Iterable[str]) -> Iterator[PageText | str]:
    """The current text of each title; a title that does not exist comes back as the bare title."""
    pending = list(dict.fromkeys(titles))
    for i in range(0, len(pending), PAGES_PER_REQUEST):
        chunk = pending[i : i + PAGES_PER_REQUEST]
        for part in client.query(
            titles=chunk, prop="revisions", rvprop="ids|timestamp|content", rvslots="main"
        ):
            for page in part.get("pages", []):
                if page.get("missing") or page.get("invalid"):
                    yield page["title"]
                    continue
                if not page.get("revisions"):
                    continue  # its text comes in a later continuation of the same query
                revision = page["revisions"][0]
                yield PageText(
                    title=page["title"],
                    page_id=int(page["pageid"]),
                    revision=int(revision["revid"]),
                    timestamp=parse_api_time(revision["timestamp"]),
                    text=revision["slots"]["main"].get("content", ""),
                )
