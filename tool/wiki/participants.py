"""Participants from a participants section or page, in every form people really write (DESIGN §4).

One participant per line: the first user named on it, by a user link in any language
(``[[Usuaria:X]]``, ``[[:de:Benutzer:X]]``, ``[[m:User:X]]``), a ``Special:Contributions/X`` link
in any language, a user template (``{{u|X}}``, ``{{Event participant|X}}``), a signature, or a
pasted URL of a user page. Which lines count:

- list items (``#``, ``*``, ``:``): the first user anywhere on the line; an item naming nobody is
  reported as unresolved, with its line number, never dropped silently;
- table cells (``| …``): the first user anywhere on the line (other cells are not people);
- replies under an item (``#:``, ``*:``, ``::``): never, they are comments and signatures;
- other lines: only when the line starts with the user ("Thanks, [[User:Org]]!" is prose).

``{{ping|X}}`` is a mention, not a participant. A struck line (``<s>``, ``<del>``, ``<strike>``,
``{{strike|…}}``, ``{{s|…}}``, or a block between a line holding only ``<s>`` and its ``</s>``) is
a withdrawal. Comments and ``<nowiki>`` hide what they hold.

Regular expressions and a little bracket counting per line, not a full parse: a 10,000-line list
must take well under a second, and a broken template on one line must not swallow the next lines.
Every step is linear in the line's length, whatever it holds (issue #7): nested templates are
split once each, not once for every template around them; a line longer than any real one
(``MAX_LINE``) is not read but reported.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import islice
from operator import itemgetter
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from tool.config import DEFAULTS
from tool.wiki.problems import Problem
from tool.wiki.siteinfo import SPECIAL, USER, USER_TALK, SiteInfo, key
from tool.wiki.usernames import InvalidUsername, clean, parse_username
from tool.wiki.wikitext import (
    MAX_LINE,
    MAX_LIST_LINES,
    MAX_LIST_READS,
    MAX_PAGE_BYTES,
    Budget,
    blank_hidden,
    cut_page,
)

# Templates whose first parameter is a participant's user name (the participant template is added).
USER_TEMPLATES = frozenset(
    {"u", "user", "user0", "user1", "user2", "user3", "noping", "np", "userlink", "user link", "ul", "utl",
     "user-multi", "benutzer", "usuario", "utilisateur", "mtumiaji"}
)  # fmt: skip
# Templates that mention (notify) someone: never a participant.
MENTION_TEMPLATES = frozenset({"ping", "re", "reply to", "replyto", "reply", "yo", "mention", "@", "rto"})
STRIKE_TEMPLATES = frozenset({"strike", "s", "line through", "strikethrough", "del", "durchgestrichen"})
DEFAULT_USER_TEMPLATES = (DEFAULTS["PARTICIPANT_TEMPLATE"],)
# The parameters a user template names its user with; {{Event participant}}'s TemplateData documents them.
USER_PARAMETERS = frozenset({"1", "user", "username", "name"})

_LINK = re.compile(r"\[\[([^\[\]|]*)(?:\|[^\[\]]*)?\]\]")
_URL = re.compile(r"https?://[^\s\[\]<>\"{}|]+", re.IGNORECASE)
_BRACES = re.compile(r"\{\{|\}\}")
_STRIKE_TAG = re.compile(r"<(s|del|strike)(?:\s[^>]*)?>", re.IGNORECASE)
_BLOCK_OPEN = re.compile(r"^<(s|del|strike)(?:\s[^>]*)?>$", re.IGNORECASE)
_MARKER = re.compile(r"^([#*:;]+)\s*")
_MAY_NAME_SOMEONE = re.compile(r"\[\[|\{\{|://")
# What may come before the user on a line that is not a list item: markup, numbering, bullets.
_DECORATION = re.compile(r"<[^>]*>|'{2,}|[\s\-–—•·.,:;()\[\]0-9]")
_DECORATION_NO_TAG = re.compile(r"'{2,}|[\s\-–—•·.,:;()\[\]0-9]")  # after the last ">", no tag can close
# Where a template's name ends: its first "|", or a character no template name holds.
_NAME_END = re.compile(r"[|{}\[\]]")
_ARGUMENT_TOKENS = re.compile(r"\[\[|\]\]|\|")
_NO_NAME = "{"  # the name of a template whose name holds markup: no template is called that
_MAX_NAME = 1_000  # a title has at most 255 bytes; a longer name is no template's
_COLONS_AND_SPACES = re.compile(r":*\s*")
# A real participant line has a handful of links and templates (a signature has two links). On a
# longer one, only the first 50 templates, names, mentions (Echo notifies at most 50 people an
# edit), strike tags and template parameters are read, so a line's work is bounded whatever it
# holds; the page's budget (MAX_LIST_READS) counts them.
MAX_LINE_ITEMS = 50


@dataclass(frozen=True)
class Participant:
    user: str
    line: int


# The name discovery and its tests use.
Entry = Participant


@dataclass(frozen=True)
class Unresolved:
    """A line that should name a participant but names no account; ``code`` says why, if known."""

    text: str
    line: int
    code: str = ""  # a problem-username-… message key when the line names something that cannot be an account
    params: dict[str, str] = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class Duplicate:
    user: str
    line: int
    first_line: int


@dataclass
class ParticipantsResult:
    participants: list[Participant] = field(default_factory=list)
    unresolved: list[Unresolved] = field(default_factory=list)
    withdrawn: list[Participant] = field(default_factory=list)
    mentions: list[Participant] = field(default_factory=list)
    duplicates: list[Duplicate] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # lines too long to read, a page cut
    # user → line first listed; kept beside ``participants`` so a 10,000-line list is read in linear time.
    _first: dict[str, int] = field(default_factory=dict, init=False, repr=False, compare=False)

    def add(self, participant: Participant) -> None:
        """A participant, or a duplicate when the same account is already listed."""
        first = self._first_lines().get(participant.user)
        if first is None:
            self.participants.append(participant)
            self._first[participant.user] = participant.line
        else:
            self.duplicates.append(Duplicate(participant.user, participant.line, first))

    def extend(self, other: ParticipantsResult) -> None:
        """Add another list (a section, a participants page): people listed in both count once."""
        for participant in other.participants:
            self.add(participant)
        self.unresolved += other.unresolved
        self.withdrawn += other.withdrawn
        self.mentions += other.mentions
        self.duplicates += other.duplicates
        self.problems += other.problems

    def _first_lines(self) -> dict[str, int]:
        # Rebuilt when participants were appended without add() (a test, a merge by hand).
        if len(self._first) != len(self.participants):
            self._first = {}
            for p in self.participants:
                self._first.setdefault(p.user, p.line)
        return self._first


def parse_participants(
    wikitext: str,
    site: SiteInfo,
    start_line: int = 1,
    *,
    user_templates: Iterable[str] = DEFAULT_USER_TEMPLATES,
    budget: Budget | None = None,
) -> ParticipantsResult:
    """Participants of a participants section or page; ``start_line`` is the number of its first line.

    ``budget``: the page's, when a page has several sections; at most MAX_LIST_LINES lines are read.
    """
    reader = _LineReader(site, USER_TEMPLATES | {template_key(name) for name in user_templates})
    result = ParticipantsResult()
    budget = budget or Budget()
    wikitext, cut = cut_page(wikitext)
    if cut is not None:
        result.problems.append(
            Problem.of("page", start_line + cut - 1, "problem-page-too-long", limit=MAX_PAGE_BYTES // 1024)
        )
    for number, text, struck in _lines(blank_hidden(wikitext), start_line):
        if not budget.take_line():
            result.problems.append(list_too_long(number))
            break
        if len(text) > MAX_LINE:
            result.problems.append(
                Problem.of("participants", number, "problem-line-too-long", line=number, limit=MAX_LINE)
            )
            continue
        _record(result, reader.read(text, number, struck))
        budget.reads -= reader.reads
        reader.reads = 0
    return result


def list_too_long(line: int) -> Problem:
    return Problem.of(
        "participants", line, "problem-list-too-long", lines=MAX_LIST_LINES, reads=MAX_LIST_READS
    )


def participants_from_text(
    wikitext: str, site: SiteInfo, user_templates: Iterable[str] = DEFAULT_USER_TEMPLATES
) -> ParticipantsResult:
    """A whole participants page (the form discovery calls)."""
    return parse_participants(wikitext, site, user_templates=user_templates)


def _lines(text: str, start_line: int) -> Iterator[tuple[int, str, bool]]:
    """(number, stripped text, inside a struck block) for each non-empty line."""
    block: str | None = None  # the tag of the struck block we are in
    for number, raw in enumerate(text.split("\n"), start_line):
        line = raw.strip()
        if not line:
            continue
        content = _MARKER.sub("", line)
        opened = _BLOCK_OPEN.match(content)
        if block is None and opened:
            block = opened.group(1).casefold()
            continue
        yield number, line, block is not None
        if block is not None and f"</{block}" in line.casefold():
            block = None


@dataclass(frozen=True)
class _Reading:
    kind: str  # "participant", "withdrawn", "unresolved" or "none"
    user: str = ""
    unresolved: Unresolved | None = None
    mentions: tuple[str, ...] = ()
    line: int = 0


_NOTHING = _Reading("none")


def _record(result: ParticipantsResult, reading: _Reading) -> None:
    if reading.mentions:
        result.mentions += [Participant(user, reading.line) for user in reading.mentions]
    if reading.kind == "participant":
        result.add(Participant(reading.user, reading.line))
    elif reading.kind == "withdrawn":
        result.withdrawn.append(Participant(reading.user, reading.line))
    elif reading.unresolved is not None:
        result.unresolved.append(reading.unresolved)


@lru_cache(maxsize=4096)
def template_key(name: str) -> str:
    """Template names compare case-insensitively, spaces for underscores, without "Template:"."""
    k = key(name)
    return k[len("template:") :].strip() if k.startswith("template:") else k


class _Line:
    """A line's text, with where its "="s are (found once, for every template's arguments)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._equals: list[int] | None = None

    def first_equals(self, start: int, end: int) -> int | None:
        """The first "=" in text[start:end], without scanning it."""
        if self._equals is None:
            self._equals = [m.start() for m in re.finditer("=", self.text)]
        index = bisect_left(self._equals, start)
        if index < len(self._equals) and self._equals[index] < end:
            return self._equals[index]
        return None


