"""Numbers and dates written as a language writes them (1 234,5 in French, 14 mar 2026 in Spanish).

Plain functions of a value and a MediaWiki language code, for exports, the CLI and the bot; the
pages call the same functions through the Jinja filters of tool/web/formats.py, in the page's
language. Babel does the work, with the locale toolforge-i18n maps the language to.
"""

from __future__ import annotations

import copy
import datetime as dt
from decimal import Decimal
from functools import lru_cache
from zoneinfo import ZoneInfo

import babel
import babel.dates
import babel.numbers
from toolforge_i18n import lang_fallbacks

import tool_translations_config
from tool import languages

Number = int | float | Decimal


@lru_cache(maxsize=64)  # bounded: a CLI or bot may be handed any code, and a Locale is heavy
def babel_locale(language: str) -> babel.Locale:
    """Babel's locale for a MediaWiki language code, following MediaWiki's fallbacks, then English.

    Babel does not know every language MediaWiki has (nor "qqx"); such a language gets the numbers
    and dates of the language its messages fall back to.
    """
    languages.install_snapshot()
    to_babel = tool_translations_config.config.language_code_to_babel
    for code in (language, *lang_fallbacks(language)):
        try:
            return babel.Locale.parse(to_babel(code).replace("-", "_"))
        except (ValueError, babel.UnknownLocaleError):
            continue
    return babel.Locale("en")


def format_number(value: Number, language: str, digits: int | None = None) -> str:
    """``value`` with the language's digit grouping and decimal sign.

    With ``digits``, exactly that many digits after the decimal sign (rounded half to even, as
    Python's round()); without, the number as it is, up to three decimals.
    """
    locale = babel_locale(language)
    return _apply(locale.decimal_formats[None], _checked(value), locale, digits)


def format_percent(value: Number, language: str, digits: int = 0) -> str:
    """A share (0.425) as the language writes a percentage ("42,5 %" in French with digits=1)."""
    locale = babel_locale(language)
    return _apply(locale.percent_formats[None], _checked(value), locale, digits)


#: Day, abbreviated month, year. Not the "medium" style: Arabic's is all digits (14/03/2026), so
#: the same day would read differently from the ranges, which are built on this skeleton too.
DAY_SKELETON = "yMMMd"


def format_date(value: dt.date, language: str) -> str:
    """A day as the language writes it: "Mar 14, 2026", "14 mars 2026", "14 mar 2026", "14 مارس 2026".

    A datetime gives its own calendar day: convert it to the time zone that matters first.
    """
    return babel.dates.format_skeleton(DAY_SKELETON, _day(value), locale=babel_locale(language))


def format_date_range(start: dt.date, end: dt.date, language: str) -> str:
    """Two days as one span: "14–16 mars 2026", or "14 mars 2026 – 2 avr. 2026" across months.

    Within one month the locale's own interval pattern says it best; across months or years some
    CLDR locales' patterns drop the first month (Swahili gives "14 – 2 Apr 2026" for 14 March to
    2 April), so two whole dates are joined with the locale's fallback interval pattern instead.
    """
    locale = babel_locale(language)
    first, last = _day(start), _day(end)
    if first == last:
        return format_date(first, language)
    if (first.year, first.month) == (last.year, last.month):
        return babel.dates.format_interval(first, last, DAY_SKELETON, locale=locale)
    pattern = locale.interval_formats.get(None, "{0} – {1}")
    return str(pattern).format(format_date(first, language), format_date(last, language))


def format_datetime(value: dt.datetime, language: str, timezone: str = "UTC") -> str:
    """A moment as the language writes it, in ``timezone`` (an IANA name), named after the time.

    "Mar 14, 2026, 9:05 AM UTC", "14 mars 2026, 09:05 TU" (CLDR's French for UTC); a zone without
    a name in the locale gets its offset ("+0300"). A naive datetime is taken as UTC, the way the
    store keeps every time.
    """
    locale = babel_locale(language)
    zone = ZoneInfo(timezone)
    moment = (value if value.tzinfo else value.replace(tzinfo=dt.UTC)).astimezone(zone)
    day = format_date(moment, language)
    time_pattern = locale.time_formats["short"].pattern + " z"
    time = babel.dates.format_time(moment, time_pattern, tzinfo=zone, locale=locale)
    # The locale's own glue of a day and a time ("{1}, {0}"; Arabic joins with "، ").
    return str(locale.datetime_formats["medium"]).replace("{1}", day).replace("{0}", time)


def _checked(value: Number) -> Number:
    # A missing figure is not zero (and not an empty cell): its status must be shown instead, so
    # a None here is the caller's mistake, said loudly rather than written as nothing.
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise TypeError(f"not a number to format: {value!r}")
    return value


def _apply(
    pattern: babel.numbers.NumberPattern, value: Number, locale: babel.Locale, digits: int | None
) -> str:
    if digits is not None:
        pattern = copy.copy(pattern)
        pattern.frac_prec = (digits, digits)
    return pattern.apply(value, locale)


def _day(value: dt.date) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value
