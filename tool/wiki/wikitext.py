"""Small, forgiving helpers over raw wikitext: hidden text, headings, template extents.

They never raise on broken markup: an unclosed comment hides the rest of the page (as MediaWiki
does), an unclosed template is reported by the caller and read up to the next heading.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

# As Parser::extractTagsAndParams: "<nowiki/>" is an empty element (it hides nothing after it); an
# unclosed comment or tag runs to the end of the text.
_HIDDEN = re.compile(
    r"<!--.*?(?:-->|\Z)"
    r"|<(?:nowiki|pre|syntaxhighlight|source|math)\b[^>]*/>"
    r"|<(nowiki|pre|syntaxhighlight|source|math)\b[^>]*>.*?(?:</\1\s*>|\Z)",
    re.S | re.I,
)
_HEADING = re.compile(r"^(={1,6})\s*(.+?)\s*\1\s*(?:<!--.*?-->\s*)*$")


def blank_hidden(text: str) -> str:
    """Comments and nowiki/pre blocks replaced by blanks, keeping every newline (line numbers stay)."""
    return _HIDDEN.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), text)


@dataclass(frozen=True)
class Heading:
    level: int
    text: str
    line: int  # 1-based


def headings(lines: list[str]) -> Iterator[Heading]:
    for index, line in enumerate(lines):
        if line.startswith("="):
            match = _HEADING.match(line.rstrip())
            if match:
                yield Heading(len(match.group(1)), match.group(2), index + 1)


def section_lines(lines: list[str], heading: Heading) -> list[tuple[int, str]]:
    """(line number, text) of a section's body with its subsections, up to the next heading as high."""
    body: list[tuple[int, str]] = []
    for index in range(heading.line, len(lines)):
        line = lines[index]
        if line.startswith("="):
            match = _HEADING.match(line.rstrip())
            if match and len(match.group(1)) <= heading.level:
                break
        body.append((index + 1, line))
    return body


def template_starts(text: str, names: set[str]) -> list[int]:
    """Offsets of ``{{`` opening a template whose (normalized) name is in ``names``."""
    starts = []
    for match in re.finditer(r"\{\{\s*([^{}|<>\[\]\n]*?)\s*(?=\||\}\}|\n)", text):
        name = " ".join(match.group(1).replace("_", " ").split()).casefold()
        name = name[len("template:") :].strip() if name.startswith("template:") else name
        if name in names:
            starts.append(match.start())
    return starts


def template_end(text: str, start: int) -> int | None:
    """Offset just past the ``}}`` closing the template opened at ``start``, or None if unclosed."""
    depth = 0
    for match in re.compile(r"\{\{|\}\}").finditer(text, start):
        depth += 1 if match.group() == "{{" else -1
        if depth == 0:
            return match.end()
    return None


def line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def split_outside(text: str, separators: str) -> list[str]:
    """Split on any of ``separators`` where it is not inside a template or a link."""
    if "{{" not in text and "[[" not in text:
        return re.split(f"[{re.escape(separators)}]", text)
    parts: list[str] = []
    current: list[str] = []
    depth = 0
    index = 0
    while index < len(text):
        pair = text[index : index + 2]
        if pair in ("{{", "[["):
            depth += 1
        elif pair in ("}}", "]]") and depth:
            depth -= 1
        else:
            if text[index] in separators and not depth:
                parts.append("".join(current))
                current = []
            else:
                current.append(text[index])
            index += 1
            continue
        current.append(pair)
        index += 2
    parts.append("".join(current))
    return parts
