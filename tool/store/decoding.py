"""Values read from the database faster than the libraries' defaults, and never differently.

The events list reads 1,000 rows of 27 columns on every view of the home page; two conversions
took a third of its time in Python (docs/performance.md):

- PyMySQL (the MariaDB driver) turns each DATETIME into a ``datetime`` with a regular expression
  and seven ``int`` calls, several µs a value, 5,000 values. ``datetime.fromisoformat`` reads the
  text MariaDB sends (``YYYY-MM-DD hh:mm:ss[.ffffff]``) into the same value over ten times faster.
- ``json.loads``, which SQLAlchemy calls for every JSON column (6,000 values), spends most of its
  time on small documents around the C decoder; ``JSONDecoder.raw_decode`` is that decoder.

Anything but the usual shape goes to the library's own function, so the answer is always its.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from pymysql.constants import FIELD_TYPE
from pymysql.converters import conversions, convert_datetime


def read_datetime(text: str) -> datetime | date | str:
    """What PyMySQL's ``convert_datetime`` answers for ``text``."""
    # Only the shape MariaDB sends for a DATETIME goes the fast way ("2026-01-02 03:04:05" and at
    # most six digits of fraction): fromisoformat would also read a date alone, an offset or a
    # seventh digit, where PyMySQL answers otherwise.
    if text[10:11] == " " and (len(text) == 19 or (21 <= len(text) <= 26 and text[19] == ".")):
        try:
            return datetime.fromisoformat(text)
        except ValueError:
            pass  # a zero date ("0000-00-00 00:00:00") or no such day: PyMySQL keeps the text
    result: datetime | date | str = convert_datetime(text)
    return result


# PyMySQL's own table with DATETIME and TIMESTAMP read faster; passed as ``conv`` to connect.
CONVERSIONS: dict[Any, Any] = {
    **conversions,
    FIELD_TYPE.DATETIME: read_datetime,
    FIELD_TYPE.TIMESTAMP: read_datetime,
}

_decoder = json.JSONDecoder()


def read_json(text: str | bytes) -> Any:
    """What ``json.loads`` answers for ``text`` (SQLAlchemy's ``json_deserializer``)."""
    if isinstance(text, str):
        try:
            value, end = _decoder.raw_decode(text)
        except json.JSONDecodeError:
            pass  # leading white space, or no JSON at all: json.loads says which
        else:
            if end == len(text):
                return value
    return json.loads(text)  # white space around the document, bytes, or an error to raise