@dataclass(frozen=True)
class _Argument:
    start: int
    end: int
    nested: bool  # holds a template: it cannot be an account name (it holds "{"), nor be read cheaply


class _Template:
    """A template on a line: where it is, its name, and (when asked) its arguments."""

    def __init__(self, line: _Line, start: int, end: int) -> None:
        self.line, self.start, self.end = line, start, end
        self.children: list[_Template] = []  # the templates directly inside it, in order
        self.name = _template_name(line.text, start, end)
        self._arguments: list[_Argument] | None = None

    @property
    def arguments(self) -> list[_Argument]:
        """Its parameters after the name, split at its own "|"s (not those of links or of inner
        templates, which are stepped over whole: each template's text is read once)."""
        if self._arguments is None:
            self._arguments = _split_arguments(self)
        return self._arguments

    def argument_text(self, argument: _Argument) -> str:
        return self.line.text[argument.start : argument.end]


def _template_name(text: str, start: int, end: int) -> str:
    """template_key of the name: up to the first "|", or _NO_NAME when markup comes first."""
    stop = _NAME_END.search(text, start + 2, end - 2)
    if stop is not None and stop.group() != "|":
        return _NO_NAME  # "{{ {{x}} }}", "{{[[a]]}}": no template of ours
    name_end = end - 2 if stop is None else stop.start()
    if name_end - start - 2 > _MAX_NAME:
        return _NO_NAME
    return template_key(text[start + 2 : name_end])


