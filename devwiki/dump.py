"""Revisions as a MediaWiki XML export (schema 0.11), the input of importDump.php."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import BinaryIO
from xml.sax.saxutils import escape

from devwiki.seed import SeedRevision

SCHEMA = "http://www.mediawiki.org/xml/export-0.11/"
# Canonical names: importDump.php maps pages by <ns> number and strips the prefix the siteinfo
# names, so the English names work for the Swahili wiki too.
NAMESPACES = {
    -2: "Media", -1: "Special", 0: "", 1: "Talk", 2: "User", 3: "User talk", 4: "Project", 5: "Project talk",
    6: "File", 7: "File talk", 8: "MediaWiki", 9: "MediaWiki talk", 10: "Template", 11: "Template talk",
    12: "Help", 13: "Help talk", 14: "Category", 15: "Category talk",
}  # fmt: skip


def write_dump(revisions: Sequence[SeedRevision], wiki: str, out: BinaryIO) -> int:
    """Pages in first-seen order, each with its revisions oldest first; returns revisions written."""
    by_title: dict[str, list[SeedRevision]] = {}
    for revision in revisions:
        by_title.setdefault(revision.title, []).append(revision)
    out.write(_siteinfo(wiki).encode("utf-8"))
    rev_id = 0
    for page_id, (title, page_revisions) in enumerate(by_title.items(), start=1):
        parts = [f"  <page>\n    <title>{escape(title)}</title>\n"]
        parts.append(f"    <ns>{page_revisions[0].namespace}</ns>\n    <id>{page_id}</id>\n")
        parent = None
        for revision in sorted(page_revisions, key=lambda r: r.timestamp):
            rev_id += 1
            parts.append(_revision(revision, rev_id, parent))
            parent = rev_id
        parts.append("  </page>\n")
        out.write("".join(parts).encode("utf-8"))
    out.write(b"</mediawiki>\n")
    return rev_id


def sha1_base36(text: str) -> str:
    """MediaWiki's rev_sha1: the SHA-1 of the UTF-8 text in base 36, zero-padded to 31 digits."""
    number = int(hashlib.sha1(text.encode("utf-8")).hexdigest(), 16)
    digits = ""
    while number:
        number, digit = divmod(number, 36)
        digits = "0123456789abcdefghijklmnopqrstuvwxyz"[digit] + digits
    return digits.rjust(31, "0")


def _siteinfo(wiki: str) -> str:
    namespaces = "".join(
        f'      <namespace key="{key}" case="first-letter">{name}</namespace>\n'
        if name
        else f'      <namespace key="{key}" case="first-letter" />\n'
        for key, name in NAMESPACES.items()
    )
    return (
        f'<mediawiki xmlns="{SCHEMA}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        f'xsi:schemaLocation="{SCHEMA} http://www.mediawiki.org/xml/export-0.11.xsd" '
        'version="0.11" xml:lang="en">\n'
        "  <siteinfo>\n"
        f"    <sitename>{escape(wiki)}</sitename>\n"
        f"    <dbname>{escape(wiki)}</dbname>\n"
        "    <base>http://127.0.0.1/index.php/Main_Page</base>\n"
        "    <generator>Event Outcomes devwiki generator</generator>\n"
        "    <case>first-letter</case>\n"
        f"    <namespaces>\n{namespaces}    </namespaces>\n"
        "  </siteinfo>\n"
    )


def _revision(revision: SeedRevision, rev_id: int, parent: int | None) -> str:
    parent_line = f"      <parentid>{parent}</parentid>\n" if parent else ""
    return (
        "    <revision>\n"
        f"      <id>{rev_id}</id>\n{parent_line}"
        f"      <timestamp>{revision.timestamp.strftime('%Y-%m-%dT%H:%M:%SZ')}</timestamp>\n"
        f"      <contributor>\n        <username>{escape(revision.user)}</username>\n      </contributor>\n"
        f"      <comment>{escape(revision.comment)}</comment>\n"
        "      <model>wikitext</model>\n"
        "      <format>text/x-wiki</format>\n"
        f'      <text bytes="{revision.size}" xml:space="preserve">{escape(revision.text)}</text>\n'
        f"      <sha1>{sha1_base36(revision.text)}</sha1>\n"
        "    </revision>\n"
    )
