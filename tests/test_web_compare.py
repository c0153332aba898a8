"""The comparison page, /compare?by=<field>: the nightly run's stored comparison, read for people.

The store is the API tests' (tests/test_api.py: three counted events, one never counted), with
the contributions of one event synced so its group has numbers a reader can check by hand:

Lima 2026 (Latin America), 7–8 February 2026, Ana, Bea and Cid listed, everything synced:
- edits during: Ana 3, Bea 1 → 4, that is 4 / 3 = 1.3 per participant;
- Ana edits 10 days after the end, Bea 35 days after: active in month 1 → Ana (1 of 3, 33%),
  in month 2 → Bea (1 of 3); retained after 30 days (days 30–60) → Bea, 1 of 3 (33%);
- on 1 June 2026 the month [end + 90 d, end + 120 d) is still open: months 4 to 6 are pending.

Sub-Saharan Africa holds Nairobi (14–15 January 2026) and Lagos (2025): two events, the same three
people, counted once. Their contributions are stored only from 9 December 2025, short of both
events' "before" windows, so every figure there is partial: no edit during either event (0), and
Ana's and Bea's edits after Lima fall 30–60 days after Nairobi (retained after 30 days: 2 of 3,
67%, partial). Quito leaves the region empty: its group has nobody to count.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import flask
import pytest

from tests.listed_events import EVENTS, NOW, PEOPLE
from tests.test_api import app, stored  # noqa: F401 (fixtures)
from tool.metrics import Contribution
from tool.metrics.inputs import COMMONS_FILES
from tool.pipeline.comparisons import keep_comparisons
from tool.store import AccountRecord, Store

LIMA = next(event for event in EVENTS if event[0] == "Event:Lima 2026")
START = LIMA[4]
END = START + timedelta(days=1)
WIKIS = ("swwiki", "enwiki")  # the event's tracked wikis (tests.test_store.event)
_revs = iter(range(5000, 10**6))


def _edit(user: str, at: datetime, page: int, new: bool = False) -> Contribution:
    rev = next(_revs)
    return Contribution("enwiki", rev, user, page, 0, f"Page {page}", at, 100, new)


@pytest.fixture
def compared(stored: Store) -> Store:  # noqa: F811 (the fixture imported above)
    """Lima's contributions synced and checked, then the comparisons kept as the nightly run does."""
    stored.add_contributions(
        "enwiki",
        [
            _edit("Ana Participant", START + timedelta(hours=2), 1, new=True),
            _edit("Ana Participant", START + timedelta(hours=3), 2),
            _edit("Ana Participant", START + timedelta(hours=4), 2),
            _edit("Bea Participant", START + timedelta(hours=5), 3),
            _edit("Ana Participant", END + timedelta(days=10), 4),
            _edit("Bea Participant", END + timedelta(days=35), 4),
        ],
    )
    for wiki in (*WIKIS, COMMONS_FILES):
        stored.add_coverage(wiki, PEOPLE, START - timedelta(days=60), NOW)
    old = START - timedelta(days=400)
    stored.save_accounts("global", [AccountRecord(user, n, old) for n, user in enumerate(PEOPLE)])
    keep_comparisons(stored, NOW)
    return stored


def _get(app: flask.Flask, path: str) -> tuple[int, str]:  # noqa: F811
    response = app.test_client().get(path)
    return response.status_code, response.get_data(as_text=True)


