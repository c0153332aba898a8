"""Time zones as organizers write them (issue #13): names, offsets, abbreviations, and refusals.

Every abbreviation the tool accepts is here, each with the zone it is read as; every ambiguous
one is refused with its candidates named; the table in docs/event-pages.md is the code's.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo, available_timezones

import pytest

from tool.wiki.eventpage import ParsedEvent, parse_event
from tool.wiki.eventtime import FIRST_YEAR, last_year
from tool.wiki.registry import Registry
from tool.wiki.siteinfo import SiteInfo
from tool.wiki.timezones import (
    ABBREVIATIONS,
    AMBIGUOUS,
    FRACTIONAL_OFFSETS,
    SEASONAL_OFFSETS,
    ZoneReading,
    read_timezone,
)

DATA = Path(__file__).parent / "data"
META = SiteInfo.from_api(json.loads((DATA / "siteinfo-metawiki.json").read_text()))
DOCS = Path(__file__).parent.parent / "docs" / "event-pages.md"


def parse(zone: str) -> ParsedEvent:
    page = f"{{{{Event outcomes|start=2026-03-14 09:00|end=2026-03-15|timezone={zone}|wikis=enwiki}}}}\n"
    return parse_event(page + "== Participants ==\n", META, Registry(), title="Event:Zones")


# The table as the issue asks for it, written out: a change to the code's table must change this.
ACCEPTED = [
    ("EAT", "Africa/Nairobi"), ("CAT", "Africa/Maputo"), ("WAT", "Africa/Lagos"),
    ("SAST", "Africa/Johannesburg"), ("CEST", "Europe/Brussels"), ("WEST", "Europe/Lisbon"),
    ("MSK", "Europe/Moscow"), ("TRT", "Europe/Istanbul"), ("IST", "Asia/Kolkata"),
    ("IDT", "Asia/Jerusalem"), ("GST", "Asia/Dubai"), ("IRST", "Asia/Tehran"), ("AFT", "Asia/Kabul"),
    ("PKT", "Asia/Karachi"), ("NPT", "Asia/Kathmandu"), ("SLST", "Asia/Colombo"), ("MMT", "Asia/Yangon"),
    ("ICT", "Asia/Bangkok"), ("WIB", "Asia/Jakarta"), ("WITA", "Asia/Makassar"), ("WIT", "Asia/Jayapura"),
    ("MYT", "Asia/Kuala_Lumpur"), ("SGT", "Asia/Singapore"), ("HKT", "Asia/Hong_Kong"),
    ("PHT", "Asia/Manila"), ("JST", "Asia/Tokyo"), ("KST", "Asia/Seoul"), ("AWST", "Australia/Perth"),
    ("ACDT", "Australia/Adelaide"), ("AEDT", "Australia/Sydney"), ("NZST", "Pacific/Auckland"),
    ("NZDT", "Pacific/Auckland"), ("ET", "America/New_York"), ("EDT", "America/New_York"),
    ("MDT", "America/Denver"), ("PT", "America/Los_Angeles"), ("PDT", "America/Los_Angeles"),
    ("AKST", "America/Anchorage"), ("AKDT", "America/Anchorage"), ("ADT", "America/Halifax"),
    ("ART", "America/Argentina/Buenos_Aires"), ("BRT", "America/Sao_Paulo"), ("CLT", "America/Santiago"),
    ("COT", "America/Bogota"), ("PET", "America/Lima"), ("VET", "America/Caracas"),
    ("UYT", "America/Montevideo"), ("BOT", "America/La_Paz"),
]  # fmt: skip


@pytest.mark.parametrize(("written", "zone"), ACCEPTED)
def test_every_abbreviation_names_its_zone(written: str, zone: str) -> None:
    assert read_timezone(written) == ZoneReading(zone)
    assert read_timezone(written.lower()).zone == zone  # "eat" as well as "EAT"
    assert ABBREVIATIONS[written] == zone


def test_the_abbreviation_table_is_all_tested_and_all_real_zones() -> None:
    assert dict(ACCEPTED) == ABBREVIATIONS
    zones = available_timezones()
    assert set(ABBREVIATIONS.values()) <= zones
    assert {zone for candidates in AMBIGUOUS.values() for zone in candidates} <= zones
    # An IANA name keeps IANA's meaning: no abbreviation of ours hides one.
    assert not (set(ABBREVIATIONS) | set(AMBIGUOUS)) & {name.upper() for name in zones}
    assert not set(ABBREVIATIONS) & set(AMBIGUOUS)


def test_the_issues_example_places_the_dates() -> None:
    event = parse("EAT")
    assert event.problems == []
    assert event.timezone == "Africa/Nairobi"
    assert event.start == datetime(2026, 3, 14, 6, 0, tzinfo=UTC)  # 09:00 in Nairobi (UTC+3)


@pytest.mark.parametrize("written", sorted(AMBIGUOUS))
def test_an_ambiguous_abbreviation_is_refused_with_its_candidates(written: str) -> None:
    event = parse(written)
    assert (event.timezone, event.start, event.end) == ("", None, None)
    [problem] = event.problems
    assert (problem.field, problem.line, problem.code) == ("timezone", 1, "problem-ambiguous-timezone")
    for zone in AMBIGUOUS[written]:
        assert zone in problem.message
    assert problem.message.startswith(f'"{written}" is used for more than one time zone')


def test_cst_names_chicago_china_and_cuba() -> None:
    [problem] = parse("CST").problems
    assert problem.message == (
        '"CST" is used for more than one time zone (America/Chicago, Asia/Shanghai, America/Havana), so '
        "the dates cannot be placed in time: write the zone you mean by its name, such as America/Chicago."
    )


@pytest.mark.parametrize(
    ("written", "zone"),
    [
        ("Africa/Nairobi", "Africa/Nairobi"), ("africa/nairobi", "Africa/Nairobi"),
        ("America/New York", "America/New_York"), ("UTC", "UTC"), ("gmt", "UTC"), ("Z", "UTC"),
        ("CET", "CET"), ("EST", "EST"),  # IANA's own names, as IANA defines them
        ("UTC+3", "Etc/GMT-3"), ("UTC +3", "Etc/GMT-3"), ("GMT-5", "Etc/GMT+5"), ("+03:00", "Etc/GMT-3"),
        ("UTC+03:00", "Etc/GMT-3"), ("-0500", "Etc/GMT+5"), ("UTC+14", "Etc/GMT-14"), ("UTC-0", "UTC"),
        ("+05:30", "Asia/Kolkata"), ("UTC+5:30", "Asia/Kolkata"), ("GMT+0530", "Asia/Kolkata"),
        ("+04:30", "Asia/Kabul"), ("UTC+05:45", "Asia/Kathmandu"), ("+06:30", "Asia/Yangon"),
        ("+09:30", "Australia/Darwin"), ("UTC-09:30", "Pacific/Marquesas"),
    ],
)  # fmt: skip
def test_names_and_offsets(written: str, zone: str) -> None:
    assert read_timezone(written).zone == zone


@pytest.mark.parametrize(("offset", "zone"), sorted(FRACTIONAL_OFFSETS.items()))
def test_a_fractional_offset_is_a_zone_that_kept_it_all_year(offset: str, zone: str) -> None:
    # Honest only while the zone has had exactly this offset on every day the tool follows.
    hours, minutes = int(offset[1:3]), int(offset[4:])
    expected = timedelta(hours=hours, minutes=minutes) * (-1 if offset[0] == "-" else 1)
    moment, end = datetime(FIRST_YEAR, 1, 1, tzinfo=UTC), datetime(last_year(), 12, 31, tzinfo=UTC)
    while moment < end:
        assert moment.astimezone(ZoneInfo(zone)).utcoffset() == expected, moment
        moment += timedelta(days=7)


@pytest.mark.parametrize(("offset", "zones"), sorted(SEASONAL_OFFSETS.items()))
def test_an_offset_that_changes_with_the_seasons_asks_for_the_zone(
    offset: str, zones: tuple[str, ...]
) -> None:
    reading = read_timezone("UTC" + offset)
    assert reading.zone is None
    assert reading.suggestions == zones
    offsets = {
        datetime(year, month, 15, tzinfo=UTC).astimezone(ZoneInfo(zones[0])).utcoffset()
        for year in range(FIRST_YEAR, last_year()) for month in (1, 7)
    }  # fmt: skip
    assert len(offsets) > 1  # really seasonal (or changed since 2001) for the first zone named


@pytest.mark.parametrize(
    ("written", "code", "suggestions"),
    [
        ("Nairobi", "problem-unknown-timezone-did-you-mean", ["Africa/Nairobi"]),
        ("new york", "problem-unknown-timezone-did-you-mean", ["America/New_York"]),
        ("Africa/Nairobbi", "problem-unknown-timezone-did-you-mean", ["Africa/Nairobi"]),
        ("UTC+3:30", "problem-unknown-timezone-did-you-mean", ["Asia/Tehran"]),
        ("UTC+10:30", "problem-unknown-timezone-did-you-mean-two",
         ["Australia/Adelaide", "Australia/Lord_Howe"]),
        ("Mars/Olympus_Mons", "problem-unknown-timezone", []),
        ("UTC+15", "problem-unknown-timezone", []),
        ("localtime", "problem-unknown-timezone", []),  # the server's own zone is no place's
        ("x" * 5000, "problem-unknown-timezone", []),
    ],
)  # fmt: skip
def test_an_unknown_zone_says_what_was_read_and_what_is_near(
    written: str, code: str, suggestions: list[str]
) -> None:
    [problem] = parse(written).problems
    assert problem.code == code
    assert [problem.params[k] for k in ("suggestion", "other") if k in problem.params] == suggestions
    # What was read: the value as the page shows it (underscores are spaces), cut when long.
    assert problem.message.startswith(f'"{written.replace("_", " ")[:80]}')
    if suggestions:
        assert problem.message.endswith(f"Did you mean {' or '.join(suggestions)}?")
    else:  # what is expected, with examples
        assert "such as Africa/Nairobi" in problem.message
        assert "such as UTC+3" in problem.message


def _documented_rows(heading: str) -> dict[str, list[str]]:
    """The table right under ``heading`` in the docs: each abbreviation → the zones it is read as."""
    text = DOCS.read_text(encoding="utf-8")
    table = text.split(heading, 1)[1].split("\n\n", 2)[1]
    rows: dict[str, list[str]] = {}
    for line in table.splitlines()[2:]:  # after the header and its rule
        written, zones = line.strip("|").split("|")[:2]
        rows.update({code: re.findall(r"`([^`]+)`", zones) for code in re.findall(r"`([^`]+)`", written)})
    return rows


def test_the_docs_table_is_the_codes() -> None:
    accepted = _documented_rows("Time-zone abbreviations understood")
    assert accepted == {abbreviation: [zone] for abbreviation, zone in ABBREVIATIONS.items()}
    refused = _documented_rows("Time-zone abbreviations refused")
    assert refused == {abbreviation: list(zones) for abbreviation, zones in AMBIGUOUS.items()}