def _split_arguments(template: _Template) -> list[_Argument]:
    text = template.line.text
    pieces: list[_Argument] = []
    depth = 0  # open links
    piece_start = at = template.start + 2
    nested = False
    children = iter(template.children)
    child = next(children, None)
    end = template.end - 2
    for _ in range(4 * MAX_LINE_ITEMS):  # tokens: "|", "[[", "]]", inner templates
        stop = child.start if child is not None else end
        token = _ARGUMENT_TOKENS.search(text, at, stop)
        if token is None:
            if child is None:
                break
            at, nested = child.end, True
            child = next(children, None)
            continue
        at = token.end()
        if token.group() == "[[":
            depth += 1
        elif token.group() == "]]":
            if depth:
                depth -= 1
            else:
                at = token.start() + 1  # a "]]" with no link open is text
        elif not depth:
            pieces.append(_Argument(piece_start, token.start(), nested))
            piece_start, nested = at, False
    else:
        return pieces[1:]  # a template of more parameters than a line has items: the rest is not read
    pieces.append(_Argument(piece_start, end, nested))
    return pieces[1:]


@dataclass(frozen=True)
class _Found:
    """A user named on a line, or a name there that cannot be an account."""

    position: int
    user: str = ""
    invalid: InvalidUsername | None = None
    # A template's argument holding a template: no account, and why is worked out only if reported
    # (each of a thousand nested {{u|…}} would otherwise read all the ones inside it).
    unread: tuple[_Template, _Argument] | None = None

    def why(self) -> InvalidUsername | None:
        if self.invalid is not None or self.unread is None:
            return self.invalid
        try:
            parse_username(self.unread[0].argument_text(self.unread[1]))
        except InvalidUsername as e:
            return e
        return None


