"""Charts as inline SVG drawn on the server by pygal: the retention curve, edits per week before and
after, and one figure across the groups of a comparison.

Pure functions from figures to markup, no Flask: every word comes from the caller already in the
reader's language, and every number goes through the caller's formatter.

pygal lays out the axes and the bars; ``_finish`` (pygal's ``xml_filters`` hook) then makes the
drawing fit this tool:

- nothing that runs or loads: pygal's configuration <script>, its <style> (the pages' CSP allows no
  inline style, so the look is in tool/static/tool.css under ``.eo-chart``), its credit comments,
  its tooltip layer (which only JavaScript shows) and every ``style`` attribute go;
- a status never hides: a pending bar is not drawn (never as zero) and its slot says the word; a
  partial bar carries ``data-status="partial"`` (drawn pale and dashed), its number a "*", and a
  key says what both mean; a figure with nothing to draw (nobody to count) says so in its slot;
- a text alternative: the <svg> is an image named by its title and every bar's reading;
- right to left: the drawing is mirrored (bars grow leftwards, the value axis is on the right,
  the first category on the right) while each text is turned back so it reads normally.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pygal
import pygal.etree
from markupsafe import Markup

from tool.metrics import Figure

# pygal writes with lxml when it is installed; _finish edits the standard library's tree.
pygal.etree.etree.to_etree()

# Drawn in user units: a 420-unit wide chart fills a 360 px phone at about 0.85, so 14-unit text
# reads at 12 px there; tool.css caps the width on wide screens so it never grows huge.
WIDTH = 420
FONT = 14
VERTICAL_HEIGHT = 300
BAR_LANE = 34  # the height of one group's lane in a horizontal chart
RETENTION_MONTHS = 6
SHARE_TICKS = (0.0, 0.25, 0.5, 0.75, 1.0)
BAR_SLOT_MARGIN: float = pygal.Bar._series_margin  # the free share of a slot on each side
PARTIAL_MARK = "*"  # after the number of a partial bar, and before the key's words for it
LABEL_CHARACTERS = 18  # a group's name is cut after this many on the chart (the table has it whole)


@dataclass(frozen=True)
class ChartText:
    """The words and number formats of one chart, in the reader's language.

    ``reading(name, figure)`` is one bar as a sentence of the text alternative (with its status,
    e.g. "Active in month 1 after: 12 of 40 (30 %)."); ``tick(number)`` is a number on the value
    axis and above a bar (e.g. "30 %").
    """

    title: str
    pending: str
    partial: str
    no_value: str
    tick: Callable[[float], str]
    reading: Callable[[str, Figure], str]
    axis: str = ""  # the category axis's title, if it needs one ("Months after the event")


@dataclass(frozen=True)
class _Bar:
    name: str  # as the text alternative reads it
    figure: Figure
    plotted: float | None  # what the bar's length shows; None draws no bar


def retention_chart(
    figures: Mapping[str, Figure], names: Mapping[str, str], text: ChartText, rtl: bool
) -> Markup:
    """Bars for active_month_1 … 6: the share of participants active in each month after the event.

    ``names`` gives each figure key its name for the text alternative; the axis shows the month
    numbers under ``text.axis``. ``text.tick`` formats shares (0.3 → "30 %").
    """
    keys = [f"active_month_{k}" for k in range(1, RETENTION_MONTHS + 1)]
    slots = [[_Bar(names[key], figures[key], _share(figures[key]))] for key in keys]
    months = [str(k) for k in range(1, RETENTION_MONTHS + 1)]
    return _draw(pygal.Bar, months, [""], slots, text, rtl, share=True)


def rates_chart(
    figures: Mapping[str, Figure],
    names: Mapping[str, str],
    periods: tuple[str, str],
    measures: tuple[str, str],
    text: ChartText,
    rtl: bool,
) -> Markup:
    """Edits per participant per week before and after the event, each as a mean and a median.

    ``periods`` names the two groups of bars (before, after), ``measures`` the two bars of each
    (mean, median), shown in a legend.
    """
    slots = [
        [
            _Bar(names[key], figures[key], _value(figures[key]))
            for key in (f"{prefix}_mean", f"{prefix}_median")
        ]
        for prefix in ("edits_per_week_before", "edits_per_week_after")
    ]
    return _draw(pygal.Bar, list(periods), list(measures), slots, text, rtl, share=False)


def comparison_chart(
    groups: Sequence[tuple[str, Figure]], text: ChartText, rtl: bool, share: bool = False
) -> Markup:
    """One figure across the groups of a comparison, as horizontal bars, first group on top.

    Each figure is drawn as its value: give rates per participant, or shares (``share``: an axis
    from 0 to 1), so that small and large groups compare.
    """
    # pygal puts the first category at the bottom: give them bottom first so the list reads down.
    slots = [[_Bar(label, figure, _value(figure))] for label, figure in reversed(groups)]
    # Cut here, not by pygal: it sizes the margin of a horizontal chart's labels by the longest.
    labels = [_shortened(label) for label, _figure in reversed(groups)]
    return _draw(pygal.HorizontalBar, labels, [""], slots, text, rtl, share=share)


def _shortened(label: str) -> str:
    return label if len(label) <= LABEL_CHARACTERS else label[: LABEL_CHARACTERS - 1].rstrip() + "…"


def _share(figure: Figure) -> float | None:
    if figure.value is None or not figure.denominator:
        return None
    return figure.value / figure.denominator


def _value(figure: Figure) -> float | None:
    return None if figure.value is None else float(figure.value)


# Only the sizes matter to pygal's layout; colours are in tool.css, which the CSP lets pages load.
_STYLE = pygal.style.Style(
    font_family="sans-serif",
    label_font_size=FONT,
    major_label_font_size=FONT,
    value_font_size=FONT,
    value_label_font_size=FONT,
    legend_font_size=FONT,
    title_font_size=FONT,
    no_data_font_size=FONT,
)


def _draw(
    kind: Any,
    categories: list[str],
    series: list[str],
    slots: list[list[_Bar]],
    text: ChartText,
    rtl: bool,
    share: bool,
) -> Markup:
    """Lay the bars out with pygal (``slots``: each category's bars, one per series) and finish."""
    horizontal = kind is pygal.HorizontalBar
    plotted = [bar.plotted for slot in slots for bar in slot if bar.plotted is not None]
    keyed = any(bar.figure.status == "partial" and bar.plotted is not None for slot in slots for bar in slot)
    config: dict[str, Any] = {
        "width": WIDTH,
        "height": _horizontal_height(len(slots)) if horizontal else VERTICAL_HEIGHT,
        "js": [],
        "css": [],
        "disable_xml_declaration": True,
        "explicit_size": False,
        "style": _STYLE,
        "show_legend": len(series) > 1,
        "legend_at_bottom": True,
        "print_values": True,
        "print_values_position": "top",
        "value_formatter": text.tick,
        "x_title": text.axis or None,
        "no_data_text": "",
        # Room below for the key that says what a pale, dashed bar means.
        "margin_bottom": 2 * FONT if keyed else None,
    }
    if share or not plotted:
        # A share is read against the whole; with nothing to draw, pygal would write "No data"
        # in place of the axes that the pending words stand on.
        config["range"] = (0, 1)
    if share:
        # Fewer ticks across a narrow horizontal axis, so none is cut short.
        config["y_labels"] = list(SHARE_TICKS[::2] if horizontal else SHARE_TICKS)
    elif horizontal:
        config["max_scale"] = 4
    chart = kind(**config)
    chart.add_xml_filter(lambda root: _finish(root, slots, text, rtl, horizontal, keyed))
    chart.x_labels = categories
    for index, name in enumerate(series):
        chart.add(name, [_point(slot[index], text) for slot in slots])
    return Markup(chart.render(is_unicode=True))


def _point(bar: _Bar, text: ChartText) -> dict[str, Any] | None:
    if bar.plotted is None:
        return None
    plotted = bar.plotted
    # Marked in words too: a partial zero draws no bar to be pale and dashed.
    written = f"{text.tick(plotted)} {PARTIAL_MARK}" if bar.figure.status == "partial" else text.tick(plotted)
    return {
        "value": plotted,
        "formatter": lambda _value: written,
        # The status reaches the drawing; tool.css draws a partial bar pale and dashed.
        "node": {"data-status": bar.figure.status},
    }


def _horizontal_height(count: int) -> int:
    return 3 * FONT + max(count, 1) * BAR_LANE + 4 * FONT


def _finish(
    root: ET.Element, slots: list[list[_Bar]], text: ChartText, rtl: bool, horizontal: bool, keyed: bool
) -> ET.Element:
    _strip(root)
    chart_id = root.get("id", "eo-chart")
    ordered = reversed(slots) if horizontal else slots  # as a reader goes: top down
    readings = [text.reading(bar.name, bar.figure) for slot in ordered for bar in slot]
    root.set("class", "eo-chart")
    root.set("role", "img")
    root.set("aria-label", " ".join([text.title, *readings]))
    root.set("direction", "rtl" if rtl else "ltr")
    title = root.find("title")
    if title is None:
        title = ET.SubElement(root, "title")
    title.text = text.title
    title.set("id", f"{chart_id}-title")
    desc = ET.Element("desc", {"id": f"{chart_id}-desc"})
    desc.text = "\n".join(readings)
    root.insert(list(root).index(title) + 1, desc)
    graph = root.find("g")
    if graph is None:
        return root
    plot = _first(graph, "plot")
    if plot is not None:
        _mark_slots(plot, slots, text, horizontal, rtl)
        if keyed:
            _add_key(graph, text)
    _anchor_texts(graph, horizontal)
    if rtl:
        _mirror(graph)
    return root


def _strip(root: ET.Element) -> None:
    """Remove what runs, loads, styles inline or only JavaScript would show."""
    for parent in root.iter():
        for child in list(parent):
            if (
                child.tag in ("script", "style")
                or child.tag is ET.Comment
                or "tooltip-overlay" in child.get("class", "").split()
                or (child.tag == "title" and parent is not root)  # pygal's hover text on guides
                or (child.tag == "text" and "no_data" in child.get("class", "").split())
            ):
                parent.remove(child)
        parent.attrib.pop("style", None)


def _first(graph: ET.Element, cls: str) -> ET.Element | None:
    for child in graph:
        if child.get("class", "").split() == [cls]:
            return child
    return None


def _category_positions(plot: ET.Element, horizontal: bool) -> list[tuple[float, float]]:
    """Where pygal wrote each category's label, in its order: the slots of the bars."""
    axis_class = "y" if horizontal else "x"
    for axis in plot.iter("g"):
        classes = axis.get("class", "").split()
        if "axis" in classes and axis_class in classes:
            labels = [guide.find("text") for guide in axis if guide.get("class") == "guides"]
            return [(float(t.get("x", 0)), float(t.get("y", 0))) for t in labels if t is not None]
    return []


def _plot_size(plot: ET.Element) -> tuple[float, float]:
    background = plot.find("rect")
    if background is None:
        return float(WIDTH), float(VERTICAL_HEIGHT)
    return float(background.get("width", WIDTH)), float(background.get("height", VERTICAL_HEIGHT))


def _bar_centre(centre: float, spacing: float, index: int, count: int) -> float:
    """Where pygal puts the middle of bar ``index`` of ``count`` side by side in a vertical slot.

    pygal keeps 6 % of the slot free on each side and splits the rest evenly among the series.
    """
    if count == 1:
        return centre
    inner = spacing * (1 - 2 * BAR_SLOT_MARGIN)
    return centre - spacing / 2 + spacing * BAR_SLOT_MARGIN + (index + 0.5) * inner / count


def _mark_slots(
    plot: ET.Element, slots: list[list[_Bar]], text: ChartText, horizontal: bool, rtl: bool
) -> None:
    """Say "pending" (or that there is nothing to draw) where a bar is missing: never an empty gap."""
    positions = _category_positions(plot, horizontal)
    width, height = _plot_size(plot)
    spacing = positions[1][0] - positions[0][0] if len(positions) > 1 else width
    for (x, y), slot in zip(positions, slots, strict=False):
        for index, bar in enumerate(slot):
            if bar.plotted is not None:
                continue
            status = "pending" if bar.figure.status == "pending" else "none"
            marker = ET.SubElement(plot, "text", {"class": f"eo-chart__marker eo-chart__marker--{status}"})
            marker.text = text.pending if status == "pending" else text.no_value
            if horizontal:  # one bar a lane: the word starts where the bar would
                marker.set("x", f"{FONT / 2:g}")
                marker.set("y", f"{y:g}")
                continue
            # Upright in its slot, reading up from the axis, so a long word fits a narrow bar.
            left = _bar_centre(x, spacing, index, len(slot)) + FONT / 3
            base = height - FONT
            marker.set("x", f"{left:g}")
            marker.set("y", f"{base:g}")
            marker.set("transform", f"rotate(-90 {left:g} {base:g})")
            # The mirror turns a text back across, not along, an upright line: in a right-to-left
            # chart its lower end is its "end".
            marker.set("text-anchor", "end" if rtl else "start")


def _add_key(graph: ET.Element, text: ChartText) -> None:
    """A swatch drawn as partial bars are, and the word for it, along the bottom of the chart."""
    background = graph.find("rect")
    y = float(background.get("height", 0)) - FONT if background is not None else 0.0
    key = ET.SubElement(graph, "g", {"class": "eo-chart__key"})
    swatch = {"x": FONT, "y": y - FONT * 0.8, "width": FONT * 1.5, "height": FONT * 0.8}
    ET.SubElement(
        key, "rect", {**{name: f"{value:g}" for name, value in swatch.items()}, "data-status": "partial"}
    )
    label = ET.SubElement(key, "text", {"x": f"{FONT * 3:g}", "y": f"{y:g}"})
    label.text = f"{PARTIAL_MARK} {text.partial}"


def _anchor_texts(graph: ET.Element, horizontal: bool) -> None:
    """Anchor every text by attribute (pygal's anchors were in the <style> that is removed)."""
    for parent in graph.iter():
        classes = parent.get("class", "").split()
        if parent.tag != "g":
            continue
        if "axis" in classes and "y" in classes:
            anchor = "end"
        elif "legends" in classes or "eo-chart__key" in classes or (horizontal and "text-overlay" in classes):
            anchor = "start"
        else:
            continue
        for text in parent.iter("text"):
            text.set("text-anchor", anchor)
    for text in graph.iter("text"):
        if "text-anchor" not in text.attrib:
            marker = "eo-chart__marker" in text.get("class", "")
            text.set("text-anchor", "start" if marker else "middle")


def _mirror(graph: ET.Element) -> None:
    """Mirror the drawing for a right-to-left language and turn each text back to read normally.

    The whole graph is flipped about the chart's middle; each text is flipped back about its own
    anchor, so it lands where the mirror puts it yet reads unmirrored. With the svg's
    ``direction="rtl"``, "start" and "end" anchors swap sides just as the mirror wants.
    """
    graph.set("transform", f"matrix(-1 0 0 1 {WIDTH} 0)")
    for text in graph.iter("text"):
        x = float(text.get("x", 0))
        turned = f"matrix(-1 0 0 1 {2 * x:g} 0)"
        existing = text.get("transform")
        text.set("transform", f"{turned} {existing}" if existing else turned)
