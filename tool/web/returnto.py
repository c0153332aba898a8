"""Where a login may send the browser afterwards: only a path on this tool (no open redirect)."""

from __future__ import annotations

from urllib.parse import urlsplit


def own_path(value: str | None) -> str | None:
    """``value`` if it is a path on this tool ("/event/X?uselang=fr"), else None.

    Browsers read more than RFC 3986 as another host: "//evil", "/\\evil" and "\\\\evil" (a backslash
    counts as a slash), and "/\\t/evil" (tabs and newlines are dropped first). So: one leading slash,
    no backslash, no control character, and no scheme or host once parsed.
    """
    if not value or not value.startswith("/") or value.startswith("//"):
        return None
    if "\\" in value or any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in value):
        return None
    parts = urlsplit(value)
    if parts.scheme or parts.netloc:
        return None
    return value
