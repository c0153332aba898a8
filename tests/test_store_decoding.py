"""Values read from the database: the fast readers answer exactly what the libraries' own would."""

from __future__ import annotations

import json

import pytest
from pymysql.converters import convert_datetime

from tool.store.decoding import read_datetime, read_json


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


@pytest.mark.parametrize(
    "text",
    ['{"region": "Africa"}', "[0]", "{}", "[]", '"Ana"', "1.5", "null", " [1]", "[1]\n", b'{"a": [1, 2]}'],
)
def test_json_is_read_as_json_loads_reads_it(text: str | bytes) -> None:
    assert read_json(text) == json.loads(text)


@pytest.mark.parametrize("text", ["", "[1] [2]", "{", "Ana"])
def test_json_that_is_not_json_fails_as_json_loads_fails(text: str) -> None:
    with pytest.raises(json.JSONDecodeError) as expected:
        json.loads(text)
    with pytest.raises(json.JSONDecodeError, match=f"^{expected.value.msg}"):
        read_json(text)
