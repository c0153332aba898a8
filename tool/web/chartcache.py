"""An event's and a cohort's charts, drawn once per snapshot and language and kept in the store.

Drawing the two charts (pygal) took more than half of an event page's time, for a drawing that
only changes with the snapshot. So a page reads the drawn charts kept for its snapshot, draws them
only when none are kept (and keeps them for every other worker), and the nightly run draws them
ahead for every language (``draw_ahead``), so readers find them drawn.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from markupsafe import Markup
from toolforge_i18n import lang_dir

from tool.metrics import Figure, Outcomes
from tool.store import Store, StoreUnavailable
from tool.web import page_charts

KINDS = ("retention", "rates")
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PageCharts:
    retention: Markup
    rates: Markup


def draw(figures: Mapping[str, Figure], language: str) -> dict[str, str]:
    """Both charts in ``language``, mirrored when it is written right to left."""
    rtl = lang_dir(language) == "rtl"
    return {
        "retention": str(page_charts.retention(figures, language, rtl)),
        "rates": str(page_charts.rates(figures, language, rtl)),
    }


def charts_for(store: Store, snapshot_id: int, figures: Mapping[str, Figure], language: str) -> PageCharts:
    kept = store.drawn_charts(snapshot_id, language)
    if not all(kind in kept for kind in KINDS):
        kept = draw(figures, language)
        try:
            store.keep_charts(snapshot_id, language, kept)
        except StoreUnavailable:  # the page still shows them; the next view draws them again
            log.warning("could not keep the charts of snapshot %s", snapshot_id, exc_info=True)
    # The SVG is the tool's own drawing (tool.charts escapes every text it places).
    return PageCharts(retention=Markup(kept["retention"]), rates=Markup(kept["rates"]))


def draw_ahead(store: Store, languages: Iterable[str]) -> int:
    """Draw the charts of every event's and cohort's newest snapshot in each language; how many drawn."""
    drawn = 0
    languages = list(languages)
    targets = [("event", e.title) for e in store.list_events()] + [
        ("cohort", c.title) for c in store.list_cohorts()
    ]
    for kind, title in targets:
        snapshot = store.latest_snapshot(kind, title)
        if snapshot is None:
            continue
        figures = Outcomes.from_json(snapshot.figures).figures
        for language in languages:
            if all(k in store.drawn_charts(snapshot.id, language) for k in KINDS):
                continue
            store.keep_charts(snapshot.id, language, draw(figures, language))
            drawn += 1
    return drawn
