"""Signatures as MediaWiki expands ``~~~~`` on save (English interface, UTC, no custom signature)."""

from __future__ import annotations

from datetime import datetime

# Spelled out rather than strftime("%B"), which follows the process locale.
_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def stamp(when: datetime) -> str:
    # MediaWiki's English signature date: "10:01, 14 March 2026 (UTC)", day without a leading zero.
    return f"{when:%H:%M}, {when.day} {_MONTHS[when.month - 1]} {when.year} (UTC)"


def signature(user: str, when: datetime) -> str:
    return f"[[User:{user}|{user}]] ([[User talk:{user}|talk]]) {stamp(when)}"
