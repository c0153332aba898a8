"""Time zones as organizers write them: IANA names, UTC offsets, and abbreviations (DESIGN §4).

``timezone = Africa/Nairobi`` is what the tool stores, but people write ``EAT``, ``UTC+3`` or
``+05:30``. An abbreviation is understood when it names one zone in practice (the table below,
documented in docs/event-pages.md); one that is used for several zones (``CST``: Chicago, China
or Cuba) is refused with its candidates, never guessed. A name that is none of these gets the
nearest one or two names as suggestions ("Nairobi" → Africa/Nairobi).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from zoneinfo import available_timezones

from tool.wiki.nearest import nearest

# Abbreviations that name one zone in practice → the zone whose local time people mean (its
# summer time included: CEST and the IANA name CET both mean Central European local time).
# IANA's own names (CET, EET, WET, MET, EST, MST, HST, GMT, UTC) are read as IANA defines them.
ABBREVIATIONS: dict[str, str] = {
    # Africa
    "EAT": "Africa/Nairobi",  # East Africa Time, UTC+3
    "CAT": "Africa/Maputo",  # Central Africa Time, UTC+2
    "WAT": "Africa/Lagos",  # West Africa Time, UTC+1
    "SAST": "Africa/Johannesburg",  # South Africa Standard Time, UTC+2
    # Europe
    "CEST": "Europe/Brussels",  # Central European Summer Time
    "WEST": "Europe/Lisbon",  # Western European Summer Time
    "MSK": "Europe/Moscow",
    "TRT": "Europe/Istanbul",
    # Asia
    "IST": "Asia/Kolkata",  # India Standard Time: how most events that write IST mean it
    "IDT": "Asia/Jerusalem",  # Israel Daylight Time
    "GST": "Asia/Dubai",  # Gulf Standard Time
    "IRST": "Asia/Tehran",
    "AFT": "Asia/Kabul",
    "PKT": "Asia/Karachi",
    "NPT": "Asia/Kathmandu",
    "SLST": "Asia/Colombo",
    "MMT": "Asia/Yangon",
    "ICT": "Asia/Bangkok",  # Indochina Time (Bangkok, Hanoi, Phnom Penh, Vientiane: one offset)
    "WIB": "Asia/Jakarta",
    "WITA": "Asia/Makassar",
    "WIT": "Asia/Jayapura",
    "MYT": "Asia/Kuala_Lumpur",
    "SGT": "Asia/Singapore",
    "HKT": "Asia/Hong_Kong",
    "PHT": "Asia/Manila",
    "JST": "Asia/Tokyo",
    "KST": "Asia/Seoul",
    # Oceania
    "AWST": "Australia/Perth",
    "ACDT": "Australia/Adelaide",
    "AEDT": "Australia/Sydney",
    "NZST": "Pacific/Auckland",
    "NZDT": "Pacific/Auckland",
    # The Americas
    "ET": "America/New_York",
    "EDT": "America/New_York",
    "MDT": "America/Denver",
    "PT": "America/Los_Angeles",
    "PDT": "America/Los_Angeles",
    "AKST": "America/Anchorage",
    "AKDT": "America/Anchorage",
    "ADT": "America/Halifax",
    "ART": "America/Argentina/Buenos_Aires",
    "BRT": "America/Sao_Paulo",
    "CLT": "America/Santiago",
    "COT": "America/Bogota",
    "PET": "America/Lima",
    "VET": "America/Caracas",
    "UYT": "America/Montevideo",
    "BOT": "America/La_Paz",
}
# Abbreviations used for more than one zone: refused, with the zones they may mean.
AMBIGUOUS: dict[str, tuple[str, ...]] = {
    "CST": ("America/Chicago", "Asia/Shanghai", "America/Havana"),  # US Central, China, Cuba
    "CDT": ("America/Chicago", "America/Havana"),
    "BST": ("Europe/London", "Asia/Dhaka"),  # British Summer Time, Bangladesh Standard Time
    "AST": ("America/Halifax", "Asia/Riyadh"),  # Atlantic, Arabia
    "PST": ("America/Los_Angeles", "Asia/Manila"),  # Pacific, Philippine
    "EEST": ("Europe/Athens", "Africa/Cairo"),  # their summer times start and end on other days
    "AEST": ("Australia/Sydney", "Australia/Brisbane"),  # Queensland keeps standard time all year
    "ACST": ("Australia/Adelaide", "Australia/Darwin"),  # the Northern Territory too
    "SST": ("Pacific/Pago_Pago", "Asia/Singapore"),  # Samoa, Singapore
    "ECT": ("America/Guayaquil", "America/Port_of_Spain"),  # Ecuador, Eastern Caribbean
}
# Offsets that are not whole hours have no Etc/ zone; these zones have kept exactly that offset
# all year since 2001 (tests/test_timezones.py checks it), so their local time is the offset.
FRACTIONAL_OFFSETS: dict[str, str] = {
    "+04:30": "Asia/Kabul",
    "+05:30": "Asia/Kolkata",
    "+05:45": "Asia/Kathmandu",
    "+06:30": "Asia/Yangon",
    "+09:30": "Australia/Darwin",
    "-09:30": "Pacific/Marquesas",
}
# Offsets of zones that change with the seasons (or did since 2001): the zone must be named.
SEASONAL_OFFSETS: dict[str, tuple[str, ...]] = {
    "+03:30": ("Asia/Tehran",),
    "-03:30": ("America/St_Johns",),
    "-02:30": ("America/St_Johns",),
    "+08:45": ("Australia/Eucla",),
    "+10:30": ("Australia/Adelaide", "Australia/Lord_Howe"),
    "+12:45": ("Pacific/Chatham",),
    "+13:45": ("Pacific/Chatham",),
}
# "UTC+3", "GMT-5", "+03:00", "UTC+05:30": anchored, each part bounded, on a value of at most
# MAX_LENGTH characters (checked first).
_OFFSET = re.compile(r"^(?:UTC|GMT)?\s*([+-])\s*(\d{1,2})(?:[:.]?(\d{2}))?$", re.IGNORECASE)
# Longer than any zone name (the longest IANA name has 32 characters): not worth comparing.
MAX_LENGTH = 64
MAX_SUGGESTIONS = 2
# Zone names are long and alike ("Africa/Accra", "Africa/Lagos"): only a near spelling is a suggestion.
SPELLING_CUTOFF = 0.8
# Names in the tz database that are no place's time: the server's own zone, and "-00".
_NOT_ZONES = frozenset({"localtime", "Factory"})


@dataclass(frozen=True)
class ZoneReading:
    """What a ``timezone =`` value names: a zone, or why not (candidates, suggestions)."""

    zone: str | None  # the IANA name
    candidates: tuple[str, ...] = ()  # an ambiguous abbreviation: the zones it may mean
    suggestions: tuple[str, ...] = ()  # not a zone: the nearest names


def read_timezone(value: str) -> ZoneReading:
    """``Africa/Nairobi``, ``africa/nairobi``, ``EAT``, ``UTC+3`` or ``+05:30`` → its IANA zone."""
    text = " ".join(value.split())
    if not text or len(text) > MAX_LENGTH:
        return ZoneReading(None)
    offset = _OFFSET.match(text)
    if offset:
        return _offset_zone(offset.group(1), int(offset.group(2)), int(offset.group(3) or 0))
    name = text.replace(" ", "_")
    if name.upper() in ("UTC", "GMT", "Z"):
        return ZoneReading("UTC")
    zone = _zones().get(name.casefold())
    if zone is not None:
        return ZoneReading(zone)
    upper = name.upper()
    if upper in ABBREVIATIONS:
        return ZoneReading(ABBREVIATIONS[upper])
    if upper in AMBIGUOUS:
        return ZoneReading(None, candidates=AMBIGUOUS[upper])
    return ZoneReading(None, suggestions=_nearest(name.casefold()))


def resolve_timezone(value: str) -> str | None:
    """The IANA name of the zone ``value`` names, or None."""
    return read_timezone(value).zone


def _offset_zone(sign: str, hours: int, minutes: int) -> ZoneReading:
    if minutes == 0:
        # Etc/GMT zones spell the sign reversed: UTC+3 is Etc/GMT-3.
        name = "UTC" if hours == 0 else f"Etc/GMT{'-' if sign == '+' else '+'}{hours}"
        zone = _zones().get(name.casefold())
        return ZoneReading(zone)
    written = f"{sign}{hours:02d}:{minutes:02d}"
    if written in FRACTIONAL_OFFSETS:
        return ZoneReading(FRACTIONAL_OFFSETS[written])
    return ZoneReading(None, suggestions=SEASONAL_OFFSETS.get(written, ())[:MAX_SUGGESTIONS])


def _nearest(name: str) -> tuple[str, ...]:
    """The zones a name is nearest to: a city's own zone first ("nairobi"), then close spellings."""
    places = _places()
    if name in places:
        return places[name][:MAX_SUGGESTIONS]
    spellings = _spellings()
    found: dict[str, None] = {}  # a dict keeps the order and drops repeats
    for spelling in nearest(name, spellings, cutoff=SPELLING_CUTOFF):
        found.setdefault(spellings[spelling])
    return tuple(found)


@cache
def _zones() -> dict[str, str]:
    # Only names the system's tz database lists: ZoneInfo() would also open paths such as "../x".
    return {name.casefold(): name for name in available_timezones() - _NOT_ZONES}


@cache
def _places() -> dict[str, tuple[str, ...]]:
    """A zone's last part ("nairobi", "new_york") → the zones named so."""
    places: dict[str, list[str]] = {}
    for name in sorted(_zones().values()):
        if "/" in name and not name.startswith("Etc/"):
            places.setdefault(name.rsplit("/", 1)[1].casefold(), []).append(name)
    return {place: tuple(zones) for place, zones in places.items()}


@cache
def _spellings() -> dict[str, str]:
    """Every way of writing a zone that suggestions compare with → the zone."""
    spellings = {place: zones[0] for place, zones in _places().items()}
    spellings.update({key: name for key, name in _zones().items() if not key.startswith("etc/")})
    spellings.update({abbreviation.casefold(): zone for abbreviation, zone in ABBREVIATIONS.items()})
    return spellings
