"""User names as MediaWiki normalizes them (MediaWikiTitleCodec::splitTitleString, UserNameUtils).

"ana_maría", " Ana  María ", "Ana_María#top" and "Ana María/Sandbox" (from a User: link) are all
the account "Ana María". A name MediaWiki would refuse is reported with the reason, never guessed:
``parse_username`` raises InvalidUsername (an i18n code and its parameters), ``normalize_username``
returns None.
"""

from __future__ import annotations

import html
import ipaddress
import re
import unicodedata

# MediaWiki turns these into plain spaces in titles (MediaWikiTitleCodec::splitTitleString).
_SPACES = re.compile("[ _\u00a0\u1680\u180e\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+")
# Direction marks that MediaWiki strips from titles (pasted with right-to-left names).
_DIRECTION_MARKS = re.compile("[\u200e\u200f\u202a-\u202e]")
# Sanitizer::decodeCharReferences: only references ended by ";" are decoded.
_CHAR_REFERENCE = re.compile(r"&(?:#[xX][0-9A-Fa-f]+|#[0-9]+|[A-Za-z][A-Za-z0-9]*);")
# MediaWikiTitleCodec::getTitleInvalidRegex: characters outside $wgLegalTitleChars, percent
# escapes and character references that survived decoding.
_INVALID_IN_TITLE = re.compile(r"[#<>\[\]|{}\x00-\x1f\x7f\ufffd]|%[0-9A-Fa-f]{2}|&[A-Za-z0-9\x80-\uffff]+;")
# UserNameUtils::isValid's "troublemaker" characters, refused in account names on top of the above.
_INVALID_IN_NAME = re.compile("[/\x80-\x9f\u2000-\u200f\u2028-\u202f\u3000\ue000-\uf8ff]")
# UserNameUtils::isIP also takes any dotted quad of 1-3 digits (and "xxx" as the last part).
_ANY_IPV4 = re.compile(r"^\d{1,3}\.\d{1,3}\.\d{1,3}\.(?:xxx|\d{1,3})$")
_IP_LIKE = re.compile(r"^[0-9A-Fa-f:.]+(?:/\d{1,3})?$")
# Wikimedia wikis upper-case a title's first letter as PHP 7.2 did (wmf-config sets
# $wgOverrideUcfirstCharacters, T219279): the one-character title case where there is one, and no
# change for these letters, whose capitals came with later Unicode versions. Georgian Mkhedruli,
# the other such script, needs no entry: its title case is itself.
_CASE_KEPT = re.compile("[\u0345\u2170-\u217f\u24d0-\u24e9\ua7b9\U00016e60-\U00016e7f]")
MAX_BYTES = 255  # $wgMaxNameChars, counted in bytes (PHP strlen)


class InvalidUsername(ValueError):
    """Why a text cannot be an account name: an i18n message code (``problem-…``) and its parameters."""

    def __init__(self, code: str, **params: str) -> None:
        super().__init__(code, params)
        self.code = code
        self.params = params


def clean(text: str) -> str:
    """Entities decoded, direction marks removed, NFC, every space-like run one space, trimmed."""
    if text.isascii() and "&" not in text and "_" not in text and "  " not in text:
        return text.strip()  # the common case, and the same result: nothing to decode or join
    text = _CHAR_REFERENCE.sub(lambda m: html.unescape(m.group()), text)
    text = unicodedata.normalize("NFC", _DIRECTION_MARKS.sub("", text))
    return _SPACES.sub(" ", text).strip()


def ucfirst(text: str) -> str:
    """The first letter upper-cased as Wikimedia's MediaWiki does (Language::ucfirst)."""
    if not text or text[0].isascii():
        return text[:1].upper() + text[1:]
    first = text[0]
    if _CASE_KEPT.match(first):
        return text
    title = first.title()
    # "ß" → "Ss", "ﬀ" → "Ff": no one-character capital, so MediaWiki leaves the letter as it is.
    return (title if len(title) == 1 else first) + text[1:]


def parse_username(text: str, *, from_link: bool = False) -> str:
    """The canonical account name, or InvalidUsername saying why there is none.

    ``from_link``: the text is a User: link target, where "/…" is a subpage and "#…" an anchor.
    """
    name = clean(text)
    if from_link:
        name = name.split("#", 1)[0].split("/", 1)[0].strip()
    if not name:
        raise InvalidUsername("problem-username-empty", text=text.strip())
    if is_ip(name):
        raise InvalidUsername("problem-username-ip", name=name)
    bad = _INVALID_IN_TITLE.search(name) or _INVALID_IN_NAME.search(name)
    if bad:
        raise InvalidUsername("problem-username-character", name=name, character=_visible(bad.group()))
    if "~~~" in name:
        raise InvalidUsername("problem-username-character", name=name, character="~~~")
    if len(name.encode("utf-8")) > MAX_BYTES:
        raise InvalidUsername("problem-username-too-long", name=name[:40] + "…", limit=str(MAX_BYTES))
    return ucfirst(name)


def normalize_username(text: str, *, from_link: bool = False) -> str | None:
    """The canonical account name, or None when MediaWiki would refuse it (see parse_username)."""
    try:
        return parse_username(text, from_link=from_link)
    except InvalidUsername:
        return None


def _visible(character: str) -> str:
    """Invisible characters named by their code point, so the message shows what to remove."""
    if len(character) == 1 and not character.isprintable():
        return f"U+{ord(character):04X}"
    return character


def is_ip(name: str) -> bool:
    """An IP address or range (UserNameUtils::isIP): edits without an account, never a participant."""
    if _ANY_IPV4.match(name):
        return True
    if not _IP_LIKE.match(name) or not (":" in name or "." in name):
        return False  # cheap tests first: ipaddress is slow (15 µs), and "Cafe" or "2024" is no address
    try:
        ipaddress.ip_network(name, strict=False)
    except ValueError:
        return False
    return True


def normalize_title(text: str) -> str:
    """A page title as MediaWiki would store it (spaces, first letter), without resolving namespaces.

    SiteInfo.normalize_title also puts the namespace in its local form; use it when a site is known.
    """
    return ucfirst(clean(text).split("#", 1)[0].strip())