class _Spans:
    """Spans of a line (mentions, struck text) that answer "is this position inside one?" at once."""

    def __init__(self, spans: Iterable[tuple[int, int]]) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []
        for start, end in sorted(spans):
            if self.ends and start <= self.ends[-1]:
                self.ends[-1] = max(self.ends[-1], end)
            else:
                self.starts.append(start)
                self.ends.append(end)

    def cover(self, position: int) -> bool:
        index = bisect_right(self.starts, position) - 1
        return index >= 0 and position < self.ends[index]


_NO_SPANS = _Spans(())


_Read = Callable[[int, Any], "_Found | None"]
_first = itemgetter(0)


class _LineReader:
    def __init__(self, site: SiteInfo, user_templates: frozenset[str]) -> None:
        self.site = site
        self.user_templates = user_templates
        self.reads = 0  # templates, names and mentions read: the page's budget is charged with them

    def read(self, line: str, number: int, struck_block: bool) -> _Reading:
        kind, content = _line_kind(line)
        if kind == "ignored" or not content.strip():
            return _NOTHING
        if kind != "item" and not _MAY_NAME_SOMEONE.search(content):
            return _NOTHING  # the common case on long pages of prose: no markup
        templates = _templates(content)
        self.reads += len(templates)
        pings = [t for t in templates if t.name in MENTION_TEMPLATES]
        mention_spans, mentions = _NO_SPANS, tuple[str, ...]()
        if pings:
            mention_spans = _Spans((t.start, t.end) for t in pings)
            mentions = tuple(islice((user for t in pings for user in _pinged(t)), MAX_LINE_ITEMS))
            self.reads += sum(len(t.arguments) for t in pings)
        # Users are read in the order they are written, up to the first valid one (the participant):
        # the names after it change nothing. Only the first counts on a prose line.
        first: _Found | None = None
        for position, read, text in islice(self._candidates(content, templates), MAX_LINE_ITEMS):
            if mention_spans.cover(position):
                continue
            self.reads += 1
            named = read(position, text)
            if named is None:
                continue
            first = first or named
            if named.user or kind == "prose":
                if named.user and not (kind == "prose" and not _starts_line(content, position, templates)):
                    return _participant(number, mentions, content, templates, named, struck_block)
                break
        if kind == "prose" and first is not None and not _starts_line(content, first.position, templates):
            first = None
        return _verdict(number, mentions, kind, content, templates, first, struck_block)

    def _candidates(self, content: str, templates: list[_Template]) -> list[tuple[int, _Read, Any]]:
        """Where a user may be named on the line, by position, with how to read each."""
        found: list[tuple[int, _Read, Any]] = [
            (template.start, self._from_template, template)
            for template in templates
            if template.name in self.user_templates
        ]
        if "[[" in content:
            links = islice(_LINK.finditer(content), MAX_LINE_ITEMS)
            found += [(match.start(), self._from_target, match.group(1)) for match in links]
        if "://" in content:
            urls = islice(_URL.finditer(content), MAX_LINE_ITEMS)
            found += [(match.start(), self._from_url, match.group()) for match in urls]
        found.sort(key=_first)
        return found

    def _from_template(self, position: int, template: _Template) -> _Found | None:
        argument = _user_argument(template)
        if argument is None:
            return None
        if argument.nested:  # holds "{{": cannot be an account name
            return _Found(position, unread=(template, argument))
        return _found(position, parse_username, template.argument_text(argument))

    def _from_target(self, position: int, target: str) -> _Found | None:
        return _found(position, lambda text: user_from_target(text, self.site), target)

    def _from_url(self, position: int, url: str) -> _Found | None:
        return _found(position, lambda text: user_from_url(text, self.site), url)


