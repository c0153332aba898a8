"""DATETIME values read from MariaDB: the fast reader answers exactly what PyMySQL's own would."""

from __future__ import annotations

import pytest
from pymysql.converters import convert_datetime

from tool.store.mariadb import read_datetime


@pytest.mark.parametrize(
    "text",
    [
        "2026-01-02 03:04:05",  # what a DATETIME column sends
        "2026-01-02 03:04:05.5",  # fractions of any precision, DATETIME(1) to DATETIME(6)
        "2026-01-02 03:04:05.123",
        "2026-01-02 03:04:05.000001",
        "2024-02-29 23:59:59",
        "0000-00-00 00:00:00",  # a zero date: left as text
        "2026-02-31 00:00:00",  # no such day: left as text
        "2026-01-02",  # a date alone
        "2026-01-02T03:04:05",
        "2026-01-02 03:04:05+01:00",
        "2026-01-02 03:04:05.1234567",
        "2026-01-02 03:04:05.",
    ],
)
def test_datetimes_are_read_as_pymysql_reads_them(text: str) -> None:
    expected = convert_datetime(text)
    got = read_datetime(text)
    assert (type(got), got) == (type(expected), expected)
