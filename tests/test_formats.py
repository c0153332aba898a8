"""Numbers and dates as each interface language writes them (Babel's CLDR data), in Python and in pages."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import flask
import pytest

from tests.store_fixtures import migrated
from tool import create_app
from tool.formats import format_date, format_date_range, format_datetime, format_number, format_percent

NNBSP = "\u202f"  # narrow no-break space: French digit groups
NBSP = "\u00a0"  # no-break space: before the French and Spanish percent sign
THIN = "\u2009"  # around the dash of a date range in several locales

MARCH_14 = dt.date(2026, 3, 14)


def test_french_groups_digits_with_a_narrow_no_break_space_and_a_decimal_comma() -> None:
    assert format_number(1234.5, "fr") == f"1{NNBSP}234,5"
    assert format_number(1234567, "fr") == f"1{NNBSP}234{NNBSP}567"


def test_other_languages_group_and_mark_decimals_their_own_way() -> None:
    assert format_number(1234.5, "en") == "1,234.5"
    assert format_number(1234.5, "es") == "1.234,5"
    assert format_number(1234.5, "sw") == "1,234.5"
    # Babel's Arabic locale writes Western digits by default (CLDR's "latn" numbering system for
    # ar), with a comma between groups and a point before the decimals.
    assert format_number(1234.5, "ar") == "1,234.5"
    assert format_number(-1234.5, "ar").endswith("1,234.5")


def test_digits_fixes_the_number_of_decimals() -> None:
    assert format_number(3.14159, "fr", 2) == "3,14"
    assert format_number(2, "en", 1) == "2.0"
    assert format_number(2.5, "en", 0) == "2"  # half to even, as round() does
    assert format_number(Decimal("0.125"), "es", 2) == "0,12"
    assert format_number(1234.5, "es", 2) == "1.234,50"


def test_a_missing_figure_is_refused_not_written_as_nothing() -> None:
    for value in (None, "12", True):
        with pytest.raises(TypeError):
            format_number(value, "en")  # type: ignore[arg-type]


def test_percentages() -> None:
    assert format_percent(0.425, "en") == "42%"  # half to even
    assert format_percent(0.425, "fr", 1) == f"42,5{NBSP}%"
    assert format_percent(0.5, "es") == f"50{NBSP}%"


def test_dates_in_spanish_and_the_other_languages() -> None:
    assert format_date(MARCH_14, "es") == "14 mar 2026"
    assert format_date(MARCH_14, "en") == "Mar 14, 2026"
    assert format_date(MARCH_14, "fr") == "14 mars 2026"
    assert format_date(MARCH_14, "sw") == "14 Mac 2026"
    assert format_date(MARCH_14, "ar") == "14 مارس 2026"
    # A datetime gives its own day (the caller converts it to the event's zone first).
    assert format_date(dt.datetime(2026, 3, 14, 23, 30, tzinfo=dt.UTC), "es") == "14 mar 2026"


def test_date_ranges() -> None:
    assert format_date_range(MARCH_14, dt.date(2026, 3, 16), "fr") == "14–16 mars 2026"
    assert format_date_range(MARCH_14, dt.date(2026, 3, 16), "es") == "14–16 mar 2026"
    assert format_date_range(MARCH_14, MARCH_14, "es") == "14 mar 2026"
    # Across months each end is a whole date: CLDR's Swahili pattern would drop March.
    assert format_date_range(MARCH_14, dt.date(2026, 4, 2), "sw") == f"14 Mac 2026{THIN}–{THIN}2 Apr 2026"
    assert format_date_range(dt.date(2025, 12, 30), dt.date(2026, 1, 2), "en") == (
        f"Dec 30, 2025{THIN}–{THIN}Jan 2, 2026"
    )


def test_datetimes_name_their_time_zone() -> None:
    moment = dt.datetime(2026, 3, 14, 9, 5, tzinfo=dt.UTC)
    assert format_datetime(moment, "es") == "14 mar 2026, 9:05 UTC"
    assert format_datetime(moment, "fr") == "14 mars 2026, 09:05 TU"  # CLDR's French for UTC
    assert format_datetime(moment, "en") == f"Mar 14, 2026, 9:05{NNBSP}AM UTC"
    assert format_datetime(moment, "sw", "Africa/Nairobi") == "14 Mac 2026 12:05 +0300"
    # The store's naive times are UTC.
    assert format_datetime(dt.datetime(2026, 3, 14, 9, 5), "es") == "14 mar 2026, 9:05 UTC"


def test_languages_babel_lacks_follow_mediawiki_fallbacks() -> None:
    assert format_number(1234.5, "frc") == f"1{NNBSP}234,5"  # Cajun French falls back to French
    assert format_number(1234.5, "qqx") == "1,234.5"  # no locale at all: English
    assert format_number(1234.5, "not-a-language") == "1,234.5"


@pytest.fixture
def app(tmp_path: Path) -> flask.Flask:
    return create_app({"DATABASE_URL": migrated(f"sqlite:///{tmp_path / 'store.sqlite'}"), "TESTING": True})


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("fr", f"1{NNBSP}234,5 | 3,1 | 42{NBSP}% | 14 mars 2026 | 14–16 mars 2026 | 14 mars 2026, 09:05 TU"),
        ("es", f"1.234,5 | 3,1 | 42{NBSP}% | 14 mar 2026 | 14–16 mar 2026 | 14 mar 2026, 9:05 UTC"),
        (
            "qqx",
            f"1,234.5 | 3.1 | 42% | Mar 14, 2026 | Mar 14{THIN}–{THIN}16, 2026 | "
            f"Mar 14, 2026, 9:05{NNBSP}AM UTC",
        ),
    ],
)
def test_templates_format_in_the_page_language(app: flask.Flask, language: str, expected: str) -> None:
    template = (
        "{{ 1234.5 | format_number }} | {{ format_number(3.14159, 1) }} | {{ 0.42 | format_percent }} | "
        "{{ day | format_date }} | {{ format_date_range(day, last) }} | {{ moment | format_datetime }}"
    )
    with app.test_request_context(f"/?uselang={language}"):
        app.preprocess_request()  # toolforge-i18n picks the request's language before the view
        rendered = flask.render_template_string(
            template,
            day=MARCH_14,
            last=dt.date(2026, 3, 16),
            moment=dt.datetime(2026, 3, 14, 9, 5, tzinfo=dt.UTC),
        )
    assert rendered == expected
