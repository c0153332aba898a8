"""Dates, numbers and fields are bounded (DESIGN §5 "Bounds"): beyond them, a problem on the page.

Each case is a value an organizer could type (or a vandal paste); none may raise, and none may
reach the store as a number it cannot hold or a date that overflows later arithmetic.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tool.wiki.eventpage import ParsedEvent, parse_event
from tool.wiki.eventtime import parse_moment
from tool.wiki.registry import Registry
from tool.wiki.siteinfo import SiteInfo

META = SiteInfo.from_api(json.loads((Path(__file__).parent / "data" / "siteinfo-metawiki.json").read_text()))
NEXT_YEARS = datetime.now(UTC).year + 5


def parse(fields: str) -> ParsedEvent:
    """An event page whose template is on line 1; ``fields`` ("|name=value" pieces) replace or add
    to those of a valid event."""
    given = dict(piece.split("=", 1) for piece in fields.split("|")[1:])
    values = {"start": "2026-03-14", "end": "2026-03-15", "wikis": "swwiki", **given}
    template = "{{Event outcomes" + "".join(f"|{name}={value}" for name, value in values.items()) + "}}"
    return parse_event(template + "\n== Participants ==\n", META, Registry(), title="Event:Bounds")


def problems(event: ParsedEvent) -> list[tuple[str, str, dict[str, str]]]:
    return [(p.field, p.code, p.params) for p in event.problems]


def test_a_registration_of_5000_digits_is_a_problem_not_a_crash() -> None:
    event = parse("|registration=" + "7" * 5000)
    assert event.registration is None
    assert problems(event) == [("registration", "problem-bad-registration", {"value": "7" * 80 + "…"})]


@pytest.mark.parametrize(
    ("value", "stored"),
    [("9223372036854775807", 9223372036854775807), ("9223372036854775808", None), ("12", 12)],
)
def test_a_registration_fits_the_store(value: str, stored: int | None) -> None:
    # The store's column is a BIGINT: 2**63 - 1 is the largest number it holds.
    assert parse("|registration=" + value).registration == stored


@pytest.mark.parametrize(
    ("field", "value", "zone"),
    [
        ("end", "9999-12-31", "America/New_York"),  # 10000-01-01 in UTC: beyond datetime
        ("start", "0001-01-01", "Asia/Tokyo"),  # year 0 in UTC
        ("start", "2000-12-31", "UTC"),
        ("end", f"{NEXT_YEARS + 1}-01-01", "UTC"),
    ],
)
def test_years_outside_2001_to_five_years_ahead_are_a_problem(field: str, value: str, zone: str) -> None:
    event = parse(f"|timezone={zone}|{field}={value}")
    assert getattr(event, field) is None
    assert (field, "problem-date-out-of-range") in [(f, c) for f, c, _ in problems(event)]
    found = next(p for p in event.problems if p.code == "problem-date-out-of-range")
    assert found.params == {"value": value, "first": "2001", "last": str(NEXT_YEARS)}
    assert f"2001 to {NEXT_YEARS}" in found.message


def test_the_edges_of_the_years_are_inside() -> None:
    event = parse(f"|start=2001-01-01|end={NEXT_YEARS}-12-31")
    assert [c for _, c, _ in problems(event)] == ["problem-event-too-long"]  # but far too long
    event = parse("|start=2001-01-01|end=2001-01-02")
    assert event.start == datetime(2001, 1, 1, tzinfo=UTC)
    assert problems(event) == []


def test_an_event_longer_than_two_years_is_a_problem() -> None:
    event = parse("|start=2024-01-01|end=2026-01-02")
    assert (event.start, event.end) == (None, None)
    assert problems(event) == [
        ("end", "problem-event-too-long", {"start": "2024-01-01", "end": "2026-01-02", "years": "2"})
    ]
    two_years = parse("|start=2024-01-01|end=2025-12-31")
    assert two_years.end == datetime(2025, 12, 31, 23, 59, 59, tzinfo=UTC)


def test_a_time_outside_datetime_is_no_time() -> None:
    # OverflowError used to escape: 0001-01-01 east of UTC is in year 0.
    assert parse_moment("0001-01-01", "Asia/Tokyo", end_of_day=False) is None
    assert parse_moment("9999-12-31T23:00-05:00", "UTC", end_of_day=False) is None


def test_more_than_20_wikis_are_a_problem() -> None:
    languages = ("de", "en", "es", "fr", "it", "ja", "nl", "pl", "pt", "ru", "sv", "uk", "vi", "zh", "ar",
                 "fa", "he", "id", "ko", "tr", "cs")  # fmt: skip
    event = parse("|wikis=" + ", ".join(f"{code}wiki" for code in languages))
    assert len(event.wikis) == 20
    assert event.wikis[-1] == "trwiki"
    assert problems(event) == [("wikis", "problem-too-many-wikis", {"limit": "20", "value": "cswiki"})]


@pytest.mark.parametrize("value", ["4294967296", "1" + "0" * 30, "9" * 5000, "0, 2147483648"])
def test_namespaces_beyond_the_store_are_a_problem(value: str) -> None:
    event = parse("|namespaces=" + value)
    assert event.namespaces == [0]
    assert [(f, c) for f, c, _ in problems(event)] == [("namespaces", "problem-bad-namespaces")]


def test_the_largest_namespace_number_is_kept() -> None:
    assert parse("|namespaces=0, 2147483647").namespaces == [0, 2147483647]


def test_goals_beyond_any_outcome_are_a_problem() -> None:
    event = parse(
        "|goal_participants=1e13|goal_edits_during=" + "9" * 5000 + "|goal_retained_7d=1000000000000"
    )
    assert event.goals == {"retained_7d": 1_000_000_000_000}
    assert problems(event) == [
        ("goal_participants", "problem-goal-too-large", {"goal": "participants", "value": "1e13",
                                                         "limit": "1,000,000,000,000"}),
        ("goal_edits_during", "problem-bad-goal", {"goal": "edits_during", "value": "9" * 80 + "…"}),
    ]  # fmt: skip
