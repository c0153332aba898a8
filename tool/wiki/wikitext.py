"""Small, forgiving helpers over raw wikitext: hidden text, headings, template extents, plain text.

They never raise on broken markup: an unclosed comment hides the rest of the page (as MediaWiki
does), an unclosed template is reported by the caller and read up to the next heading.

Every helper takes time linear in its input, whatever the input holds (issue #7): scans with
str.find, and regular expressions that cannot try a long stretch of text again from each of its
positions (no ``[^>]*>`` tried at every ``<`` of a text without ``>``, no lazy ``.+?`` between two
``\\s*``). mwparserfromhell, which slows down with the square of the length on unclosed markup
(10,000 characters of unclosed ``<b `` take 4 s), is handed text only within a per-page ``Budget``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import accumulate, islice

import mwparserfromhell

# $wgMaxArticleSize on Wikimedia wikis (and MediaWiki's default): 2048 KiB of UTF-8. No saved page is
# longer, so a longer text is cut, with a problem, rather than read.
MAX_PAGE_BYTES = 2048 * 1024
# A participants line or a template field longer than this is not read (a problem names its line).
# The longest real ones are a signature with a comment after it or an organizers list of a few
# dozen links: a few hundred characters. 10,000 characters is some 250 event titles in a cohort's
# ``events`` field, or 40 screen lines for a single list item: only generated or broken text is longer.
MAX_LINE = 10_000
# How much of a page is read, counted in the things each cost a few microseconds of Python: a
# 2 MB page can hold 700,000 three-character lines, and the page must parse well under a second.
# The design's largest event has 10,000 participants (one line each, bench/parse.py); a real page
# has a few dozen headings and template parameters, a cohort a few dozen events.
MAX_LIST_LINES = 30_000  # lines read from participants sections (their headings included) or page
# ... and the templates, links and names read on them (one can take 5 µs; a real line needs 1 to 3)
MAX_LIST_READS = 60_000
MAX_HEADINGS = 20_000  # headings looked at for participants or events sections
MAX_FIELDS = 1_000  # parameters of the event or cohort template
MAX_EVENTS = 10_000  # links read from a cohort's events sections

# As Parser::extractTagsAndParams: "<nowiki/>" is an empty element (it hides nothing after it); an
# unclosed comment or tag runs to the end of the text.
_HIDDEN_START = re.compile(r"<(?:!--|(nowiki|pre|syntaxhighlight|source|math)\b)", re.I)
_HIDDEN_CLOSE = {
    name: re.compile(rf"</{name}\s*>", re.I)
    for name in ("nowiki", "pre", "syntaxhighlight", "source", "math")
}
# "== a ==" followed by a comment: the closing "="s, the spaces, the comment (from the first "<!--").
_CLOSING_BEFORE_COMMENT = re.compile(r"(?<!=)(=+)\s*<!--")


def cut_page(text: str, limit: int = MAX_PAGE_BYTES) -> tuple[str, int | None]:
    """The text cut to ``limit`` bytes of UTF-8 at the end of a line, and the first line cut off.

    The line is None when nothing was cut. A text that is one long line is cut mid-line (line 1).
    """
    if len(text) * 4 <= limit:  # no character takes more than 4 bytes
        return text, None
    data = text.encode("utf-8", "surrogatepass")
    if len(data) <= limit:
        return text, None
    kept = 0
    for back in range(4):  # a character cut in two is left out
        try:
            kept = len(data[: limit - back].decode("utf-8", "surrogatepass"))
            break
        except UnicodeDecodeError:
            continue
    newline = text.rfind("\n", 0, kept)
    if newline < 0:
        return text[:kept], 1
    return text[:newline], text.count("\n", 0, newline) + 2


def _blank(text: str) -> str:
    if "\n" not in text:
        return " " * len(text)
    return "\n".join(" " * len(line) for line in text.split("\n"))


def blank_hidden(text: str) -> str:
    """Comments and nowiki/pre blocks replaced by blanks, keeping every newline (line numbers stay)."""
    if "<" not in text:
        return text
    # A tag needs a ">": past the last one, only comments can start (no rescanning to the end from
    # each "<nowiki" of a text that has no ">"). Before it, every tag found is hidden.
    last_gt = text.rfind(">")
    pieces: list[str] = []
    done = 0
    while True:
        start = _HIDDEN_START.search(text, done, max(last_gt, 0))
        if start is None:  # no tag can start any more: comments only
            at = text.find("<!--", done)
            if at < 0:
                break
            close = text.find("-->", at + 4)
            end = len(text) if close < 0 else close + 3
        elif start.group(1) is None:  # a comment
            at = start.start()
            close = text.find("-->", at + 4)
            end = len(text) if close < 0 else close + 3
        else:
            at = start.start()
            gt = text.find(">", start.end())
            if gt - 1 >= start.end() and text[gt - 1] == "/":
                end = gt + 1  # <nowiki/>
            else:
                close_tag = _HIDDEN_CLOSE[start.group(1).lower()].search(text, gt + 1)
                end = close_tag.end() if close_tag else len(text)
        pieces += [text[done:at], _blank(text[at:end])]
        done = end
    pieces.append(text[done:])
    return "".join(pieces)


@dataclass(frozen=True)
class Heading:
    level: int
    text: str
    line: int  # 1-based


def heading_of(line: str) -> tuple[int, str] | None:
    """(level, text) when the line is a heading, as the regular expression
    ``^(={1,6})\\s*(.+?)\\s*\\1\\s*(?:<!--.*?-->\\s*)*$`` would read it, but in linear time.

    That expression (the helpers' definition before issue #7) backtracks in cubic time on "="
    followed by spaces; here each possible level is one pass over the line.
    """
    line = line.rstrip()
    leading = len(line) - len(line.lstrip("="))
    if not leading:
        return None
    n = len(line)
    # Where the closing "="s may end: at the line's end, or before a comment running to the end.
    comment_ends_line = line.endswith("-->")
    for level in range(min(leading, 6), 0, -1):
        closing = "=" * level
        text_start = n - len(line[level:].lstrip())  # after the opening "="s and their spaces
        starts: list[int] = []  # where the closing "="s may start, in increasing order
        if comment_ends_line:
            for match in _CLOSING_BEFORE_COMMENT.finditer(line):
                comment = match.end() - 4
                if comment + 7 <= n and match.end(1) - match.start(1) >= level:
                    starts.append(match.end(1) - level)  # the run's last "="s
        if line.endswith(closing):
            starts.append(n - level)
        # The text is at least one character: it starts at text_start, or one space earlier when
        # the closing "="s follow the opening ones' spaces directly ("==  ==").
        after = next((s for s in starts if s >= text_start + 1), None)
        if after is not None:
            text_end = max(text_start + 1, len(line[:after].rstrip()))
            return level, line[text_start:text_end]
        if text_start > level and text_start in starts:
            return level, line[text_start - 1 : text_start]
    return None


def headings(lines: list[str]) -> Iterator[Heading]:
    for index, line in enumerate(lines):
        if line.startswith("="):
            found = heading_of(line)
            if found:
                yield Heading(found[0], found[1], index + 1)


@dataclass(frozen=True)
class Section:
    heading: Heading
    end: int  # the number of the first line after the section: the next heading as high, or past the end

    def body(self, lines: list[str]) -> list[str]:
        """The section's lines after its heading, subsections included."""
        return lines[self.heading.line : self.end - 1]


def sections(lines: list[str], limit: int = MAX_HEADINGS) -> tuple[list[Section], int | None]:
    """The first ``limit`` headings with the extent of their sections, in one pass (a stack of open
    sections), and the line of the first heading past the limit (None when there is none): a
    section still open there ends there."""
    found: list[Heading] = []
    cut = None
    for heading in headings(lines):
        if len(found) == limit:
            cut = heading.line
            break
        found.append(heading)
    ends = [len(lines) + 1 if cut is None else cut] * len(found)
    open_sections: list[int] = []
    for index, heading in enumerate(found):
        while open_sections and found[open_sections[-1]].level >= heading.level:
            ends[open_sections.pop()] = heading.line
        open_sections.append(index)
    return [Section(heading, end) for heading, end in zip(found, ends, strict=True)], cut


# "{{" and what follows it up to a character no name holds; "{{{" is tried again one later.
_TEMPLATE_START = re.compile(r"\{\{([^{}|<>\[\]]+)")
_SPACE_RUN = re.compile(r"\s+")


def template_starts(text: str, names: set[str]) -> list[int]:
    """Offsets of ``{{`` opening a template whose (normalized) name is in ``names``.

    The name runs from the first character that is not a space up to a "|", a "}}" or a line end,
    and holds none of ``{}|<>[]`` (as ``\\{\\{\\s*([^{}|<>\\[\\]\\n]*?)\\s*(?=\\||\\}\\}|\\n)`` would
    find it, without that expression's backtracking over spaces).
    """
    starts = []
    known: dict[str, str] = {}  # name as written → normalized: a page uses the same few templates
    for match in _TEMPLATE_START.finditer(text):
        written = _name_in(match.group(1), text.startswith(("|", "}}"), match.end()))
        if not written:
            continue
        name = known.get(written)
        if name is None:
            name = " ".join(written.replace("_", " ").split()).casefold()
            name = known[written] = name[len("template:") :].strip() if name.startswith("template:") else name
        if name in names:
            starts.append(match.start())
    return starts


def _name_in(run: str, closed: bool) -> str | None:
    """The name at the start of ``run`` (the text after "{{" up to a character no name holds)."""
    if "\n" not in run:
        return run.strip() if closed else None
    first = len(run) - len(run.lstrip())
    if first == len(run):
        return None  # no name ("{{|x}}", "{{ <"): nothing a template is called
    # The name ends at the first space run holding a line end, or at the run's end when a "|" or
    # "}}" follows it there.
    for space in _SPACE_RUN.finditer(run, first):
        if "\n" in space.group() or (closed and space.end() == len(run)):
            return run[first : space.start()]
    return run[first:] if closed else None


_BRACES = re.compile(r"\{\{|\}\}")
_NESTING = re.compile(r"\{\{|\[\[|\}\}|\]\]")
_STEP = {"{{": 1, "[[": 1, "}}": -1, "]]": -1}
_TOKENS = {_BRACES: (("{{",), ("}}",)), _NESTING: (("{{", "[["), ("}}", "]]"))}  # opening, closing


_RUN = {c: re.compile(re.escape(c) + "*") for c in "{}[]"}  # a run of one brace or bracket
_WINDOW = 1 << 16


def _balanced(pattern: re.Pattern[str], text: str, at: int) -> int | None:
    """Offset just past the first token (from ``at``) after which as many pairs were closed as
    opened, or None if that never happens.

    Counted a window at a time by findall and accumulate, which run in C: a million nested "{{"
    take a tenth of a second, not a Python loop's half second. Windows start small and double, so
    the work is proportional to how far the pairs reach, however often this is asked. A window
    ends where no token can straddle it (not inside a run of one brace), so each is split into
    tokens as the whole text is.
    """
    first = pattern.match(text, at)
    if first is not None and _STEP[first.group()] == 1:  # the common case: "[[a]]", "{{u|x}}"
        then = pattern.search(text, first.end())
        if then is not None and _STEP[then.group()] == -1:
            return then.end()
    opening, closing = _TOKENS[pattern]
    depth = 0
    size = min(16, _WINDOW)
    while at < len(text):
        end = min(at + size, len(text))
        size = min(2 * size, _WINDOW)
        if end < len(text) and text[end] in _RUN and text[end - 1] == text[end]:
            end = _RUN[text[end]].match(text, end).end()  # type: ignore[union-attr]  # "x*" always matches
        opened = sum(text.count(token, at, end) for token in opening)
        closed = sum(text.count(token, at, end) for token in closing)
        # Each token moves the depth by one: it cannot get back to 0 in this window without
        # enough tokens of the other kind (then the window is counted without making a list).
        if closed < depth or opened < -depth or (depth == 0 and not (opened and closed)):
            depth += opened - closed
            at = end
            continue
        depths = list(accumulate(map(_STEP.__getitem__, pattern.findall(text, at, end)), initial=depth))
        if 0 in depths[1:]:
            index = depths.index(0, 1)
            return next(islice(pattern.finditer(text, at, end), index - 1, None)).end()
        depth, at = depths[-1], end
    return None


def template_end(text: str, start: int) -> int | None:
    """Offset just past the ``}}`` closing the template opened at ``start``, or None if unclosed."""
    return _balanced(_BRACES, text, start)


def line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def split_outside(text: str, separators: str, limit: int = 0) -> list[str]:
    """Split on any of ``separators`` where it is not inside a template or a link.

    With a ``limit``, at most that many parts: the last one holds the rest of the text.
    """
    if limit == 1:
        return [text]
    if "{{" not in text and "[[" not in text:
        return re.split(f"[{re.escape(separators)}]", text, maxsplit=max(limit - 1, 0))
    tokens = re.compile(rf"\{{\{{|\[\[|\}}\}}|\]\]|[{re.escape(separators)}]")
    parts: list[str] = []
    start = at = 0
    while (match := tokens.search(text, at)) is not None:
        token = match.group()
        at = match.end()
        if token in ("{{", "[["):  # inside it, separators do not count: on to where it is closed
            closed = _balanced(_NESTING, text, match.start())
            if closed is None:
                break
            at = closed
        elif token in ("}}", "]]"):
            at = match.start() + 1  # a closing pair with nothing open is text, one character at a time
        else:
            parts.append(text[start : match.start()])
            start = at
            if len(parts) + 1 == limit:
                break
    parts.append(text[start:])
    return parts


# mwparserfromhell's cost on a text grows with its length times the markup that may open
# something (1,000 unclosed "<b " in 3,000 characters: 0.33 s, some 110 ns a unit of
# ``len(text) * (1 + markup characters)``). A page may spend this many units; beyond, text is
# stripped by ``_strip_simply``, which is linear. Real pages use a few hundred thousand.
PAGE_BUDGET = 3_000_000
_SPECIAL = re.compile(r"[^\w\s]")
# Text without these passes through mwparserfromhell unchanged (as clean() sees it): no tag,
# link, template, entity, quote, or line-start markup (lists, headings, rules), no URL, no
# three line breaks in a row (strip_code makes them two), no NUL (its tokenizer stops there).
_MARKUP = re.compile(r"[<>\[\]{}&'~_|!\x00]|://|\n\n\n|^[ \t]*[#*:;=\-]", re.M)


class Budget:
    """How much work one page may still cause: mwparserfromhell units, participant lines read."""

    def __init__(
        self, units: int = PAGE_BUDGET, lines: int = MAX_LIST_LINES, reads: int = MAX_LIST_READS
    ) -> None:
        self.left = units
        self.lines = lines
        self.reads = reads  # spent after each line: a line may overdraw by its own (bounded) reads
        self.lines_cut = False  # the participant lines ran out (and a problem says where)

    def take_line(self) -> bool:
        """One more participant line may be read (and is counted), or none may."""
        if self.lines <= 0 or self.reads <= 0:
            self.lines_cut = True
            return False
        self.lines -= 1
        return True

    def allows(self, text: str) -> bool:
        """Whether ``text`` may be handed to mwparserfromhell; if so, its cost is spent."""
        if 2 * len(text) > self.left:  # text with markup costs at least twice its length
            return False
        cost = len(text) * (1 + len(_SPECIAL.findall(text)))
        if cost > self.left:
            return False
        self.left -= cost
        return True


def has_markup(text: str) -> bool:
    return _MARKUP.search(text) is not None


def strip_code(text: str, budget: Budget | None = None) -> str:
    """The text as a reader sees it (mwparserfromhell's strip_code), markup taken out.

    Without markup the text is its own plain text; beyond the budget (``None``: a budget for this
    text alone) a simpler, linear stripping is used.
    """
    if not has_markup(text):
        return text
    if (budget or Budget()).allows(text):
        return str(mwparserfromhell.parse(text).strip_code())
    return _strip_simply(text)


_LINK = re.compile(r"\[\[([^\[\]|]*+)(?:\|([^\[\]]*+))?\]\]")
_EXTERNAL = re.compile(r"\[(?:[a-z][a-z0-9+.\-]*:)?//[^\s\[\]]*+([^\[\]]*+)\]", re.I)
_TAG = re.compile(r"<[^<>]*+>")
_QUOTES = re.compile(r"'{2,}")


def _strip_simply(text: str) -> str:
    """Templates and tags left out, links as their text: strip_code's main rules, in linear time."""
    pieces: list[str] = []
    done = 0
    while (opened := text.find("{{", done)) >= 0:  # outermost templates left out (an unclosed one is text)
        closed = _balanced(_BRACES, text, opened)
        if closed is None:
            break
        pieces.append(text[done:opened])
        done = closed
    pieces.append(text[done:])
    text = "".join(pieces)
    text = _LINK.sub(lambda m: m.group(2) if m.group(2) is not None else m.group(1), text)
    text = _EXTERNAL.sub(lambda m: m.group(1).strip(), text)
    return _QUOTES.sub("", _TAG.sub("", text))
