"""The time windows of the outcome definitions (DESIGN §5), and when a window's figure is final.

Every window is defined from the event's UTC start and end alone, so the same bounds can be
used in SQL. Bounds, chosen once and used everywhere:

- W (during)            [start, end]                  end inclusive (23:59:59 of the end day)
- before                [start − 56 d, start)         the 8 weeks up to the first moment of W
- after                 (end, end + 56 d]             the 8 weeks from the moment W closes
- retained_7d           [end + 7 d, open)             "at or after", as Event Metrics counts it
- active_month_k        [end + 30(k−1) d, end + 30k d)
- retained_N            [end + N d, end + N d + 30 d)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from tool.metrics.inputs import EventSpec
from tool.metrics.keys import DURING_KEYS

Status = Literal["ok", "pending", "partial"]

DAY = timedelta(days=1)
RATE_WEEKS = 8  # edits per week before / after are measured over 8 weeks
RATE_SPAN = timedelta(weeks=RATE_WEEKS)
RETAINED_AFTER = 7 * DAY  # Event Metrics: "retained" = edits 7 days or more after the event
MONTH = 30 * DAY  # the retention curve counts months of 30 days, so every month has the same weight
ACTIVE_MONTHS = 6
RETAINED_DAYS = (30, 90, 180)
# The figures that count people with at least one edit in a window after the end.
RETENTION_KEYS: tuple[str, ...] = (
    "retained_7d",
    *(f"active_month_{k}" for k in range(1, ACTIVE_MONTHS + 1)),
    *(f"retained_{days}d" for days in RETAINED_DAYS),
)


@dataclass(frozen=True)
class Window:
    """A span of time; ``stop`` None means open-ended (it only has a start)."""

    start: datetime
    stop: datetime | None
    start_inclusive: bool = True
    stop_inclusive: bool = False

    def contains(self, t: datetime) -> bool:
        if t < self.start or (t == self.start and not self.start_inclusive):
            return False
        if self.stop is None:
            return True
        return t < self.stop or (t == self.stop and self.stop_inclusive)

    def closed_at(self, now: datetime) -> bool:
        """Whether no later edit can fall in the window any more.

        An open-ended window never closes; its figure counts once its start has come (Event
        Metrics shows "retained" from end + 7 days on) and grows as people keep editing.
        """
        if self.stop is None:
            return now >= self.start
        return now > self.stop if self.stop_inclusive else now >= self.stop

    def covered_by(self, complete_until: datetime | None) -> bool:
        """Whether data complete up to ``complete_until`` holds the whole window.

        For an open-ended window, data reaching its start is enough: from there on the figure is
        "as of the data's time" (Outcomes.data_until), like any figure that grows.
        """
        if complete_until is None:
            return False
        return complete_until >= (self.start if self.stop is None else self.stop)


def event_window(spec: EventSpec) -> Window:
    return Window(spec.start, spec.end, stop_inclusive=True)


def before_window(spec: EventSpec) -> Window:
    return Window(spec.start - RATE_SPAN, spec.start)


def after_window(spec: EventSpec) -> Window:
    return Window(spec.end, spec.end + RATE_SPAN, start_inclusive=False, stop_inclusive=True)


def retained_7d_window(spec: EventSpec) -> Window:
    return Window(spec.end + RETAINED_AFTER, None)


def active_month_window(spec: EventSpec, k: int) -> Window:
    return Window(spec.end + (k - 1) * MONTH, spec.end + k * MONTH)


def retained_window(spec: EventSpec, days: int) -> Window:
    return Window(spec.end + days * DAY, spec.end + days * DAY + MONTH)


def retention_windows(spec: EventSpec) -> dict[str, Window]:
    """Figure key → window in which one edit makes a participant count for that figure."""
    windows = {"retained_7d": retained_7d_window(spec)}
    for k in range(1, ACTIVE_MONTHS + 1):
        windows[f"active_month_{k}"] = active_month_window(spec, k)
    for days in RETAINED_DAYS:
        windows[f"retained_{days}d"] = retained_window(spec, days)
    return windows


def figure_window(spec: EventSpec, key: str) -> Window | None:
    """The window a figure of one event is counted over (None for who took part: no window).

    What a page says of a pending figure ("final after 14 April") is read from here, so it can
    never disagree with when the figure stops being pending.
    """
    if key in DURING_KEYS:
        return event_window(spec)
    if key == "retained_7d_new":
        return retained_7d_window(spec)
    if key.startswith("edits_per_week_before"):
        return before_window(spec)
    if key.startswith("edits_per_week_after"):
        return after_window(spec)
    return retention_windows(spec).get(key)
