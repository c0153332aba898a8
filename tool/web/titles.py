"""Page titles in the tool's URLs: /event/Event:Nairobi_training, as the wiki writes them.

MediaWiki shows a title's spaces as underscores in its URLs; the tool's URLs do the same, so an
organizer can swap the wiki's host for the tool's and land on the same event.
"""

from __future__ import annotations

#: A MediaWiki title is at most 255 bytes; a longer path part names no page and is refused early.
MAX_TITLE_BYTES = 255


def url_part(title: str) -> str:
    return title.replace(" ", "_")


def from_url_part(part: str) -> str | None:
    """The title a URL names, or None when it cannot name a page (empty or too long)."""
    title = part.replace("_", " ").strip()
    if not title or len(title.encode("utf-8")) > MAX_TITLE_BYTES:
        return None
    return title
