"""User names as MediaWiki normalizes them (Title::newFromText and User::getCanonicalName).

"ana_maría", " Ana  María ", "Ana_María#top" and "Ana María/Sandbox" (from a User: link) are all
the account "Ana María". A name MediaWiki would refuse is reported, not guessed.
"""

from __future__ import annotations

import html
import ipaddress
import re

# MediaWiki turns these into plain spaces in titles (MediaWikiTitleCodec::splitTitleString).
_SPACES = re.compile("[ _\u00a0\u1680\u180e\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+")
# Direction marks that MediaWiki strips from titles (pasted with right-to-left names).
_DIRECTION_MARKS = re.compile("[\u200e\u200f\u202a-\u202e]")
# Title::getTitleInvalidRegex: characters that never occur in a title, hence in a user name.
_INVALID = re.compile(r"[#<>\[\]|{}\x00-\x1f\x7f\ufffd]")
MAX_BYTES = 255


class NameError_(ValueError):
    """Why a text is not an account name (the message says it in words)."""


def clean(text: str) -> str:
    """Entities decoded, direction marks removed, every space-like run made one space, trimmed."""
    text = _DIRECTION_MARKS.sub("", html.unescape(text))
    return _SPACES.sub(" ", text).strip()


def ucfirst(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


def normalize_username(text: str, *, from_link: bool = False) -> str:
    """The canonical account name, or NameError_ saying why there is none.

    ``from_link``: the text is a User: link target, where "/…" is a subpage and "#…" an anchor.
    """
    name = clean(text)
    if from_link:
        name = name.split("#", 1)[0].split("/", 1)[0].strip()
    if not name:
        raise NameError_("empty user name")
    bad = _INVALID.search(name)
    if bad:
        raise NameError_(f"{name!r} contains {bad.group()!r}, which a user name cannot contain")
    if len(name.encode("utf-8")) > MAX_BYTES:
        raise NameError_(f"user names have at most {MAX_BYTES} bytes; this one has {len(name.encode())}")
    if is_ip(name):
        raise NameError_(f"{name} is an IP address, not an account")
    return ucfirst(name)


_IP_LIKE = re.compile(r"^[0-9A-Fa-f:.]+(?:/\d{1,3})?$")


def is_ip(name: str) -> bool:
    if not _IP_LIKE.match(name):  # cheap test first: ipaddress is slow on the common, non-IP case
        return False
    try:
        ipaddress.ip_network(name, strict=False)
    except ValueError:
        return False
    return True


def normalize_title(text: str) -> str:
    """A page title as MediaWiki would store it (spaces, first letter), without resolving namespaces."""
    return ucfirst(clean(text).split("#", 1)[0].strip())