def _found(position: int, read: Callable[[str], str | None], text: str) -> _Found | None:
    """A user, a name that cannot be an account, or None for a link to something else (an article)."""
    try:
        user = read(text)
    except InvalidUsername as e:
        e.__traceback__ = None  # kept, the frames would keep the line's objects alive (and the GC busy)
        return _Found(position, invalid=e)
    return _Found(position, user) if user else None


def _participant(
    number: int,
    mentions: tuple[str, ...],
    content: str,
    templates: list[_Template],
    named: _Found,
    struck_block: bool,
) -> _Reading:
    """The line's participant (the first valid user), or a withdrawal when that user is struck."""
    struck = struck_block or _struck_spans(content, templates).cover(named.position)
    return _Reading("withdrawn" if struck else "participant", named.user, None, mentions, number)


def _verdict(
    number: int,
    mentions: tuple[str, ...],
    kind: str,
    content: str,
    templates: list[_Template],
    first: _Found | None,
    struck_block: bool,
) -> _Reading:
    """For a line naming no valid user: a withdrawal naming nobody, unresolved, or nothing.

    ``first`` is the first name on the line that cannot be an account, if any.
    """
    if struck_block or _is_struck(content, templates):
        return _Reading("none", mentions=mentions, line=number)  # a withdrawn line naming nobody
    if first is not None or (kind == "item" and not mentions):
        return _Reading("unresolved", "", _unresolved(content, number, first), mentions, number)
    return _Reading("none", mentions=mentions, line=number)


def _unresolved(content: str, number: int, first: _Found | None) -> Unresolved:
    invalid = first.why() if first is not None else None
    if invalid is None:
        return Unresolved(content, number)
    return Unresolved(content, number, invalid.code, dict(invalid.params))


def _line_kind(line: str) -> tuple[str, str]:
    """("item" | "cell" | "prose" | "ignored", the line's content without its list or cell marker)."""
    marker = _MARKER.match(line)
    if marker:
        markers = marker.group(1)
        if ":" in markers[1:]:
            return "ignored", ""  # a reply under an item: comments and their signatures
        return ("prose" if set(markers) == {";"} else "item"), line[marker.end() :]
    if line.startswith(("{|", "|}", "|-", "|+", "!")):
        return "ignored", ""
    if line.startswith("|"):
        return "cell", line[1:].strip()
    return "prose", line


def _starts_line(content: str, position: int, templates: list[_Template]) -> bool:
    """Whether nothing but markup, numbering or templates comes before ``position``."""
    pieces: list[str] = []
    done = 0
    for template in templates:  # by start: an inner template is inside one already left out
        if template.end <= position and template.start >= done:
            pieces += [content[done : template.start], " "]
            done = template.end
    pieces.append(content[done:position])
    before = "".join(pieces)
    # "<[^>]*>" tried at each "<" after the last ">" would run to the end every time.
    last = before.rfind(">") + 1
    return not _DECORATION.sub("", before[:last]) and not _DECORATION_NO_TAG.sub("", before[last:])


def _struck_spans(content: str, templates: list[_Template]) -> _Spans:
    spans = [(t.start, t.end) for t in templates if t.name in STRIKE_TEMPLATES]
    last = content.rfind(">") + 1  # a tag needs its ">": none starts after the last one
    if not spans and not last:
        return _NO_SPANS
    if last:
        lowered = content.casefold()
        closes: dict[str, int] = {}  # tag → where its next "</tag" is (-1: nowhere further)
        for match in islice(_STRIKE_TAG.finditer(content, 0, last), MAX_LINE_ITEMS):
            tag = match.group(1).casefold()
            close = closes.get(tag)
            if close is None or 0 <= close < match.end():  # each stretch of the line searched once
                close = closes[tag] = lowered.find(f"</{tag}", match.end())
            # Unclosed: MediaWiki strikes to the end of the list item.
            spans.append((match.start(), len(content) if close < 0 else close))
    return _Spans(spans)


