"""What an answer must be whatever the store holds: checks shared by the security tests.

HTML is read with the standard library's parser, as a browser builds its elements: a payload
that became an element or an attribute is found whatever its spelling. CSV is read with the csv
module, cell by cell, as a spreadsheet reads it.
"""

from __future__ import annotations

import csv
import io
import re
from html.parser import HTMLParser

#: Attributes whose value a browser follows or loads.
URL_ATTRIBUTES = frozenset({"href", "src", "action", "formaction", "srcset", "xlink:href", "poster", "data"})
#: Elements that run or embed code; the tool's pages have none but its own script file.
ACTIVE_ELEMENTS = frozenset({"script", "iframe", "object", "embed"})
#: Schemes that run or embed code when followed.
SCRIPT_SCHEMES = ("javascript:", "vbscript:", "data:")
#: What a spreadsheet runs as a formula (tool.export.neutralise_formula) unless it is a plain number.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")
#: Characters a browser drops from a URL before reading its scheme (WHATWG URL: C0 controls, space,
#: tab and newlines), so "java\tscript:" is a javascript: URL too.
_DROPPED = re.compile(r"[\x00-\x20\x7f]")


class Elements(HTMLParser):
    """Every start tag with its attributes, and every URL an attribute points to."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    def urls(self) -> list[tuple[str, str, str]]:
        """(tag, attribute, URL) of every link, source, form action and srcset candidate."""
        found = []
        for tag, attrs in self.tags:
            for name, value in attrs:
                if name not in URL_ATTRIBUTES or value is None:
                    continue
                if name == "srcset":
                    candidates = [part.strip() for part in value.split(",") if part.strip()]
                    found += [(tag, name, candidate.split(" ")[0]) for candidate in candidates]
                else:
                    found.append((tag, name, value))
        return found


def elements(page: str) -> Elements:
    parser = Elements()
    parser.feed(page)
    parser.close()
    return parser


def html_problems(page: str, payloads: tuple[str, ...] = ()) -> list[str]:
    """What in ``page`` a hostile text could have made: a script element, an event-handler
    attribute, a link or source that runs code, a payload written out as it is. Empty: none."""
    found = elements(page)
    active = [(tag, attrs) for tag, attrs in found.tags if tag in ACTIVE_ELEMENTS]
    problems = [f"<{tag}> element" for tag, attrs in active if not _own_script(tag, attrs)]
    problems += [
        f"<{tag} {name}=…> event handler"
        for tag, attrs in found.tags
        for name, _ in attrs
        if name.startswith("on")
    ]
    problems += [
        f"<{tag} {name}={url!r}> runs code"
        for tag, name, url in found.urls()
        if _DROPPED.sub("", url).lower().startswith(SCRIPT_SCHEMES)
    ]
    problems += [f"the payload {payload!r} as it is" for payload in payloads if payload in page]
    return problems


def _own_script(tag: str, attrs: list[tuple[str, str | None]]) -> bool:
    """The tool's own script file (the refresh's progress): a path on this host, nothing inline."""
    source = dict(attrs).get("src") or ""
    return tag == "script" and source.startswith("/static/") and not source.startswith("//")


def csv_problems(text: str) -> list[str]:
    """The cells a spreadsheet would run as formulas. Empty: none."""
    rows = list(csv.reader(io.StringIO(text, newline="")))
    return [
        f"row {n} cell {cell!r}"
        for n, row in enumerate(rows, start=1)
        for cell in row
        if cell.startswith(FORMULA_START) and not _PLAIN_NUMBER.fullmatch(cell)
    ]


#: Markup a hostile text would add to a wiki page if it were written out as it is. ("javascript:" is
#: not among them: MediaWiki links no such URL, so as text it is only text; a link needs a "[".)
WIKITEXT_MARKUP = ("<", ">", "[", "]", "{{", "}}", "~~~", "'''", "|")


def wikitext_problems(text: str, payloads: tuple[str, ...]) -> list[str]:
    """Markup from ``payloads`` that reached the wikitext as markup. Empty: none.

    Text inside ``<nowiki>…</nowiki>`` is shown as it is (tool/wiki/literal.py), provided nothing
    inside can close the tag early: so a ``<`` inside one is a problem, and outside them no piece
    of a payload that carries markup may appear.
    """
    problems = []
    for inside in re.findall(r"<nowiki>(.*?)</nowiki>", text, flags=re.S):
        if "<" in inside:
            problems.append(f"a '<' inside nowiki could end it: {inside[:60]!r}")
    outside = re.sub(r"<nowiki>.*?</nowiki>", " ", text, flags=re.S)
    for payload in payloads:
        for piece in payload.split():
            # Any stretch of six or more characters of a payload with markup in it: long enough
            # that the renderer's own markup ("{|", "|-", "{{formatnum:") never matches by chance.
            stretches = {piece[i:j] for i in range(len(piece)) for j in range(i + 6, len(piece) + 1)}
            found = [s for s in stretches if any(m in s for m in WIKITEXT_MARKUP) and s in outside]
            if found:
                problems.append(f"{max(found, key=len)!r} of {payload!r} outside nowiki")
    return problems
