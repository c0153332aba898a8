"""An event's start and end as organizers write them, placed in time (DESIGN §4, §5).

A date, a date and time, or an ISO 8601 time, in the event's IANA time zone unless it carries its
own offset; the result is an aware UTC datetime. A date alone means the start of that day for
``start`` and its last second for ``end`` (the end day is included).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, time, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

_MOMENT = re.compile(
    r"^(\d{4})-(\d{1,2})-(\d{1,2})"  # date
    r"(?:(?:T|\s+)(\d{1,2}):(\d{2})(?::(\d{2}))?)?"  # time
    r"\s*(Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?$",  # offset
    re.IGNORECASE,
)
_END_OF_DAY = time(23, 59, 59)
# DESIGN §5 bounds: no wiki of ours has edits before 2001, and an event is planned at most five
# years ahead and lasts at most two years. Beyond them a date is a typo, and datetime arithmetic
# (windows reaching 8 weeks back, local times near year 1 or 9999) would overflow.
FIRST_YEAR = 2001
YEARS_AHEAD = 5
MAX_DURATION = timedelta(days=731)


def last_year(now: datetime | None = None) -> int:
    """The latest year an event may be in: this year + 5."""
    return (now or datetime.now(UTC)).year + YEARS_AHEAD


def year_of(value: str) -> int | None:
    """The year as written at the start of a date ("2026-03-14 …" → 2026), None if it is no date."""
    match = _MOMENT.match(value.strip())
    return int(match.group(1)) if match else None


def in_bounds(start: datetime, end: datetime, now: datetime | None = None) -> bool:
    """Whether an event's UTC window lies in the years the tool follows and is at most 2 years long."""
    first = datetime(FIRST_YEAR, 1, 1, tzinfo=UTC) - timedelta(days=1)  # a day's slack for zones
    last = datetime(last_year(now) + 1, 1, 1, tzinfo=UTC) + timedelta(days=1)
    return first <= start <= end <= last and end - start <= MAX_DURATION


def parse_moment(value: str, zone: str, *, end_of_day: bool) -> datetime | None:
    """``value`` in UTC, or None when it is not a date or time (or not a real one, such as 2026-02-30)."""
    match = _MOMENT.match(value.strip())
    if not match:
        return None
    year, month, day, hour, minute, second, offset = match.groups()
    try:
        if hour is None:
            day_of = datetime(int(year), int(month), int(day))
            moment = datetime.combine(day_of, _END_OF_DAY if end_of_day else time())
        else:
            moment = datetime(int(year), int(month), int(day), int(hour), int(minute), int(second or 0))
        return moment.replace(tzinfo=_offset(offset) if offset else ZoneInfo(zone)).astimezone(UTC)
    except (ValueError, OverflowError, ZoneInfoNotFoundError):
        # OverflowError: 0001-01-01 east of UTC, or 9999-12-31 west of it, is outside datetime.
        return None


def _offset(text: str) -> tzinfo:
    if text.upper() in ("Z", "UTC", "GMT"):
        return UTC
    digits = text[1:].replace(":", "")
    delta = timedelta(hours=int(digits[:2]), minutes=int(digits[2:] or 0))
    return timezone(-delta if text[0] == "-" else delta)
