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
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from functools import lru_cache
from urllib.parse import parse_qs, unquote, urlsplit

from tool.config import DEFAULTS
from tool.wiki.siteinfo import SPECIAL, USER, USER_TALK, SiteInfo, key
from tool.wiki.usernames import InvalidUsername, clean, parse_username
from tool.wiki.wikitext import blank_hidden, split_outside

# Templates whose first parameter is a participant's user name (the participant template is added).
USER_TEMPLATES = frozenset(
    {"u", "user", "user0", "user1", "user2", "user3", "noping", "np", "userlink", "user link", "ul", "utl",
     "user-multi", "benutzer", "usuario", "utilisateur", "mtumiaji"}
)  # fmt: skip
# Templates that mention (notify) someone: never a participant.
MENTION_TEMPLATES = frozenset({"ping", "re", "reply to", "replyto", "reply", "yo", "mention", "@", "rto"})
STRIKE_TEMPLATES = frozenset({"strike", "s", "line through", "strikethrough", "del", "durchgestrichen"})
DEFAULT_USER_TEMPLATES = (DEFAULTS["PARTICIPANT_TEMPLATE"],)
_USER_PARAMETERS = frozenset({"1", "user", "username", "name"})

_LINK = re.compile(r"\[\[([^\[\]|]*)(?:\|[^\[\]]*)?\]\]")
_URL = re.compile(r"https?://[^\s\[\]<>\"{}|]+", re.IGNORECASE)
_BRACES = re.compile(r"\{\{|\}\}")
_STRIKE_TAG = re.compile(r"<(s|del|strike)(?:\s[^>]*)?>", re.IGNORECASE)
_BLOCK_OPEN = re.compile(r"^<(s|del|strike)(?:\s[^>]*)?>$", re.IGNORECASE)
_MARKER = re.compile(r"^([#*:;]+)\s*")
_MAY_NAME_SOMEONE = re.compile(r"\[\[|\{\{|://")
# What may come before the user on a line that is not a list item: markup, numbering, bullets.
_DECORATION = re.compile(r"<[^>]*>|'{2,}|[\s\-–—•·.,:;()\[\]0-9]")


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
) -> ParticipantsResult:
    """Participants of a participants section or page; ``start_line`` is the number of its first line."""
    reader = _LineReader(site, USER_TEMPLATES | {template_key(name) for name in user_templates})
    result = ParticipantsResult()
    for number, text, struck in _lines(blank_hidden(wikitext), start_line):
        _record(result, reader.read(text, number, struck))
    return result


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


def _record(result: ParticipantsResult, reading: _Reading) -> None:
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


@dataclass(frozen=True)
class _Template:
    start: int
    end: int
    name: str  # template_key of the name
    args: tuple[str, ...]


@dataclass(frozen=True)
class _Found:
    """A user named on a line, or a name there that cannot be an account."""

    position: int
    user: str = ""
    invalid: InvalidUsername | None = None


class _LineReader:
    def __init__(self, site: SiteInfo, user_templates: frozenset[str]) -> None:
        self.site = site
        self.user_templates = user_templates

    def read(self, line: str, number: int, struck_block: bool) -> _Reading:
        kind, content = _line_kind(line)
        if kind == "ignored" or not content.strip():
            return _Reading("none", line=number)
        if kind != "item" and not _MAY_NAME_SOMEONE.search(content):
            return _Reading("none", line=number)  # the common case on long pages of prose: no markup
        templates = _templates(content)
        mention_spans = [(t.start, t.end) for t in templates if t.name in MENTION_TEMPLATES]
        mentions = tuple(user for t in templates if t.name in MENTION_TEMPLATES for user in _pinged(t))
        found = sorted(
            (f for f in self._users(content, templates) if f and not _inside(f.position, mention_spans)),
            key=lambda f: f.position,
        )
        if kind == "prose":
            found = [f for f in found[:1] if _starts_line(content, f.position)]
        reading = _Reading("none", mentions=mentions, line=number)
        return _verdict(reading, kind, content, templates, found, struck_block)

    def _users(self, content: str, templates: list[_Template]) -> Iterator[_Found | None]:
        for template in templates:
            if template.name in self.user_templates:
                value = _user_argument(template)
                if value is not None:
                    yield _found(template.start, parse_username, value)
        if "[[" in content:
            for match in _LINK.finditer(content):
                yield _found(match.start(), self._from_target, match.group(1))
        if "://" in content:
            for match in _URL.finditer(content):
                yield _found(match.start(), self._from_url, match.group())

    def _from_target(self, target: str) -> str | None:
        return user_from_target(target, self.site)

    def _from_url(self, url: str) -> str | None:
        return user_from_url(url, self.site)


