"""Jinja filters (and globals of the same names) that write numbers and dates in the page's language.

    {{ figure.value | format_number }}            1 234 in French, 1,234 in English
    {{ mean | format_number(1) }}                 one digit after the decimal sign: 3,5
    {{ share | format_percent }}                  0.425 -> 42 % (format_percent(1) -> 42,5 %)
    {{ event.start | format_date }}               14 mar 2026 in Spanish
    {{ format_date_range(start, end) }}           14–16 mars 2026
    {{ computed_at | format_datetime }}           14 mars 2026, 09:05 TU (UTC)
    {{ format_datetime(start, event.timezone) }}  in another zone, named after the time

The language is the one toolforge-i18n chose for the request (qqx shows English numbers).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import flask

from tool import formats


def _language() -> str:
    return str(flask.g.get("interface_language_code", "en"))


def format_number(value: formats.Number, digits: int | None = None) -> str:
    return formats.format_number(value, _language(), digits)


def format_percent(value: formats.Number, digits: int = 0) -> str:
    return formats.format_percent(value, _language(), digits)


def format_date(value: dt.date) -> str:
    return formats.format_date(value, _language())


def format_date_range(start: dt.date, end: dt.date) -> str:
    return formats.format_date_range(start, end, _language())


def format_datetime(value: dt.datetime, timezone: str = "UTC") -> str:
    return formats.format_datetime(value, _language(), timezone)


FILTERS: dict[str, Callable[..., Any]] = {
    "format_number": format_number,
    "format_percent": format_percent,
    "format_date": format_date,
    "format_date_range": format_date_range,
    "format_datetime": format_datetime,
}


def init_app(app: flask.Flask) -> None:
    app.jinja_env.filters.update(FILTERS)
    app.jinja_env.globals.update(FILTERS)
