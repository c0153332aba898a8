"""Participants from a participants section, in every form people really write (DESIGN §4).

One participant per list line: the first user named on it, by a user link in any language
(``[[Usuaria:X]]``, ``[[:de:Benutzer:X]]``, ``[[m:User:X]]``), a ``Special:Contributions/X``
link in any language, a user template (``{{u|X}}``, ``{{Event participant|X}}``) or a signature.
``{{ping|X}}`` is a mention, not a participant. A struck line (``<s>``, ``<del>``, ``<strike>``,
``{{strike|…}}``, ``{{s|…}}``) is a withdrawal. A list line naming nobody is reported as
unresolved, with its line number, never dropped silently.

Plain regular expressions over lines, not a full parse: a 10,000-line list must take well under a
second, and a broken template on one line must not swallow the lines after it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from tool.wiki.siteinfo import SPECIAL, USER, USER_TALK, SiteInfo, key
from tool.wiki.usernames import NameError_, normalize_username
from tool.wiki.wikitext import blank_hidden

# Templates whose first parameter is a participant's user name ("Event participant" is added from config).
USER_TEMPLATES = frozenset(
    {"u", "user", "user0", "user1", "user2", "noping", "userlink", "user link", "ul", "utl"}
)
# Templates that mention (notify) someone: never a participant.
MENTION_TEMPLATES = frozenset({"ping", "re", "reply to", "replyto", "reply", "yo", "mention", "@"})
STRIKE_TEMPLATES = frozenset({"strike", "s", "line through", "strikethrough", "del"})

_LINK = re.compile(r"\[\[([^\[\]|]*)(?:\|[^\[\]]*)?\]\]")
_TEMPLATE = re.compile(r"\{\{([^{}|]*)((?:\|[^{}]*)?)\}\}")
_STRUCK_TAG = re.compile(r"<(s|del|strike)(?:\s[^>]*)?>(.*?)(?:</\1\s*>|$)", re.IGNORECASE)
_LIST_MARKER = re.compile(r"^[#*:;]+\s*")


@dataclass(frozen=True)
class Entry:
    user: str
    line: int


@dataclass(frozen=True)
class Unresolved:
    text: str
    line: int
    reason: str = ""


@dataclass
class ParticipantList:
    participants: list[Entry] = field(default_factory=list)
    withdrawn: list[Entry] = field(default_factory=list)
    mentions: list[Entry] = field(default_factory=list)
    unresolved: list[Unresolved] = field(default_factory=list)
    duplicates: list[tuple[Entry, int]] = field(default_factory=list)  # (the repeat, line of the first)

    def extend(self, other: ParticipantList) -> None:
        seen = {entry.user: entry.line for entry in self.participants}
        for entry in other.participants:
            if entry.user in seen:
                self.duplicates.append((entry, seen[entry.user]))
            else:
                seen[entry.user] = entry.line
                self.participants.append(entry)
        self.withdrawn += other.withdrawn
        self.mentions += other.mentions
        self.unresolved += other.unresolved
        self.duplicates += other.duplicates


def template_key(name: str) -> str:
    """Template names compare case-insensitively on the first letter, spaces for underscores."""
    k = key(name)
    return k[len("template:") :].strip() if k.startswith("template:") else k


def user_from_target(target: str, site: SiteInfo) -> str | None:
    """The user a link target names, or None. Raises NameError_ for a user link with a bad name."""
    parts = target.strip().lstrip(":").split(":")
    # Interwiki prefixes first ("m:", ":de:", "w:de:"): global accounts have one name everywhere.
    while len(parts) > 2 and site.is_interwiki(parts[0]):
        parts = parts[1:]
    if len(parts) == 2 and site.is_interwiki(parts[0]) and site.namespace(parts[0]) is None:
        return None  # an interwiki link to an article, not to a user
    if len(parts) < 2:
        return None
    namespace = site.namespace(parts[0])
    rest = ":".join(parts[1:])
    if namespace in (USER, USER_TALK):
        return normalize_username(rest, from_link=True)
    if namespace == SPECIAL:
        page, _, user = rest.partition("/")
        if user and site.is_contributions(page):
            return normalize_username(user.split("#", 1)[0])
    return None


def _template_user(name: str, args: str, user_templates: frozenset[str]) -> str | None:
    if template_key(name) not in user_templates or not args:
        return None
    first = args[1:].split("|", 1)[0]
    if "=" in first:
        param, _, value = first.partition("=")
        if param.strip() not in {"1", "user", "username", "name"}:
            return None
        first = value
    return normalize_username(first)


def _struck_spans(line: str) -> list[tuple[int, int]]:
    spans = [(m.start(), m.end()) for m in _STRUCK_TAG.finditer(line)]
    spans += [
        (m.start(), m.end()) for m in _TEMPLATE.finditer(line) if template_key(m.group(1)) in STRIKE_TEMPLATES
    ]
    # {{strike|[[User:X]] …}} holds a link, which the template regex cannot span: strike to line end.
    lowered = line.casefold()
    for name in STRIKE_TEMPLATES:
        position = lowered.find("{{" + name + "|")
        if position >= 0:
            spans.append((position, len(line)))
    return spans


def parse_line(
    text: str, number: int, site: SiteInfo, user_templates: frozenset[str], is_item: bool
) -> tuple[str, Entry | Unresolved | None, list[Entry]]:
    """(kind, the entry, mentions) for one line; kind is participant, withdrawn, unresolved or none."""
    candidates: list[tuple[int, str, str]] = []  # (position, "link"|"template"|"mention", user)
    mentions: list[Entry] = []
    problem = ""
    for match in _TEMPLATE.finditer(text):
        name, args = match.group(1), match.group(2)
        k = template_key(name)
        try:
            if k in MENTION_TEMPLATES:
                for value in args[1:].split("|"):
                    if value.strip() and "=" not in value:
                        mentions.append(Entry(normalize_username(value), number))
                continue
            user = _template_user(name, args, user_templates)
        except NameError_ as e:
            problem = problem or str(e)
            continue
        if user:
            candidates.append((match.start(), "template", user))
    mention_spans = [
        (m.start(), m.end())
        for m in _TEMPLATE.finditer(text)
        if template_key(m.group(1)) in MENTION_TEMPLATES
    ]
    for match in _LINK.finditer(text):
        if any(low <= match.start() < high for low, high in mention_spans):
            continue
        try:
            user = user_from_target(match.group(1), site)
        except NameError_ as e:
            problem = problem or str(e)
            continue
        if user:
            candidates.append((match.start(), "link", user))
    if candidates:
        position, _, user = min(candidates)
        struck = any(low <= position < high for low, high in _struck_spans(text))
        return ("withdrawn" if struck else "participant"), Entry(user, number), mentions
    if is_item and not mentions:
        plain = _LIST_MARKER.sub("", text).strip()
        if plain and not _is_struck_whole(text):
            return "unresolved", Unresolved(plain, number, problem), mentions
    return "none", None, mentions


def _is_struck_whole(text: str) -> bool:
    body = _LIST_MARKER.sub("", text).strip()
    return bool(body) and any(low == 0 and high >= len(body) for low, high in _struck_spans(body))


def participants_from_text(
    text: str, site: SiteInfo, extra_user_templates: Iterable[str] = (), first_line: int = 1
) -> ParticipantList:
    """Participants of a whole participants page (or section text), comments and nowiki ignored."""
    lines = blank_hidden(text).split("\n")
    return parse_participants(enumerate(lines, first_line), site, extra_user_templates)


def parse_participants(
    lines: Iterable[tuple[int, str]], site: SiteInfo, extra_user_templates: Iterable[str] = ()
) -> ParticipantList:
    """Participants of (line number, text) lines of a participants section or page."""
    user_templates = USER_TEMPLATES | {template_key(name) for name in extra_user_templates}
    result = ParticipantList()
    first_line: dict[str, int] = {}
    for number, text in lines:
        stripped = text.strip()
        if not stripped:
            continue
        is_item = bool(_LIST_MARKER.match(stripped)) and not stripped.startswith(("{|", "|", "!"))
        kind, entry, mentions = parse_line(stripped, number, site, user_templates, is_item)
        result.mentions += mentions
        if kind == "participant" and isinstance(entry, Entry):
            if entry.user in first_line:
                result.duplicates.append((entry, first_line[entry.user]))
            else:
                first_line[entry.user] = entry.line
                result.participants.append(entry)
        elif kind == "withdrawn" and isinstance(entry, Entry):
            result.withdrawn.append(entry)
        elif kind == "unresolved" and isinstance(entry, Unresolved):
            result.unresolved.append(entry)
    return result
