"""Read an event registration and its public participants from the CampaignEvents REST API.

Endpoints (extension CampaignEvents, REST module ``campaignevents/v0``):
  GET /w/rest.php/campaignevents/v0/event_registration/{id}
  GET /w/rest.php/campaignevents/v0/event_registration/{id}/participants
        ?include_private=false&last_participant_id={last id of the previous page}
The participants endpoint answers pages of (currently) 20 rows; an empty page ends the list.
Event pages live in the ``Event:`` namespace (1728); the registration of a page is found in the
page's view (see fetch_page_registration_id), since no API looks one up by its page.
Start and end are MediaWiki timestamps *local to the event's timezone*; registration times of
participants are UTC. People are keyed by the global (central) ``user_id``, which survives renames.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from tool.wiki.api import ApiClient

# A guard against a server that never returns an empty page: 20 per page × 5,000 pages.
MAX_PAGES = 5000

#: The namespace CampaignEvents defines for event pages (its extension.json: NS_EVENT, "Event").
EVENT_NAMESPACE = 1728

# The event page header of CampaignEvents puts the registration's id in the page's JS configuration.
_EVENT_ID = re.compile(r'"wgCampaignEventsEventID"\s*:\s*(\d+)')


class RegistrationError(Exception):
    """The registration cannot be read (missing, malformed answer); the message says why."""


@dataclass(frozen=True)
class Registration:
    id: int
    name: str
    event_page: str
    event_page_wiki: str
    status: str
    timezone: str
    start: datetime  # UTC
    end: datetime  # UTC
    types: tuple[str, ...]
    wikis: tuple[str, ...]  # ("*",) means every wiki
    is_test_event: bool


@dataclass(frozen=True)
class RegisteredParticipant:
    participant_id: int
    user_id: int  # global (central) id
    user_name: str
    registered_at: datetime  # UTC


@dataclass(frozen=True)
class RegistrationParticipants:
    registration: Registration
    participants: tuple[RegisteredParticipant, ...]
    # Rows the API lists without a name (hidden or missing accounts): counted, never guessed.
    not_visible: int


def fetch_registration(client: ApiClient, registration_id: int) -> RegistrationParticipants:
    """The registration and every public participant, following ``last_participant_id``."""
    base = f"/campaignevents/v0/event_registration/{registration_id}"
    body = client.get_rest(base)
    if body is None:
        raise RegistrationError(f"no event registration {registration_id} on {client.api} (HTTP 404)")
    registration = parse_registration(body)
    participants: list[RegisteredParticipant] = []
    not_visible = 0
    last: int | None = None
    for _ in range(MAX_PAGES):
        params: dict[str, str] = {"include_private": "false"}
        if last is not None:
            params["last_participant_id"] = str(last)
        page = client.get_rest(f"{base}/participants", params)
        if not isinstance(page, list):
            raise RegistrationError(f"registration {registration_id}: the participants answer is not a list")
        if not page:
            break
        for row in page:
            last = int(row["participant_id"])
            if row.get("user_name") is None or row.get("hidden") or row.get("not_found"):
                not_visible += 1
                continue
            participants.append(
                RegisteredParticipant(
                    participant_id=last,
                    user_id=int(row["user_id"]),
                    user_name=str(row["user_name"]),
                    registered_at=_mw_time(str(row["user_registered_at"]), UTC),
                )
            )
    return RegistrationParticipants(registration, tuple(participants), not_visible)


def fetch_page_registration_id(client: ApiClient, title: str) -> int | None:
    """The id of the registration enabled on an event page, or None when the page has none.

    CampaignEvents has no API that finds a registration by its page: its REST module looks them up
    by id, by organizer or by participant only, and it sets no page property. What it does publish
    is the id in the view of the page itself (``wgCampaignEventsEventID``, set by the header it
    adds to an event page), so the page is viewed once — only when its revision changed.
    """
    # With the client's etiquette: counted, in series with the host's other requests, retried.
    view = client.get_page_view(title)
    if view is None:  # deleted since it was listed
        return None
    found = _EVENT_ID.search(view)
    return int(found.group(1)) if found else None


def parse_registration(body: Any) -> Registration:
    try:
        zone = _zone(str(body["timezone"]))
        return Registration(
            id=int(body["id"]),
            name=str(body["name"]),
            event_page=str(body["event_page"]),
            event_page_wiki=str(body["event_page_wiki"]),
            status=str(body["status"]),
            timezone=str(body["timezone"]),
            start=_mw_time(str(body["start_time"]), zone),
            end=_mw_time(str(body["end_time"]), zone),
            types=tuple(body.get("types", [])),
            wikis=tuple(body.get("wikis", [])),
            is_test_event=bool(body.get("is_test_event", False)),
        )
    except (KeyError, TypeError, ValueError) as e:
        raise RegistrationError(f"unexpected registration answer ({type(e).__name__}: {e})") from e


def _zone(name: str) -> ZoneInfo:
    # CampaignEvents stores any PHP DateTimeZone name; offsets like "+05:30" also occur.
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as e:
        raise ValueError(f"unknown timezone {name!r}") from e


def _mw_time(value: str, zone: ZoneInfo | Any) -> datetime:
    """A 14-digit MediaWiki timestamp in ``zone``, as UTC."""
    return datetime.strptime(value, "%Y%m%d%H%M%S").replace(tzinfo=zone).astimezone(UTC)
