"""A crawler over every page of the tool: which URLs to other hosts do its pages hold? (issue #12, item 4)

From ``/`` (and the comparison and cohort pages, which no page links to yet) it follows every
link to the tool's own host (``href``, ``src``, ``srcset``, form ``action``, CSS ``url()`` and
``@import``, redirects' ``Location``), fetching each URL once, and records every URL that names
another host, with where it was found. Toolforge's privacy policy forbids loading anything from
another host; links a person may follow to the wikis are what the tool means to make. So a URL
to another host is allowed only as a link (an ``<a href>`` or a redirect, never a source, a
stylesheet, a form's action or a CSS url) and only to the wikis the tool knows (its registry: the
home wiki and the tracked wikis) or the home wiki's OAuth pages.

The crawler takes a ``fetch(url) -> Answer`` function, so the same crawl runs on Flask's test
client (tests/test_crawl.py) and over HTTP against a running tool (``python -m bench.crawl``).

    .venv/bin/python -m bench.crawl http://127.0.0.1:5000 [--limit 5000]
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import quote, urldefrag, urljoin, urlsplit

import requests

from tool import ROOT
from tool.config import load_config
from tool.runtime import Runtime
from tool.web.titles import url_part

#: Attributes whose value a browser follows or loads, with what it does with it.
LINKS = frozenset({("a", "href")})
URL_ATTRIBUTES = frozenset({"href", "src", "srcset", "action", "formaction", "xlink:href", "poster", "data"})
# Quoted or bare url() values, and @import strings: no nested quantifiers, so no backtracking.
_CSS_URL = re.compile(r"""url\(\s*(?:'([^']*)'|"([^"]*)"|([^)'"\s]*))\s*\)""")
_CSS_IMPORT = re.compile(r"""@import\s+(?:'([^']*)'|"([^"]*)")""")
#: Schemes that name no host (inline data, same-page anchors, mail): not "another host".
NO_HOST_SCHEMES = ("data:", "mailto:", "about:")


@dataclass(frozen=True)
class Answer:
    status: int
    content_type: str
    text: str
    location: str | None = None


@dataclass(frozen=True)
class Found:
    """A URL on a page: where (the page), in what (``a href``, ``link href``, ``css url()``…)."""

    page: str
    where: str
    url: str

    @property
    def is_link(self) -> bool:
        return self.where in ("a href", "redirect")


@dataclass
class Crawl:
    pages: dict[str, int] = field(default_factory=dict)  # URL → status
    other_hosts: list[Found] = field(default_factory=list)
    unfollowed: int = 0  # same-host URLs left when the limit was reached


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str]] = []  # (where, url)
        self.styles: list[str] = []  # <style> contents and style="" attributes
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name == "style":
                self.styles.append(value)
            elif name == "srcset":
                for candidate in value.split(","):
                    if candidate.strip():
                        self.found.append((f"{tag} srcset", candidate.strip().split()[0]))
            elif name in URL_ATTRIBUTES:
                self.found.append((f"{tag} {name}", value))
        self._in_style = tag == "style"

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        self._in_style = False

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.styles.append(data)


def css_urls(css: str) -> list[tuple[str, str]]:
    found = [("css url()", next(v for v in m.groups() if v is not None)) for m in _CSS_URL.finditer(css)]
    return found + [
        ("css @import", next(v for v in m.groups() if v is not None)) for m in _CSS_IMPORT.finditer(css)
    ]


def urls_in(answer: Answer) -> list[tuple[str, str]]:
    """Every (where, URL) an answer holds: its links and sources, its CSS urls, its redirect."""
    found: list[tuple[str, str]] = []
    if answer.location:
        found.append(("redirect", answer.location))
    if answer.content_type == "text/html":
        parser = _Elements()
        parser.feed(answer.text)
        parser.close()
        found += parser.found
        for style in parser.styles:
            found += css_urls(style)
    elif answer.content_type == "text/css":
        found += css_urls(answer.text)
    return found


#: Paths asked once whatever their query: every page's login link differs only in where it returns
#: to, and each one asked makes the wiki's OAuth hand out a request token.
ONCE = frozenset({"/login"})


def crawl(
    fetch: Callable[[str], Answer], origin: str, seeds: Iterable[str] = ("/",), limit: int = 5000
) -> Crawl:
    """Every page reachable from ``seeds`` on ``origin`` (as ``scheme://host:port``), at most ``limit``."""
    result = Crawl()
    queue = list(dict.fromkeys(seeds))
    queued = set(queue)
    once: set[str] = set()
    while queue:
        if len(result.pages) >= limit:
            result.unfollowed = len(queue)
            break
        path = queue.pop(0)
        answer = fetch(path)
        result.pages[path] = answer.status
        for where, raw in urls_in(answer):
            url = raw.strip()
            if not url or url.startswith("#") or url.lower().startswith(NO_HOST_SCHEMES):
                continue
            absolute, _ = urldefrag(urljoin(origin + path, url))
            parts = urlsplit(absolute)
            if f"{parts.scheme}://{parts.netloc}" != origin:
                result.other_hosts.append(Found(path, where, url))
                continue
            own = parts.path + (f"?{parts.query}" if parts.query else "")
            if parts.path in ONCE:
                if parts.path in once:
                    continue
                once.add(parts.path)
            if own not in queued:
                queued.add(own)
                queue.append(own)
    return result


