"""CampaignEvents registrations: pagination, private and hidden people, local times.

The extension cannot run on Debian's MediaWiki, so a loopback server answers in the shapes of
its REST module (src/Rest/Schema/EventRegistration.json and ParticipantList.json, 20 rows a page).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from tests.wiki_double import Answer, Script, routed_wiki
from tool.wiki.api import ApiClient
from tool.wiki.campaignevents import RegistrationError, fetch_registration

REGISTRATION = {
    "id": 1234,
    "name": "Wikipedia training for librarians, Nairobi",
    "event_page": "Event:Wikipedia training for librarians, Nairobi",
    "event_page_wiki": "metawiki",
    "status": "closed",
    "timezone": "Africa/Nairobi",
    "start_time": "20260314090000",
    "end_time": "20260315170000",
    "types": ["training-seminar"],
    "wikis": ["swwiki", "enwiki"],
    "topics": [],
    "online_meeting": False,
    "inperson_meeting": True,
    "meeting_country_code": "KE",
    "meeting_address": None,
    "is_test_event": False,
    "tracks_contributions": True,
    "tracking_tools": [],
    "questions": [],
}


def _people(count: int) -> list[dict[str, Any]]:
    rows = []
    for i in range(1, count + 1):
        row: dict[str, Any] = {
            "participant_id": 100 + i,
            "user_id": 5000 + i,
            "user_name": f"Mshiriki {i}",
            "user_page": {
                "path": f"/wiki/User:Mshiriki_{i}",
                "title": f"Mshiriki {i}",
                "classes": "mw-userlink",
            },
            "user_registered_at": "20260301101500",
            "user_registered_at_formatted": "10:15, 1 March 2026",
            "private": False,
        }
        if i == 7:  # an account that no longer resolves: listed without a name
            del row["user_name"], row["user_page"]
            row["not_found"] = True
        rows.append(row)
    return rows


def _route(people: list[dict[str, Any]], private: int) -> Any:
    def route(path: str, params: dict[str, str]) -> Answer:
        if path == "/w/rest.php/campaignevents/v0/event_registration/1234":
            return Answer(200, REGISTRATION)
        if path == "/w/rest.php/campaignevents/v0/event_registration/1234/participants":
            assert params["include_private"] == "false"
            last = int(params.get("last_participant_id", 0))
            # Private registrations are never listed to us; the server leaves them out.
            visible = [p for p in people if p["participant_id"] > last][:20]
            return Answer(200, visible)
        return Answer(404, {"errorKey": "rest-no-match", "httpCode": 404})

    return route


def test_every_public_participant_over_several_pages() -> None:
    script = Script([])
    with routed_wiki(_route(_people(45), private=3), script) as api:
        result = fetch_registration(ApiClient(api, sleep=lambda s: None), 1234)
    assert len(result.participants) == 44  # 45 rows, one without a name
    assert result.not_visible == 1
    assert result.participants[0].user_name == "Mshiriki 1"
    assert result.participants[0].user_id == 5001
    pages = [
        r["params"].get("last_participant_id") for r in script.requests if r["path"].endswith("/participants")
    ]
    assert pages == [None, "120", "140", "145"]  # 20 + 20 + 5, then an empty page ends the list


def test_times_are_converted_from_the_event_timezone() -> None:
    with routed_wiki(_route(_people(1), private=0)) as api:
        registration = fetch_registration(ApiClient(api, sleep=lambda s: None), 1234).registration
    # Nairobi is UTC+3 all year: 09:00 local is 06:00 UTC.
    assert registration.start == datetime(2026, 3, 14, 6, 0, tzinfo=UTC)
    assert registration.end == datetime(2026, 3, 15, 14, 0, tzinfo=UTC)
    assert registration.wikis == ("swwiki", "enwiki")


def test_a_missing_registration_says_so() -> None:
    with (
        routed_wiki(_route([], private=0)) as api,
        pytest.raises(RegistrationError, match="no event registration 99"),
    ):
        fetch_registration(ApiClient(api, sleep=lambda s: None), 99)


def test_a_malformed_registration_is_an_error_not_a_guess() -> None:
    def route(path: str, params: dict[str, str]) -> Answer:
        return Answer(200, {**REGISTRATION, "timezone": "Mars/Olympus_Mons"})

    with routed_wiki(route) as api, pytest.raises(RegistrationError, match="unknown timezone"):
        fetch_registration(ApiClient(api, sleep=lambda s: None), 1234)
