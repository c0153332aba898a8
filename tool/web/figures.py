"""How a figure reads on a page: its number with what it is out of, and its status in words.

A share reads "20 of 40 (50 %)", a rate "0.95 a week (40 people)", a count "124 — 3.1 per
participant (40 people)" — in the reader's language (tool.web.readings, as the charts read them).
A pending figure shows no number and says until when it is pending; a partial one keeps its number
and says that data is missing. Pages build these from stored snapshots only.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from tool import formats, messages
from tool.metrics import Figure
from tool.web import readings

#: The figures shown first, as cards, on an event's and a cohort's page.
HEADLINE: tuple[str, ...] = (
    "participants",
    "new_editors",
    "edits_during",
    "articles_created",
    "articles_improved",
    "retained_30d",
)


@dataclass(frozen=True)
class FigureView:
    key: str
    label: str
    text: str  # the number as it reads, or the status word for a pending figure
    status: str  # ok, pending, partial
    status_text: str  # "" for ok; else why (pending until …, data missing)
    definition: str  # the anchor of its definition on the definitions page


def number(value: float, language: str) -> str:
    """A number as the language writes it; whole numbers without decimals, others with two."""
    if float(value).is_integer():
        return formats.format_number(int(value), language)
    return formats.format_number(value, language, digits=2)


def when(moment: datetime | None, language: str, zone: str = "UTC") -> str:
    """A date and time in the language, in ``zone`` (an IANA name; an unknown one is UTC)."""
    if moment is None:
        return "—"
    try:
        return formats.format_datetime(moment, language, _zone(zone).key)
    except OverflowError:  # a time near year 1 or 9999, stored before dates were bounded
        return formats.format_datetime(moment, language)


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def local_dates(start: datetime | None, end: datetime | None, timezone: str) -> str:
    """The dates as the organizer wrote them: in the event's own time zone, not UTC."""
    if start is None or end is None:
        return "—"
    zone = _zone(timezone)
    try:
        return f"{start.astimezone(zone):%Y-%m-%d} – {end.astimezone(zone):%Y-%m-%d}"
    except OverflowError:
        # A time near year 1 or 9999 stored before dates were bounded (issue #7): shifting it into
        # the zone leaves datetime's range. The UTC dates are still true.
        return f"{start.date().isoformat()} – {end.date().isoformat()}"


def label(key: str, language: str) -> str:
    return messages.text("figure-" + key.replace("_", "-"), language)


def view(
    key: str,
    figures: Mapping[str, Figure],
    language: str,
    pending_until: Mapping[str, datetime] | None = None,
) -> FigureView:
    """The figure ``key`` of one event's or group's ``figures``, read as tool.web.readings says.

    ``pending_until``: when each pending figure's window closes (one event); a group has none.
    """
    read = readings.reading(key, figures, language)
    return _view(key, read.text, read.status, language, pending_until)


def plain_view(key: str, figure: Figure, language: str) -> FigureView:
    """A figure on its own (a cell of the per-wiki table): its number, no rate beside it."""
    if figure.value is None:
        text = "" if figure.status == "pending" else messages.text("readings-nobody", language)
    else:
        text = number(figure.value, language)
    return _view(key, text, figure.status, language, None)


def _view(
    key: str, text: str, status: str, language: str, pending_until: Mapping[str, datetime] | None
) -> FigureView:
    status_text = ""
    if status == "pending":
        text = messages.text("figure-status-pending", language)
        until = (pending_until or {}).get(key)
        status_text = (
            messages.text("figure-pending-until", language, date=when(until, language))
            if until is not None
            else messages.text("figure-pending-open", language)
        )
    elif status == "partial":
        status_text = messages.text("figure-partial-why", language)
    return FigureView(key, label(key, language), text, status, status_text, definition=key)


def views(
    figures: Mapping[str, Figure],
    keys: Sequence[str],
    language: str,
    pending_until: Mapping[str, datetime] | None = None,
) -> list[FigureView]:
    return [view(key, figures, language, pending_until) for key in keys if key in figures]