def _is_struck(content: str, templates: list[_Template]) -> bool:
    """Whether the line's text starts inside a struck span (a withdrawn line naming nobody)."""
    if not templates and ">" not in content:
        return False  # no strike template, no tag
    start = len(content) - len(content.lstrip())
    return _struck_spans(content, templates).cover(start)


def _templates(text: str) -> list[_Template]:
    """Every template on a line, nested ones too; an unclosed one is text, as MediaWiki shows it."""
    if "{{" not in text:
        return []
    line = _Line(text)
    found: list[_Template] = []
    opened: list[tuple[int, list[_Template]]] = []  # start and the templates closed inside it so far
    for match in islice(_BRACES.finditer(text), 2 * MAX_LINE_ITEMS):  # the rest of a long line is text
        if match.group() == "{{":
            opened.append((match.start(), []))
        elif opened:
            start, children = opened.pop()
            template = _Template(line, start, match.end())
            template.children = children
            found.append(template)
            if opened:
                opened[-1][1].append(template)
    return sorted(found, key=lambda t: t.start)


def _user_argument(template: _Template) -> _Argument | None:
    """The user a user template names: its first unnamed parameter, or 1=, user=, username=, name=."""
    line = template.line
    positional: _Argument | None = None
    for argument in template.arguments:
        equals = line.first_equals(argument.start, argument.end)
        if equals is None:
            positional = positional or argument
            continue
        name = line.text[argument.start : equals] if equals - argument.start <= _MAX_NAME else ""
        value = _Argument(equals + 1, argument.end, argument.nested)
        if "{{" not in name and name.strip() in USER_PARAMETERS and _not_blank(template, value):
            return value
    return positional if positional is not None and _not_blank(template, positional) else None


def _not_blank(template: _Template, argument: _Argument) -> bool:
    return argument.nested or bool(template.argument_text(argument).strip())


def _pinged(template: _Template) -> Iterator[str]:
    for argument in template.arguments:
        if argument.nested:
            continue  # holds a template: no account name
        if template.line.first_equals(argument.start, argument.end) is None:
            text = template.argument_text(argument)
            if text.strip():
                try:
                    yield parse_username(text)
                except InvalidUsername:
                    continue


def user_from_target(target: str, site: SiteInfo) -> str | None:
    """The user a link target names, or None. Raises InvalidUsername for a user link with a bad name.

    As MediaWiki splits titles: prefixes are namespaces (of this wiki, or User/User talk/Special of
    any language) or interwikis ("m:", ":de:", "w:de:"), which are skipped because a global account
    has one name on every wiki.
    """
    rest = clean(target).split("#", 1)[0].lstrip(":").strip()
    at = 0  # prefixes are read in place: "m:m:m:…" must not be copied once for each
    while True:
        colon = rest.find(":", at)
        if colon < 0:
            return None
        prefix = rest[at:colon]
        namespace = site.namespace(prefix)
        if namespace is not None:
            return _user_in(namespace, rest[colon + 1 :], site)
        if not site.is_interwiki(prefix):
            return None
        at = _COLONS_AND_SPACES.match(rest, colon + 1).end()  # type: ignore[union-attr]


def _user_in(namespace: int, page: str, site: SiteInfo) -> str | None:
    if namespace in (USER, USER_TALK):
        return parse_username(page, from_link=True)
    if namespace == SPECIAL:
        special, slash, user = page.partition("/")
        if slash and user.strip() and site.is_contributions(special):
            return parse_username(user)
    return None


def user_from_url(url: str, site: SiteInfo) -> str | None:
    """The user a pasted wiki URL names: /wiki/User:X, index.php?title=…, Special:Contributions?target=X."""
    parts = urlsplit(url.rstrip(".,;:!?)"))
    query = parse_qs(parts.query)
    if "/wiki/" in parts.path:
        title = unquote(parts.path.split("/wiki/", 1)[1])
    elif "title" in query:
        title = query["title"][0]
    else:
        return None
    if "target" in query and "/" not in title:
        title = f"{title}/{query['target'][0]}"
    return user_from_target(title, site)
