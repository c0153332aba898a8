"""Text from pages and people, written into wikitext so that it reads as itself and nothing more.

A name, a title or a context value can hold anything: ``}}``, ``|``, ``[[``, ``<script>``, ``~~~~``,
``{{subst:``. Written as it is, it would close a template, split a table cell, link, sign or
substitute. Escaping every punctuation mark as an entity makes that impossible but fills the page's
source with ``&#58;`` and ``&#39;`` where nothing needed escaping; so ordinary text stays as it
is, and only text that could be read as markup is wrapped in ``<nowiki>``, which MediaWiki
leaves alone both when the page is saved (no signature, no subst) and when it is shown.

Inside ``<nowiki>`` MediaWiki still reads character entities and the closing tag, so ``&`` and
``<`` are written as entities there; nothing else can leave it. A line break in a name would end
a table row or start a list, and a name has no use for one: it becomes a space.
"""

from __future__ import annotations

# Characters that begin markup wherever they stand: links, templates, tables, tags, comments.
_MARKUP_CHARACTERS = frozenset("[]{}|<>")
# Sequences that are markup: bold and italics, signatures, behaviour switches (__NOTOC__), free
# external links, magic links (MediaWiki still links "ISBN …", "RFC …", "PMID …" where enabled).
_MARKUP_SEQUENCES = ("''", "~~~", "__", "://", "ISBN ", "RFC ", "PMID ")
# Characters that end a line of wikitext, or that some browsers and MediaWiki treat as one.
_LINE_BREAKS = str.maketrans({c: " " for c in "\n\r\t\v\f\x85\u2028\u2029"})


def literal(text: str) -> str:
    """``text`` as wikitext that shows exactly ``text``: as it is when that is safe, else in nowiki."""
    text = text.translate(_LINE_BREAKS)
    if not needs_nowiki(text):
        return text
    return "<nowiki>" + text.replace("&", "&amp;").replace("<", "&lt;") + "</nowiki>"


def needs_nowiki(text: str) -> bool:
    """Whether ``text`` (one line) holds anything MediaWiki could read as markup. Linear in its length."""
    if any(c in _MARKUP_CHARACTERS for c in text):
        return True
    if any(sequence in text for sequence in _MARKUP_SEQUENCES):
        return True
    # "&" starts a character reference ("&lt;", "&#60;") only when a name or "#" follows it.
    at = text.find("&")
    while at >= 0:
        if text[at + 1 : at + 2] not in ("", " "):
            return True
        at = text.find("&", at + 1)
    return False


def comment(text: str) -> str:
    """``text`` made safe inside an HTML comment ``<!-- … -->``: it can neither end nor nest one."""
    text = text.translate(_LINE_BREAKS).replace("<!", "< !")
    while "--" in text:  # "---" holds a "--" again after one pass
        text = text.replace("--", "- -")
    return text