def _text(html: str) -> str:
    """The page's words as a reader sees them: tags out, spaces collapsed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _group_rows(html: str) -> list[str]:
    """The rows of the table of the chosen figure, as text."""
    return [_text(row) for row in re.findall(r'<tr class="eo-compare__group">(.*?)</tr>', html, re.S)]


def _group_row(html: str, label: str) -> str:
    return next(row for row in _group_rows(html) if row.startswith(f" {label} "))


def _group_section(html: str, label: str) -> str:
    """The section of one group: its heading, its events link, its figures."""
    pattern = r'<section class="eo-compare__detail".*?<h3[^>]*>(.*?)</h3>(.*?)</section>'
    sections = re.findall(pattern, html, re.S)
    return next(body for heading, body in sections if _text(heading).strip() == label)


def test_without_a_field_the_page_offers_every_field(app: flask.Flask) -> None:  # noqa: F811
    status, html = _get(app, "/compare")
    assert status == 200
    for field in ("region", "country", "language", "theme", "format", "audience", "organizing", "year"):
        assert f'href="/compare?by={field}"' in html
    assert "<svg" not in html


def test_an_unknown_field_or_figure_is_a_400_in_words(app: flask.Flask) -> None:  # noqa: F811
    status, html = _get(app, "/compare?by=colour")
    assert status == 400
    assert 'Events cannot be compared by "colour"; they can be compared by: region, country' in html
    status, html = _get(app, "/compare?by=region&figure=happiness")
    assert status == 400
    assert '"happiness" is not an outcome figure' in html
    status, html = _get(app, "/compare?by=%3Cb%3Ebold")
    assert status == 400
    assert '"&lt;b&gt;bold"' in html
    status, html = _get(app, "/compare?by=" + "x" * 5000)
    assert status == 400
    assert "x" * 100 + "…" in html
    assert "x" * 101 not in html


def test_a_comparison_not_yet_computed_says_so(app: flask.Flask) -> None:  # noqa: F811
    status, html = _get(app, "/compare?by=region")
    assert status == 404
    assert "The comparison by region has not been computed yet" in html
    assert 'href="/compare?by=year"' in html  # the chooser is still there


def test_each_group_with_its_events_people_and_rates(app: flask.Flask, compared: Store) -> None:  # noqa: F811
    status, html = _get(app, "/compare?by=region&figure=edits_during")
    assert status == 200
    # Groups in the stored order, the empty region last and named as such.
    labels = re.findall(r'<tr class="eo-compare__group">\s*<th scope="row">(.*?)</th>', html, re.S)
    assert [_text(label).strip() for label in labels] == [
        "Latin America",
        "Sub-Saharan Africa",
        "(not given)",
    ]
    # Group, the chosen figure with its rate and denominator, events, distinct people.
    assert _group_row(html, "Latin America") == " Latin America 4 — 1.3 per participant (3 people) 1 3 "
    africa = _group_row(html, "Sub-Saharan Africa")
    assert africa == " Sub-Saharan Africa 0 — 0 per participant (3 people) incomplete data 2 3 "
    lima = _text(_group_section(html, "Latin America"))
    assert "Retained after 30 days 1 of 3 (33%)" in lima
    assert "Still editing 7 days later 2 of 3 (67%)" in lima
    assert "Articles created 1 — 0.3 per participant (3 people)" in lima
    assert "Retained after 90 days pending" in lima  # the window is open on 1 June: a word, no number
    assert "Retained after 90 days 0" not in lima


def test_groups_link_to_their_events(app: flask.Flask, compared: Store) -> None:  # noqa: F811
    _status, html = _get(app, "/compare?by=region")
    assert 'href="/?region=Latin+America"' in html
    assert 'href="/?region=Sub-Saharan+Africa"' in html
    unknown = _group_section(html, "(not given)")
    assert "List these events" not in unknown  # no filter finds the events that leave it empty


def test_statuses_are_words_never_bare_numbers(app: flask.Flask, compared: Store) -> None:  # noqa: F811
    _status, html = _get(app, "/compare?by=region&figure=active_month_4")
    chips = re.findall(r'<span class="cdx-info-chip[^"]*eo-status--(\w+)"><span[^>]*>([^<]*)<', html)
    assert ("pending", "pending") in chips
    assert ("partial", "incomplete data") in chips
    assert _group_row(html, "Latin America") == " Latin America pending 1 3 "


def test_the_chart_is_an_image_with_its_numbers_in_words(app: flask.Flask, compared: Store) -> None:  # noqa: F811
    _status, html = _get(app, "/compare?by=region&figure=retained_30d")
    svg = re.search(r"<svg.*?</svg>", html, re.S)
    assert svg is not None
    chart = svg.group(0)
    assert 'role="img"' in chart
    label = re.search(r'aria-label="([^"]*)"', chart)
    assert label is not None
    assert "Retained after 30 days in each group" in label.group(1)
    assert "Latin America: 1 of 3 (33%)." in label.group(1)
    assert "Sub-Saharan Africa: 2 of 3 (67%), incomplete data." in label.group(1)
    assert "(not given): nobody to count." in label.group(1)
    for forbidden in ("<script", "<style", "style="):
        assert forbidden not in chart
    assert re.findall(r"https?://[^\s\"'<]*", chart) == ["http://www.w3.org/2000/svg"]
    # One bar per group with a value, marked with its status; the partial group drawn as partial.
    assert re.findall(r'data-status="(\w+)"', chart).count("partial") >= 1


def test_in_arabic_the_page_and_its_chart_run_right_to_left(app: flask.Flask, compared: Store) -> None:  # noqa: F811
    _status, html = _get(app, "/compare?by=region&uselang=ar")
    assert 'dir="rtl"' in html
    svg = re.search(r"<svg.*?</svg>", html, re.S)
    assert svg is not None
    assert 'direction="rtl"' in svg.group(0)
    assert 'transform="matrix(-1 0 0 1 420 0)"' in svg.group(0)
    _status, html = _get(app, "/compare?by=region")
    svg = re.search(r"<svg.*?</svg>", html, re.S)
    assert svg is not None
    assert 'direction="ltr"' in svg.group(0)
    assert "matrix(-1" not in svg.group(0)