@dataclass(frozen=True)
class Allowed:
    """A host the tool's pages may link to, and why."""

    origin: str
    why: str


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def seeds(runtime: Runtime) -> list[str]:
    """Where the crawl starts: ``/``, and the pages no link of the tool reaches (yet): the comparison
    and each cohort's page (people arrive there from the wiki or the API)."""
    cohorts = [f"/cohort/{quote(url_part(c.title), safe='/:')}" for c in runtime.store.list_cohorts()]
    return ["/", "/compare", *cohorts]


def tool_wikis(runtime: Runtime) -> list[tuple[str, str, bool]]:
    """(dbname, index URL, is it the home wiki) of the wikis the tool knows: a farm's every wiki;
    in production the home wiki, Commons (uploads) and every wiki a stored event tracks."""
    registry = runtime.registry
    names = registry.known()
    if names is None:
        names = frozenset({registry.home, "commonswiki"}).union(
            *(event.wikis for event in runtime.store.list_events())
        )
    return [(name, registry.info(name).index, name == registry.home) for name in sorted(names)]


def allowed_hosts(wikis: Iterable[tuple[str, str, bool]], oauth: str | None) -> list[Allowed]:
    """The wikis' hosts ((dbname, index URL, is it the home wiki)), and the OAuth pages' host."""
    allowed: dict[str, Allowed] = {}
    for dbname, index, home in wikis:
        why = "the home wiki: event and cohort pages, the templates" if home else "a tracked wiki"
        allowed.setdefault(origin_of(index), Allowed(origin_of(index), f"{why} ({dbname})"))
    if oauth:
        allowed.setdefault(
            origin_of(oauth), Allowed(origin_of(oauth), "the home wiki's OAuth consent (login)")
        )
    return list(allowed.values())


def judge(result: Crawl, allowed: list[Allowed]) -> tuple[list[Found], dict[str, list[Found]]]:
    """(refused, allowed by origin): a URL to another host is allowed only as a link to an allowed host."""
    origins = {a.origin for a in allowed}
    refused: list[Found] = []
    kept: dict[str, list[Found]] = {}
    for found in result.other_hosts:
        origin = origin_of(urljoin("http://tool.invalid/", found.url))
        if found.is_link and origin in origins:
            kept.setdefault(origin, []).append(found)
        else:
            refused.append(found)
    return refused, kept


def report(result: Crawl, allowed: list[Allowed], refused: list[Found], kept: dict[str, list[Found]]) -> str:
    statuses: dict[int, int] = {}
    for status in result.pages.values():
        statuses[status] = statuses.get(status, 0) + 1
    lines = [
        f"crawled {len(result.pages):,} URLs of the tool (statuses {dict(sorted(statuses.items()))}); "
        f"{len(result.other_hosts):,} URLs to other hosts, {len(refused)} refused"
    ]
    for host in allowed:
        links = kept.get(host.origin, [])
        kinds = ", ".join(sorted({f.where for f in links})) or "none"
        lines.append(f"  allowed {host.origin}: {len(links):,} links ({kinds}); {host.why}")
        lines.append(f"      e.g. {links[0].url if links else '—'}")
    for found in refused[:20]:
        lines.append(f"  REFUSED on {found.page}: {found.where} {found.url}")
    return "\n".join(lines)


def _http_fetch(base: str) -> Callable[[str], Answer]:
    session = requests.Session()

    def fetch(path: str) -> Answer:
        response = session.get(base + path, allow_redirects=False, timeout=60)
        kind = response.headers.get("Content-Type", "").split(";")[0].strip()
        text = response.text if kind in ("text/html", "text/css") else ""
        return Answer(response.status_code, kind, text, response.headers.get("Location"))

    return fetch


def main(argv: list[str] | None = None) -> bool:
    parser = argparse.ArgumentParser(prog="python -m bench.crawl", description=__doc__.splitlines()[0])
    parser.add_argument("base", help="the running tool, e.g. http://127.0.0.1:5000")
    parser.add_argument("--limit", type=int, default=5000)
    args = parser.parse_args(argv)
    base = args.base.rstrip("/")
    # The tool's configuration as the running tool reads it (TOOL_* variables, config.yaml).
    runtime = Runtime(load_config(ROOT / "instance"))
    consumer = runtime.oauth_consumer
    allowed = allowed_hosts(tool_wikis(runtime), consumer.index_php if consumer else None)
    result = crawl(_http_fetch(base), base, seeds(runtime), limit=args.limit)
    refused, kept = judge(result, allowed)
    print(report(result, allowed, refused, kept))
    return not refused and not result.unfollowed


if __name__ == "__main__":
    sys.exit(0 if main() else 1)
