"""What the definitions page says of each figure: the message that defines it, and its window.

The numbers in those words (14 days, 8 weeks, months of 30 days, the days of retention) are the
constants the metrics count with (tool.metrics.windows, tool.metrics.compute), so the page cannot
drift from the code on them. ``figure_docs`` covers every figure of FIGURE_KEYS or raises: a figure
added without its definition fails the definitions page's test.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from tool.metrics.compute import NEW_EDITOR_LEAD
from tool.metrics.keys import FIGURE_KEYS
from tool.metrics.windows import ACTIVE_MONTHS, MONTH, RATE_WEEKS, RETAINED_AFTER, RETAINED_DAYS


@dataclass(frozen=True)
class Words:
    """A message (its i18n key) with its parameters."""

    key: str
    params: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class FigureDoc:
    key: str  # as in exports and the API, and the anchor of its section (/definitions#<key>)
    label: str  # the message of its short name, as tables and exports show it
    definition: Words
    window: Words

    @property
    def goal(self) -> str:
        """The field of an event page that sets a target for this figure (tool.metrics.keys.GOAL_KEYS)."""
        return f"goal_{self.key}"


class UndefinedFigure(KeyError):
    """A figure of FIGURE_KEYS that the definitions page does not explain."""


def figure_docs() -> list[FigureDoc]:
    """Every figure in FIGURE_KEYS' order, with its words."""
    words = _words()
    missing = [key for key in FIGURE_KEYS if key not in words]
    if missing:
        raise UndefinedFigure(f"no definition for figure(s) {', '.join(missing)}")
    return [FigureDoc(key, "figure-" + key.replace("_", "-"), *words[key]) for key in FIGURE_KEYS]


def _words() -> dict[str, tuple[Words, Words]]:
    during = Words("definitions-window-during")
    lead = {"num_days": NEW_EDITOR_LEAD.days}
    retained = {"num_days": RETAINED_AFTER.days}
    weeks = {"num_weeks": RATE_WEEKS}
    words = {
        "participants": (Words("definitions-figure-participants"), Words("definitions-window-none")),
        "new_editors": (
            Words("definitions-figure-new-editors", lead),
            Words("definitions-window-registration", lead),
        ),
        "edits_during": (Words("definitions-figure-edits-during"), during),
        "articles_created": (Words("definitions-figure-articles-created"), during),
        "articles_improved": (Words("definitions-figure-articles-improved"), during),
        "bytes_added": (Words("definitions-figure-bytes-added"), during),
        "bytes_removed": (Words("definitions-figure-bytes-removed"), during),
        "uploads": (Words("definitions-figure-uploads"), during),
        "retained_7d": (
            Words("definitions-figure-retained-7d", retained),
            Words("definitions-window-open", retained),
        ),
        "retained_7d_new": (
            Words("definitions-figure-retained-7d-new", retained),
            Words("definitions-window-open", retained),
        ),
    }
    for k in range(1, ACTIVE_MONTHS + 1):
        days = MONTH.days
        words[f"active_month_{k}"] = (
            Words("definitions-figure-active-month", {"month": k}),
            _days_after((k - 1) * days, k * days),
        )
    for n in RETAINED_DAYS:
        words[f"retained_{n}d"] = (
            Words("definitions-figure-retained-days", {"num_days": n}),
            _days_after(n, n + MONTH.days),
        )
    for side in ("before", "after"):
        window = Words(f"definitions-window-{side}", weeks)
        words[f"edits_per_week_{side}_mean"] = (Words("definitions-figure-rate-mean", weeks), window)
        words[f"edits_per_week_{side}_median"] = (Words("definitions-figure-rate-median"), window)
    return words


def _days_after(start: int, stop: int) -> Words:
    """[end + start days, end + stop days): the first month starts at the end itself."""
    if start == 0:
        return Words("definitions-window-first-days", {"num_days": stop})
    return Words("definitions-window-days", {"num_from": start, "num_to": stop})
