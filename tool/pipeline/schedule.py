"""When the nightly refresh runs next: what a page says under "how fresh is this".

The time is configuration (NIGHTLY_AT, "HH:MM" UTC) and jobs.yaml's schedule is the same time, so
what pages promise and what Toolforge runs cannot drift apart unnoticed (tests/test_web_event.py).
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta


class BadSchedule(ValueError):
    pass


def nightly_time(value: object) -> time:
    """NIGHTLY_AT as a time of day in UTC; anything but "HH:MM" is refused with what was given."""
    text = str(value).strip()
    hours, sep, minutes = text.partition(":")
    if not sep or not (hours.isascii() and hours.isdigit() and minutes.isascii() and minutes.isdigit()):
        raise BadSchedule(f'NIGHTLY_AT must be "HH:MM" in UTC, not {text[:20]!r}')
    if len(hours) > 2 or len(minutes) != 2 or int(hours) > 23 or int(minutes) > 59:
        raise BadSchedule(f'NIGHTLY_AT must be "HH:MM" in UTC, not {text[:20]!r}')
    return time(int(hours), int(minutes), tzinfo=UTC)


def next_run(now: datetime, at: time) -> datetime:
    """The first nightly run after ``now``."""
    today = datetime.combine(now.astimezone(UTC).date(), at)
    return today if today > now else today + timedelta(days=1)
