"""The pages' charts with their words: tool.charts given the reader's language.

One call per chart for a template's view: the retention curve and the edits per week of an event
or a cohort, and one figure across the groups of a comparison. Each chart's text alternative reads
every bar as the page's tables do (tool.web.readings).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from markupsafe import Markup

from tool import charts, messages
from tool.metrics import FIGURE_KEYS, Figure
from tool.web import readings


def figure_name(key: str, lang: str) -> str:
    return messages.text("figure-" + key.replace("_", "-"), lang)


def retention(figures: Mapping[str, Figure], lang: str, rtl: bool) -> Markup:
    """Participants active in each of the six months after (active_month_1 … 6)."""
    keys = [f"active_month_{k}" for k in range(1, charts.RETENTION_MONTHS + 1)]
    text = _text(
        messages.text("chart-retention-title", lang),
        lang,
        tick=lambda share: readings.percent(share, lang),
        sentences=_sentences(keys, figures, lang),
        axis=messages.text("chart-retention-axis", lang),
    )
    return charts.retention_chart(figures, _names(keys, lang), text, rtl)


def rates(figures: Mapping[str, Figure], lang: str, rtl: bool) -> Markup:
    """Edits per participant per week, before and after, as a mean and a median."""
    keys = [key for key in FIGURE_KEYS if key.startswith("edits_per_week_")]
    text = _text(
        messages.text("chart-rates-title", lang),
        lang,
        tick=lambda rate: readings.number(rate, lang),
        sentences=_sentences(keys, figures, lang),
    )
    periods = (messages.text("chart-period-before", lang), messages.text("chart-period-after", lang))
    measures = (messages.text("chart-measure-mean", lang), messages.text("chart-measure-median", lang))
    return charts.rates_chart(figures, _names(keys, lang), periods, measures, text, rtl)


def comparison(key: str, groups: Sequence[tuple[str, Mapping[str, Figure]]], lang: str, rtl: bool) -> Markup:
    """The figure ``key`` across groups (label, figures), compared as readings.comparable says."""
    kind = readings.kind(key)
    title_key = "chart-comparison-title-per-participant" if kind == "count" else "chart-comparison-title"
    sentences = {label: readings.reading(key, figures, lang).sentence(lang) for label, figures in groups}
    share = kind == "share"
    formatter = readings.percent if share else readings.number
    text = _text(
        messages.text(title_key, lang, figure=figure_name(key, lang)),
        lang,
        tick=lambda value: formatter(value, lang),
        sentences=sentences,
    )
    compared = [(label, readings.comparable(key, figures)) for label, figures in groups]
    return charts.comparison_chart(compared, text, rtl, share=share)


def _names(keys: Sequence[str], lang: str) -> dict[str, str]:
    return {key: figure_name(key, lang) for key in keys}


def _sentences(keys: Sequence[str], figures: Mapping[str, Figure], lang: str) -> dict[str, str]:
    """Each figure's name → its reading with its status: the chart's text alternative."""
    return {figure_name(key, lang): readings.reading(key, figures, lang).sentence(lang) for key in keys}


def _text(
    title: str, lang: str, tick: Callable[[float], str], sentences: Mapping[str, str], axis: str = ""
) -> charts.ChartText:
    return charts.ChartText(
        title=title,
        pending=messages.text("figure-status-pending", lang),
        partial=messages.text("chart-key-partial", lang),
        no_value=messages.text("readings-nobody", lang),
        tick=tick,
        reading=lambda name, _figure: messages.text("chart-reading", lang, name=name, value=sentences[name]),
        axis=axis,
    )
