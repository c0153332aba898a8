"""Server-side SVG charts (tool/charts.py): what a reader sees and what a screen reader reads.

Each chart is parsed back as XML and checked for what a person would notice: a pending month is
a word in its slot, never a bar of zero; a partial bar is drawn and marked as partial; every
number is in the text alternative; nothing runs or loads from anywhere; and in a right-to-left
language the drawing is mirrored while its words still read normally.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from markupsafe import Markup

from tool.charts import WIDTH, ChartText, comparison_chart, rates_chart, retention_chart
from tool.metrics import Figure
from tool.web import page_charts

SVG = "{http://www.w3.org/2000/svg}"
MONTHS = [f"active_month_{k}" for k in range(1, 7)]
NAMES = {key: key.replace("_", " ").capitalize() for key in [*MONTHS, "x"]} | {
    f"edits_per_week_{period}_{measure}": f"{period} {measure}"
    for period in ("before", "after")
    for measure in ("mean", "median")
}


def _reading(name: str, figure: Figure) -> str:
    if figure.status == "pending":
        return f"{name}: pending."
    if figure.value is None:
        return f"{name}: nobody."
    out_of = f" of {figure.denominator}" if figure.denominator is not None else ""
    return f"{name}: {figure.value:g}{out_of}{', partial' if figure.status == 'partial' else ''}."


def _text(title: str = "Active each month", axis: str = "") -> ChartText:
    return ChartText(
        title=title,
        pending="pending",
        partial="counted from incomplete data",
        no_value="nobody",
        tick=lambda v: f"{round(v * 100)}%" if title.startswith("Active") else f"{v:g}",
        reading=_reading,
        axis=axis,
    )


# 40 participants: 12, 9 and 0 active in months 1–3 (month 3 counted from incomplete data), 4–6 open.
RETENTION = {
    "active_month_1": Figure(12, "ok", 40),
    "active_month_2": Figure(9, "ok", 40),
    "active_month_3": Figure(7, "partial", 40),
    "active_month_4": Figure(None, "pending", 40),
    "active_month_5": Figure(None, "pending", 40),
    "active_month_6": Figure(None, "pending", 40),
}


def _tree(chart: Markup) -> ET.Element:
    return ET.fromstring(str(chart))


def _all(root: ET.Element, tag: str) -> list[ET.Element]:
    return list(root.iter(SVG + tag))


def _bars(root: ET.Element) -> list[ET.Element]:
    return [rect for rect in _all(root, "rect") if "data-status" in rect.attrib and rect.get("class")]


def _words(root: ET.Element) -> list[str]:
    return [text.text or "" for text in _all(root, "text")]


def _screen_x(root: ET.Element, wanted: ET.Element) -> float:
    """Where a text's anchor lands on the screen: its x through its groups' translations and flips."""

    def walk(node: ET.Element, offset: float, flipped: bool) -> float | None:
        transform = node.get("transform", "")
        if node is wanted:
            return WIDTH - (offset + float(node.get("x", 0))) if flipped else offset + float(node.get("x", 0))
        if transform.startswith("matrix(-1 0 0 1"):
            flipped = not flipped
        elif match := re.match(r"translate\(([-\d.]+)", transform):
            offset += float(match.group(1))
        for child in node:
            found = walk(child, offset, flipped)
            if found is not None:
                return found
        return None

    found = walk(root, 0.0, False)
    assert found is not None
    return found


def test_a_pending_month_is_a_word_in_its_slot_never_a_zero_bar() -> None:
    root = _tree(retention_chart(RETENTION, NAMES, _text(axis="Month after"), rtl=False))
    bars = _bars(root)
    # Three bars, for the three months counted; the open months have none, not a bar of height 0.
    assert [bar.get("data-status") for bar in bars] == ["ok", "ok", "partial"]
    assert all(float(bar.get("height", 0)) > 0 for bar in bars)
    markers = [t for t in _all(root, "text") if "eo-chart__marker--pending" in t.get("class", "")]
    assert [m.text for m in markers] == ["pending"] * 3
    # Each word stands in its month's slot, right of the last bar, in month order.
    slots = [_screen_x(root, m) for m in markers]
    assert slots == sorted(slots)
    assert min(slots) > max(_screen_x(root, t) for t in _all(root, "text") if t.text == "3")
    # Shares of 40: 30%, 22% (9 of 40, rounded to even) and a partial 18% marked as such.
    assert {"30%", "22%", "18% *"} <= set(_words(root))
    assert "* counted from incomplete data" in _words(root)
    assert "Month after" in _words(root)


def test_a_real_zero_is_drawn_as_zero_and_an_empty_group_says_so() -> None:
    figures = {**RETENTION, "active_month_2": Figure(0, "ok", 40), "active_month_3": Figure(0, "ok", 0)}
    root = _tree(retention_chart(figures, NAMES, _text(), rtl=False))
    assert [bar.get("data-status") for bar in _bars(root)] == ["ok", "ok"]
    assert "0%" in _words(root)
    assert "nobody" in _words(root)  # a share of nobody: no bar, no zero
    assert not any("counted from incomplete data" in w for w in _words(root))  # no partial, no key


def test_every_number_is_in_the_text_alternative() -> None:
    chart = retention_chart(RETENTION, NAMES, _text(), rtl=False)
    assert isinstance(chart, Markup)
    root = _tree(chart)
    assert root.get("role") == "img"
    label = root.get("aria-label", "")
    assert label.startswith("Active each month ")
    for sentence in (
        "Active month 1: 12 of 40.",
        "Active month 3: 7 of 40, partial.",
        "Active month 6: pending.",
    ):
        assert sentence in label
    assert root.find(SVG + "title").text == "Active each month"  # type: ignore[union-attr]
    assert "Active month 2: 9 of 40." in (root.find(SVG + "desc").text or "")  # type: ignore[union-attr]


def test_nothing_runs_or_loads_from_another_host() -> None:
    charts = [
        retention_chart(RETENTION, NAMES, _text(), rtl=False),
        retention_chart(RETENTION, NAMES, _text(), rtl=True),
        rates_chart(_rates(), NAMES, ("Before", "After"), ("mean", "median"), _text("Edits"), rtl=False),
        comparison_chart([("A", Figure(1.5, "ok", 3))], _text("Edits"), rtl=False),
    ]
    for chart in charts:
        svg = str(chart)
        assert "<script" not in svg
        assert "<style" not in svg  # the pages' CSP allows no inline style
        assert "style=" not in svg
        assert "<!--" not in svg
        for loader in ("href", "@import", "url("):
            assert loader not in svg
        assert re.findall(r"https?://[^\s\"'<>]*", svg) == ["http://www.w3.org/2000/svg"]  # xmlns only
        assert 'viewBox="0 0 420 ' in svg  # scales to the page's width
        assert "width=" not in svg.split(">")[0]


def test_right_to_left_mirrors_the_drawing_and_keeps_the_words_readable() -> None:
    ltr = _tree(retention_chart(RETENTION, NAMES, _text(), rtl=False))
    rtl = _tree(retention_chart(RETENTION, NAMES, _text(), rtl=True))
    assert (ltr.get("direction"), rtl.get("direction")) == ("ltr", "rtl")

    def month_label(root: ET.Element, month: str) -> ET.Element:
        return next(t for t in _all(root, "text") if t.text == month)

    # Month 1 is at the left in English and at the right in Arabic, each the other's mirror image.
    left, right = _screen_x(ltr, month_label(ltr, "1")), _screen_x(rtl, month_label(rtl, "1"))
    assert left < WIDTH / 2 < right
    assert abs(left + right - WIDTH) < 0.01
    assert _screen_x(rtl, month_label(rtl, "1")) > _screen_x(rtl, month_label(rtl, "6"))
    # The value axis moves to the right: its ticks lie right of every bar.
    tick = next(t for t in _all(rtl, "text") if t.text == "100%")
    assert _screen_x(rtl, tick) > _screen_x(rtl, month_label(rtl, "1"))
    # Every text is turned back about its own anchor, so it is not drawn mirror-written.
    for text in _all(rtl, "text"):
        assert text.get("transform", "").startswith(f"matrix(-1 0 0 1 {2 * float(text.get('x', 0)):g} 0)")
    assert not any("matrix" in t.get("transform", "") for t in _all(ltr, "text"))


def _rates() -> dict[str, Figure]:
    return {
        "edits_per_week_before_mean": Figure(3.1, "ok", 40),
        "edits_per_week_before_median": Figure(1.0, "ok", 40),
        "edits_per_week_after_mean": Figure(4.6, "partial", 40),
        "edits_per_week_after_median": Figure(None, "pending", 40),
    }


def test_rates_before_and_after_with_a_legend_and_each_status() -> None:
    chart = rates_chart(_rates(), NAMES, ("Before", "After"), ("mean", "median"), _text("Edits"), rtl=False)
    root = _tree(chart)
    assert [bar.get("data-status") for bar in _bars(root)] == ["ok", "partial", "ok"]
    words = _words(root)
    assert {"Before", "After", "mean", "median", "3.1", "1", "4.6 *"} <= set(words)
    # The pending median of "after" has its word where its own bar would be, right of the mean.
    marker = next(t for t in _all(root, "text") if t.text == "pending")
    mean_after = next(t for t in _all(root, "text") if t.text == "4.6 *")
    assert _screen_x(root, marker) > _screen_x(root, mean_after)
    assert "after median: pending." in root.get("aria-label", "")


def test_a_comparison_lists_groups_top_down_and_keeps_their_statuses() -> None:
    long_name = "Latin America and the Caribbean"
    groups = [
        (long_name, Figure(0.3, "ok", 40)),
        ("Sub-Saharan Africa", Figure(0.5, "partial", 3)),
        ("Europe", Figure(None, "pending", 10)),
        ("<script>alert(1)</script>", Figure(None, "ok", 0)),
    ]
    chart = comparison_chart(groups, _text("Retained"), rtl=False, share=True)
    assert "<script>" not in str(chart)
    root = _tree(chart)
    labels = [t for t in _all(root, "text") if t.text and (t.text.startswith(("Latin", "Sub", "<script")))]
    # First group on top; a long name shortened on the drawing, whole in the text alternative.
    ys = {t.text: float(t.get("y", 0)) for t in labels}
    assert list(ys) == ["<script>alert(1)<…", "Sub-Saharan Africa", "Latin America and…"]  # as drawn
    assert ys["Latin America and…"] < ys["Sub-Saharan Africa"] < ys["<script>alert(1)<…"]
    assert f"{long_name}: 0.3 of 40." in root.get("aria-label", "")
    assert [bar.get("data-status") for bar in _bars(root)] == ["partial", "ok"]  # drawn bottom up
    assert {"pending", "nobody"} <= set(_words(root))
    assert {"0", "0.5", "1"} <= set(_words(root))  # a share is read against the whole


def test_nothing_to_draw_still_has_its_axes_and_words() -> None:
    pending = {key: Figure(None, "pending", 40) for key in MONTHS}
    root = _tree(retention_chart(pending, NAMES, _text(), rtl=False))
    assert _bars(root) == []
    assert _words(root).count("pending") == 6
    assert {"1", "6", "0%", "100%"} <= set(_words(root))
    assert "No data" not in str(ET.tostring(root))


def test_the_pages_charts_speak_the_readers_language() -> None:
    """tool.web.page_charts: the same charts with the i18n messages, as the event page shows them."""
    figures = {**RETENTION, **_rates(), "participants": Figure(40, "ok")}
    retention = _tree(page_charts.retention(figures, "en", rtl=False))
    label = retention.get("aria-label", "")
    assert label.startswith("Participants active in each month after the event ")
    assert "Active in month 1 after: 12 of 40 (30%)." in label
    assert "Active in month 3 after: 7 of 40 (18%), incomplete data." in label
    assert "Active in month 4 after: pending." in label
    words = set(_words(retention))
    assert {"Month after the event", "30%", "18% *", "* counted from incomplete data"} <= words
    rates = _tree(page_charts.rates(figures, "en", rtl=False))
    assert "Edits per week before (mean): 3.1 a week (40 people)." in rates.get("aria-label", "")
    assert {"Before", "After", "mean", "median", "pending"} <= set(_words(rates))
    french = _tree(page_charts.rates(figures, "fr", rtl=False))
    assert "3,1" in _words(french)  # the language's own decimal mark
    arabic = _tree(page_charts.retention(figures, "ar", rtl=True))
    assert arabic.get("direction") == "rtl"