def _found(position: int, read: Callable[[str], str | None], text: str) -> _Found | None:
    """A user, a name that cannot be an account, or None for a link to something else (an article)."""
    try:
        user = read(text)
    except InvalidUsername as e:
        return _Found(position, invalid=e)
    return _Found(position, user) if user else None


def _verdict(
    reading: _Reading,
    kind: str,
    content: str,
    templates: list[_Template],
    found: list[_Found],
    struck_block: bool,
) -> _Reading:
    """Participant (the first valid user), withdrawn (that user struck), unresolved, or nothing."""
    valid = [f for f in found if f.user]
    if valid:
        struck = struck_block or _inside(valid[0].position, _struck_spans(content, templates))
        return replace(reading, kind="withdrawn" if struck else "participant", user=valid[0].user)
    if struck_block or _is_struck(content, templates):
        return reading  # a withdrawn line naming nobody
    if found or (kind == "item" and not reading.mentions):
        return replace(reading, kind="unresolved", unresolved=_unresolved(content, reading.line, found))
    return reading


def _unresolved(content: str, number: int, found: list[_Found]) -> Unresolved:
    invalid = next((f.invalid for f in found if f.invalid is not None), None)
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


def _starts_line(content: str, position: int) -> bool:
    """Whether nothing but markup, numbering or templates comes before ``position``."""
    before = content[:position]
    for template in _templates(before):
        before = before[: template.start] + " " * (template.end - template.start) + before[template.end :]
    return not _DECORATION.sub("", before)


def _inside(position: int, spans: Iterable[tuple[int, int]]) -> bool:
    return any(low <= position < high for low, high in spans)


def _struck_spans(content: str, templates: list[_Template]) -> list[tuple[int, int]]:
    spans = [(t.start, t.end) for t in templates if t.name in STRIKE_TEMPLATES]
    if "<" in content:
        lowered = content.casefold()
        for match in _STRIKE_TAG.finditer(content):
            close = lowered.find(f"</{match.group(1).casefold()}", match.end())
            # Unclosed: MediaWiki strikes to the end of the list item.
            spans.append((match.start(), len(content) if close < 0 else close))
    return spans


def _is_struck(content: str, templates: list[_Template]) -> bool:
    """Whether the line's text starts inside a struck span (a withdrawn line naming nobody)."""
    start = len(content) - len(content.lstrip())
    return _inside(start, _struck_spans(content, templates))


def _templates(text: str) -> list[_Template]:
    """Every template on a line, nested ones too; an unclosed one is text, as MediaWiki shows it."""
    if "{{" not in text:
        return []
    found: list[_Template] = []
    opened: list[int] = []
    for match in _BRACES.finditer(text):
        if match.group() == "{{":
            opened.append(match.start())
        elif opened:
            start = opened.pop()
            found.append(_template(text, start, match.end(), text[start + 2 : match.start()]))
    return sorted(found, key=lambda t: t.start)


def _template(text: str, start: int, end: int, inner: str) -> _Template:
    parts = split_outside(inner, "|")
    return _Template(start, end, template_key(parts[0]), tuple(parts[1:]))


def _user_argument(template: _Template) -> str | None:
    """The user a user template names: its first unnamed parameter, or 1=, user=, username=, name=."""
    positional = [a for a in template.args if "=" not in a]
    for argument in template.args:
        name, equals, value = argument.partition("=")
        if equals and name.strip() in _USER_PARAMETERS and value.strip():
            return value
    return positional[0] if positional and positional[0].strip() else None


def _pinged(template: _Template) -> Iterator[str]:
    for argument in template.args:
        if argument.strip() and "=" not in argument:
            try:
                yield parse_username(argument)
            except InvalidUsername:
                continue


def user_from_target(target: str, site: SiteInfo) -> str | None:
    """The user a link target names, or None. Raises InvalidUsername for a user link with a bad name.

    As MediaWiki splits titles: prefixes are namespaces (of this wiki, or User/User talk/Special of
    any language) or interwikis ("m:", ":de:", "w:de:"), which are skipped because a global account
    has one name on every wiki.
    """
    rest = clean(target).split("#", 1)[0].lstrip(":").strip()
    while True:
        prefix, colon, after = rest.partition(":")
        if not colon:
            return None
        namespace = site.namespace(prefix)
        if namespace is not None:
            return _user_in(namespace, after, site)
        if not site.is_interwiki(prefix):
            return None
        rest = after.lstrip(":").strip()


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
