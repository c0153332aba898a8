"""The names of the outcome figures, version 1 of the definitions (DESIGN §5).

Snapshots store ``DEFINITIONS_VERSION`` with their figures: when a definition changes, the
version goes up, so old and new numbers are never compared as if they meant the same thing.
"""

from __future__ import annotations

DEFINITIONS_VERSION = 1

# The figures that add up revisions and pages in the event's window W: counts of things, which
# split by wiki and compare across events per participant.
DURING_KEYS: tuple[str, ...] = (
    "edits_during",
    "articles_created",
    "articles_improved",
    "bytes_added",
    "bytes_removed",
    "uploads",
)

# The keys of DESIGN §5's table, in its order.
METRIC_KEYS: tuple[str, ...] = (
    "participants",
    "new_editors",
    *DURING_KEYS,
    "retained_7d",
    *(f"active_month_{k}" for k in range(1, 7)),
    "retained_30d",
    "retained_90d",
    "retained_180d",
    "edits_per_week_before",
    "edits_per_week_after",
)

# Every figure an outcome reports: the metric keys, with retained_7d also among new editors and
# the per-week rates split into mean and median.
FIGURE_KEYS: tuple[str, ...] = (
    *METRIC_KEYS[: METRIC_KEYS.index("retained_7d") + 1],
    "retained_7d_new",
    *METRIC_KEYS[METRIC_KEYS.index("active_month_1") : METRIC_KEYS.index("edits_per_week_before")],
    "edits_per_week_before_mean",
    "edits_per_week_before_median",
    "edits_per_week_after_mean",
    "edits_per_week_after_median",
)

# goal_<key> on an event page → the figure it is compared with. A bare per-week key means the mean.
GOAL_KEYS: dict[str, str] = {
    **{key: key for key in FIGURE_KEYS},
    "edits_per_week_before": "edits_per_week_before_mean",
    "edits_per_week_after": "edits_per_week_after_mean",
}

# The context fields events are compared by (DESIGN §1, /compare?by=…).
CONTEXT_KEYS: tuple[str, ...] = (
    "region",
    "country",
    "language",
    "theme",
    "format",
    "audience",
    "organizing",
    "year",
)
